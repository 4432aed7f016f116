// The store's promises with a fake clock: idempotent intake, leases with fencing, submitting
// never handed back to "send", one in flight per reconciliation key, the outbox delivering
// once, replay rules, records sealed at rest.
#include "todoke/queue/store.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sqlite_schema.hpp"
#include "test_support.hpp"
#include "todoke/common/file.hpp"
#include "todoke/common/seal.hpp"
#include "todoke/common/sqlite.hpp"
#include "todoke/queue/vault.hpp"

namespace todoke::queue {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kKey(32, 'k');

class StoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto s = OpenSqliteStore(dir_.path() / "todoke.db", kKey, clock_);
        ASSERT_TRUE(s) << s.error().ToString();
        store_ = std::move(*s);
    }

    std::unique_ptr<Store> Another() {
        auto s = OpenSqliteStore(dir_.path() / "todoke.db", kKey, clock_);
        EXPECT_TRUE(s);
        return std::move(*s);
    }

    std::int64_t Add(const std::string& key, const std::string& record = R"({"a":1})") {
        NewFiling n;
        n.idempotency_key = key;
        n.company = "C1";
        n.procedure = "kenpo_shutoku";
        n.record_json = record;
        auto e = store_->Enqueue(n, "test");
        EXPECT_TRUE(e) << e.error().ToString();
        return e ? e->id : 0;
    }

    // Moves a filing to `state` through claims, as workers would.
    Claim ClaimOne(Stage stage, const std::string& worker = "w1",
                   milliseconds lease = seconds(30)) {
        auto c = store_->ClaimDue(stage, worker, 1, lease);
        EXPECT_TRUE(c);
        EXPECT_EQ(c->size(), 1u);
        return c->empty() ? Claim{} : c->front();
    }

    Transition To(FilingState s) {
        Transition t;
        t.to = s;
        t.reason = "test";
        return t;
    }

    void Prepare(Claim& c, const std::string& corporation = "Corp") {
        Transition t = To(FilingState::kPrepared);
        t.payload = "signed zip bytes";
        t.proc_id = "4950000020325000";
        t.proc_name = "届";
        t.applicant_name = "Owner";
        t.corporation_name = corporation;
        ASSERT_TRUE(store_->Commit(c, t));
    }

    ::todoke::testing::TempDir dir_;
    FakeClock clock_{std::chrono::system_clock::from_time_t(1'800'000'000)};
    std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, SameKeySameRecordIsTheSameFilingAnotherRecordIsAConflict) {
    const auto id = Add("rec-1");
    NewFiling n;
    n.idempotency_key = "rec-1";
    n.company = "C1";
    n.procedure = "kenpo_shutoku";
    n.record_json = R"({"a":1})";
    auto again = store_->Enqueue(n, "test");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->id, id);
    EXPECT_FALSE(again->created);
    n.record_json = R"({"a":2})";
    auto other = store_->Enqueue(n, "test");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, ErrorCode::kConflict);
    EXPECT_EQ(other.error().field, "queue.idempotency_key");
    n.tenant = "office-2";  // keys are unique per tenant
    auto elsewhere = store_->Enqueue(n, "test");
    ASSERT_TRUE(elsewhere);
    EXPECT_NE(elsewhere->id, id);
    auto counts = store_->Counts();
    ASSERT_TRUE(counts);
    EXPECT_EQ(counts->total(), 2);
}

TEST_F(StoreTest, ARecordWithFieldErrorsIsKeptAsInvalid) {
    NewFiling n;
    n.idempotency_key = "bad";
    n.company = "C1";
    n.procedure = "kenpo_shutoku";
    n.record_json = "{}";
    n.errors_json = R"([{"field":"persons[0].name"}])";
    auto e = store_->Enqueue(n, "test");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->state, FilingState::kInvalid);
    auto f = store_->Find(e->id);
    ASSERT_TRUE(f && *f);
    EXPECT_EQ((*f)->errors_json, n.errors_json);
    auto claims = store_->ClaimDue(Stage::kPrepare, "w", 10, seconds(30));
    ASSERT_TRUE(claims);
    EXPECT_TRUE(claims->empty());
}

TEST_F(StoreTest, AStaleClaimCannotCommitOverANewerOne) {
    const auto id = Add("rec-1");
    Claim first = ClaimOne(Stage::kPrepare, "w1", seconds(10));
    EXPECT_EQ(first.filing.id, id);
    // While the lease holds, nobody else gets it.
    auto none = store_->ClaimDue(Stage::kPrepare, "w2", 10, seconds(10));
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
    clock_.Advance(seconds(11));  // w1 is paused past its lease
    auto other = Another();
    auto second = other->ClaimDue(Stage::kPrepare, "w2", 1, seconds(10));
    ASSERT_TRUE(second);
    ASSERT_EQ(second->size(), 1u);
    EXPECT_GT(second->front().filing.fence, first.filing.fence);
    // w1 wakes up and tries to write: refused, nothing changes.
    auto stale = store_->Commit(first, To(FilingState::kInvalid));
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().field, "queue.stale_claim");
    auto f = store_->Find(id);
    EXPECT_EQ((*f)->state, FilingState::kReceived);
    // w2's write goes through.
    EXPECT_TRUE(other->Commit(second->front(), To(FilingState::kInvalid)));
    EXPECT_EQ((*store_->Find(id))->state, FilingState::kInvalid);
}

TEST_F(StoreTest, SubmittingIsNeverSentAgainButReconciledAfterItsLease) {
    Add("rec-1");
    Claim c = ClaimOne(Stage::kPrepare);
    Prepare(c);
    Claim s = ClaimOne(Stage::kSubmit, "w1", seconds(60));
    Transition sending = To(FilingState::kSubmitting);
    sending.keep_lease = true;
    sending.sent_at = clock_.Now();
    ASSERT_TRUE(store_->Commit(s, sending));
    // The worker dies here. Before the lease ends nothing touches it; after, only reconcile.
    for (const auto stage : {Stage::kSubmit, Stage::kReconcile}) {
        auto none = store_->ClaimDue(stage, "w2", 10, seconds(60));
        ASSERT_TRUE(none);
        EXPECT_TRUE(none->empty()) << StageName(stage);
    }
    clock_.Advance(seconds(61));
    auto submit = store_->ClaimDue(Stage::kSubmit, "w2", 10, seconds(60));
    ASSERT_TRUE(submit);
    EXPECT_TRUE(submit->empty());
    Claim r = ClaimOne(Stage::kReconcile, "w2");
    EXPECT_EQ(r.filing.state, FilingState::kSubmitting);
    EXPECT_EQ(r.filing.sent_at, sending.sent_at.value());
    // The dead worker's late answer is dropped.
    Transition late = To(FilingState::kArrived);
    late.arrive_id = "1";
    EXPECT_FALSE(store_->Commit(s, late));
}

TEST_F(StoreTest, OneFilingPerReconciliationKeyIsInFlight) {
    for (const auto* key : {"a", "b", "c"}) Add(key);
    auto prepared = store_->ClaimDue(Stage::kPrepare, "w", 10, seconds(30));
    ASSERT_TRUE(prepared);
    ASSERT_EQ(prepared->size(), 3u);
    Prepare((*prepared)[0], "Same");
    Prepare((*prepared)[1], "Same");
    Prepare((*prepared)[2], "Other");
    auto batch = store_->ClaimDue(Stage::kSubmit, "w1", 10, seconds(60));
    ASSERT_TRUE(batch);
    ASSERT_EQ(batch->size(), 2u);  // one of "Same", and "Other"
    // The second "Same" waits while the first is being sent or is unknown...
    Transition unknown = To(FilingState::kUnknown);
    unknown.next_at = clock_.Now() + seconds(600);
    ASSERT_TRUE(store_->Commit((*batch)[0], unknown));
    auto none = store_->ClaimDue(Stage::kSubmit, "w2", 10, seconds(60));
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
    // ...and goes once the first has arrived.
    clock_.Advance(seconds(601));
    Claim r = ClaimOne(Stage::kReconcile);
    Transition arrived = To(FilingState::kArrived);
    arrived.arrive_id = "4952026000000001";
    ASSERT_TRUE(store_->Commit(r, arrived));
    auto next = store_->ClaimDue(Stage::kSubmit, "w2", 10, seconds(60));
    ASSERT_TRUE(next);
    ASSERT_EQ(next->size(), 2u);  // the second "Same", and "Other" whose lease ran out
    EXPECT_EQ((*next)[0].filing.corporation_name, "Same");
    EXPECT_NE((*next)[0].filing.id, r.filing.id);
    auto owner = store_->CaseOwner("4952026000000001");
    ASSERT_TRUE(owner && *owner);
    EXPECT_EQ(**owner, r.filing.id);
}

TEST_F(StoreTest, ACaseBelongsToOneFilingOnly) {
    Add("a");
    Add("b");
    auto claims = store_->ClaimDue(Stage::kPrepare, "w", 10, seconds(30));
    ASSERT_TRUE(claims && claims->size() == 2);
    Transition t = To(FilingState::kArrived);
    t.arrive_id = "4952026000000009";
    ASSERT_TRUE(store_->Commit((*claims)[0], t));
    auto second = store_->Commit((*claims)[1], t);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().field, "queue.case_owner");
    EXPECT_EQ((*store_->Find((*claims)[1].filing.id))->state, FilingState::kReceived);
}

TEST_F(StoreTest, TheOutboxDeliversADocumentOnceAndCommitsWithTheStateChange) {
    Add("rec-1");
    Claim c = ClaimOne(Stage::kPrepare);
    DocumentRecord d;
    d.arrive_id = "4952026000000001";
    d.notice_sub_id = 1;
    d.sha256 = std::string(64, 'a');
    d.title = "公文書";
    d.state = "verified";
    auto added = store_->AddDocument(c, d);
    ASSERT_TRUE(added) << added.error().ToString();
    auto again = store_->AddDocument(c, d);  // a retry after a crash: the same row
    ASSERT_TRUE(again);
    EXPECT_EQ(again->id, added->id);
    auto entries = store_->ClaimOutbox("d1", 10, seconds(5));
    ASSERT_TRUE(entries);
    ASSERT_EQ(entries->size(), 1u);
    // The deliverer stalls past its lease; another one takes the entry and delivers it.
    clock_.Advance(seconds(6));
    auto other = Another();
    auto retaken = other->ClaimOutbox("d2", 10, seconds(5));
    ASSERT_TRUE(retaken);
    ASSERT_EQ(retaken->size(), 1u);
    ASSERT_TRUE(other->CompleteOutbox(retaken->front()));
    auto stale = store_->CompleteOutbox(entries->front());
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().field, "queue.stale_claim");
    auto mailbox = store_->Mailbox("C1");
    ASSERT_TRUE(mailbox);
    ASSERT_EQ(mailbox->size(), 1u);
    EXPECT_EQ(mailbox->front().arrive_id, "4952026000000001");
    auto elsewhere = store_->Mailbox("C2");
    ASSERT_TRUE(elsewhere);
    EXPECT_TRUE(elsewhere->empty());
    // An outbox row written with a state change exists only if the change committed.
    Transition done = To(FilingState::kCompleted);
    done.outbox.push_back({"notify", 0, "C1", R"({"event":"completed"})"});
    ASSERT_TRUE(store_->Commit(c, done));
    Claim stale_claim = c;
    stale_claim.filing.fence -= 1;
    stale_claim.filing.state = FilingState::kReceived;
    EXPECT_FALSE(store_->Commit(stale_claim, done));
    auto counts = store_->Counts();
    ASSERT_TRUE(counts);
    EXPECT_EQ(counts->outbox_pending, 1);  // the one notify; none from the refused commit
    EXPECT_EQ(counts->delivered, 1);
}

TEST_F(StoreTest, AQuarantinedDocumentGetsNoDelivery) {
    Add("rec-1");
    Claim c = ClaimOne(Stage::kPrepare);
    DocumentRecord d;
    d.arrive_id = "4952026000000001";
    d.notice_sub_id = 1;
    d.sha256 = std::string(64, 'b');
    d.state = "quarantined";
    ASSERT_TRUE(store_->AddDocument(c, d));
    auto entries = store_->ClaimOutbox("d1", 10, seconds(5));
    ASSERT_TRUE(entries);
    EXPECT_TRUE(entries->empty());
    EXPECT_EQ(store_->Counts()->quarantined, 1);
}

TEST_F(StoreTest, ReplayRestartsADeadFilingAndSendsNothingBlindly) {
    const auto id = Add("rec-1");
    EXPECT_FALSE(store_->Replay(id, "op"));  // not dead
    Claim c = ClaimOne(Stage::kPrepare);
    Prepare(c);
    Claim s = ClaimOne(Stage::kSubmit);
    Transition dead = To(FilingState::kDead);
    dead.dead_from = "unknown";
    ASSERT_TRUE(store_->Commit(s, dead));
    auto replayed = store_->Replay(id, "operator:ana");
    ASSERT_TRUE(replayed) << replayed.error().ToString();
    EXPECT_EQ(replayed->state, FilingState::kUnknown);  // reconcile first
    EXPECT_EQ(replayed->idempotency_key, "rec-1");
    EXPECT_GT(replayed->fence, s.filing.fence);
    auto history = store_->History(id);
    ASSERT_TRUE(history);
    EXPECT_EQ(history->back().actor, "operator:ana");
    EXPECT_EQ(history->back().to, "unknown");
}

// The heartbeat of a long batch: renewed leases keep other workers out; an expired lease that
// no other worker took is still held and renewed; a claim another worker took is not renewed.
TEST_F(StoreTest, RenewingKeepsHeldLeasesAndNeverALostOne) {
    Add("renew-1");
    Add("renew-2");
    auto claims = store_->ClaimDue(Stage::kPrepare, "w1", 2, seconds(30));
    ASSERT_TRUE(claims);
    ASSERT_EQ(claims->size(), 2u);
    std::vector<Claim*> mine{&(*claims)[0], &(*claims)[1]};
    clock_.Advance(seconds(20));
    auto held = store_->Renew(mine, seconds(30));
    ASSERT_TRUE(held) << held.error().ToString();
    EXPECT_EQ(*held, (std::vector<bool>{true, true}));
    EXPECT_EQ(mine[0]->filing.lease_until, clock_.Now() + seconds(30));
    clock_.Advance(seconds(20));  // past the first lease, inside the renewed one
    auto other = Another();
    auto none = other->ClaimDue(Stage::kPrepare, "w2", 2, seconds(30));
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
    clock_.Advance(seconds(40));  // both leases ran out; w2 takes the first filing
    auto taken = other->ClaimDue(Stage::kPrepare, "w2", 1, seconds(30));
    ASSERT_TRUE(taken);
    ASSERT_EQ(taken->size(), 1u);
    EXPECT_EQ(taken->front().filing.id, mine[0]->filing.id);
    const TimePoint before = mine[0]->filing.lease_until;
    held = store_->Renew(mine, seconds(30));
    ASSERT_TRUE(held);
    EXPECT_EQ(*held, (std::vector<bool>{false, true}));
    EXPECT_EQ(mine[0]->filing.lease_until, before);
    auto row = store_->Find(mine[0]->filing.id);
    ASSERT_TRUE(row && *row);
    EXPECT_EQ((*row)->lease_owner, "w2");  // w2's lease stands
    EXPECT_EQ((*row)->lease_until, clock_.Now() + seconds(30));
}

TEST_F(StoreTest, APortalsHealthIsKeptForTheOperator) {
    auto none = store_->GetPortalHealth("egov");
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
    PortalHealth h;
    h.portal = "egov";
    h.paused = true;
    h.reason = "e-Gov gave no answer to 5 calls in a row";
    h.changed_at = clock_.Now();
    h.until = clock_.Now() + seconds(30);
    h.times_opened = 2;
    h.process = "host/42";
    ASSERT_TRUE(store_->SetPortalHealth(h));
    auto read = Another()->GetPortalHealth("egov");
    ASSERT_TRUE(read && *read);
    EXPECT_TRUE((*read)->paused);
    EXPECT_EQ((*read)->reason, h.reason);
    EXPECT_EQ((*read)->changed_at, h.changed_at);
    EXPECT_EQ((*read)->until, h.until);
    EXPECT_EQ((*read)->times_opened, 2);
    EXPECT_EQ((*read)->process, "host/42");
    h.paused = false;
    ASSERT_TRUE(store_->SetPortalHealth(h));
    EXPECT_FALSE((*store_->GetPortalHealth("egov"))->paused);
    EXPECT_FALSE(*store_->GetPortalHealth("mynaportal"));
}

// The failure count: a failed try adds one, a try that did not happen (the circuit breaker
// kept it back) leaves it as it was, anything else starts it again.
TEST_F(StoreTest, AFailureCountsATryKeptBackLeavesTheCountAndAnythingElseResetsIt) {
    const auto id = Add("count-1");
    const auto commit = [&](bool count, bool keep) {
        Claim c = ClaimOne(Stage::kPrepare);
        Transition t = To(FilingState::kReceived);
        t.count_failure = count;
        t.keep_failures = keep;
        ASSERT_TRUE(store_->Commit(c, t));
        EXPECT_EQ(c.filing.failures, (*store_->Find(id))->failures);  // the snapshot agrees
    };
    commit(true, false);
    commit(true, false);
    EXPECT_EQ((*store_->Find(id))->failures, 2);
    commit(false, true);
    EXPECT_EQ((*store_->Find(id))->failures, 2);
    commit(false, false);
    EXPECT_EQ((*store_->Find(id))->failures, 0);
}

// A send reconciliation could not decide: the operator names its case (kept for the next
// reconciliation to check, once) or says it did not arrive (sent again). Nothing else is settled,
// and a case another filing owns is never named.
TEST_F(StoreTest, AnOperatorSettlesOnlyASendThatMayHaveArrived) {
    const auto id = Add("rec-1");
    const auto other = Add("rec-2");
    auto refused = store_->Settle(id, std::string("4952026000000001"), "op");
    ASSERT_FALSE(refused);  // received: nothing was sent
    EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
    EXPECT_EQ(refused.error().field, "filing.state");
    auto claims = store_->ClaimDue(Stage::kPrepare, "w", 10, seconds(30));
    ASSERT_TRUE(claims && claims->size() == 2);
    Prepare((*claims)[0]);
    Transition owned = To(FilingState::kArrived);
    owned.arrive_id = "4952026000000007";
    ASSERT_TRUE(store_->Commit((*claims)[1], owned));
    Claim s = ClaimOne(Stage::kSubmit);
    ASSERT_EQ(s.filing.id, id);
    Transition dead = To(FilingState::kDead);
    dead.dead_from = "unknown";
    ASSERT_TRUE(store_->Commit(s, dead));

    auto malformed = store_->Settle(id, std::string("49520260000０0001"), "op");
    ASSERT_FALSE(malformed);
    EXPECT_EQ(malformed.error().field, "settle.case");
    auto taken = store_->Settle(id, std::string("4952026000000007"), "op");
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().field, "queue.case_owner");
    EXPECT_NE(taken.error().message.find("filing " + std::to_string(other)), std::string::npos);
    EXPECT_EQ((*store_->Find(id))->state, FilingState::kDead);  // refusals change nothing

    auto named = store_->Settle(id, std::string("4952026000000001"), "operator:ana");
    ASSERT_TRUE(named) << named.error().ToString();
    EXPECT_EQ(named->state, FilingState::kUnknown);
    EXPECT_EQ(named->settled_case, "4952026000000001");
    EXPECT_EQ(named->dead_from, "");
    EXPECT_GT(named->fence, s.filing.fence);
    auto history = store_->History(id);
    ASSERT_TRUE(history);
    EXPECT_EQ(history->back().actor, "operator:ana");
    EXPECT_NE(history->back().reason.find("4952026000000001"), std::string::npos);
    // The reconciliation that takes the named case clears it.
    Claim r = ClaimOne(Stage::kReconcile);
    EXPECT_EQ(r.filing.settled_case, "4952026000000001");
    Transition back = To(FilingState::kDead);
    back.dead_from = "unknown";
    back.settled_case = "";
    ASSERT_TRUE(store_->Commit(r, back));
    EXPECT_EQ((*store_->Find(id))->settled_case, "");

    // "Not arrived": straight to prepared, to be sent again.
    auto again = store_->Settle(id, std::nullopt, "operator:ana");
    ASSERT_TRUE(again) << again.error().ToString();
    EXPECT_EQ(again->state, FilingState::kPrepared);
    EXPECT_EQ(again->settled_case, "");
    // Neither a prepared nor an arrived filing is settled.
    EXPECT_EQ(store_->Settle(id, std::nullopt, "op").error().field, "filing.state");
    EXPECT_EQ(store_->Settle(other, std::nullopt, "op").error().field, "filing.state");

    // A 部分補正 is reconciled by its case's status: there is nothing to settle.
    const auto amend = Add("rec-3");
    Claim a = ClaimOne(Stage::kPrepare);
    ASSERT_EQ(a.filing.id, amend);
    ASSERT_TRUE(store_->Commit(a, To(FilingState::kAmendmentRequested)));
    ASSERT_TRUE(store_->SupplyCorrection(amend, R"({"a":2})", ApplyKind::kAmend, "op"));
    Claim a2 = ClaimOne(Stage::kPrepare);
    Transition lost = To(FilingState::kDead);
    lost.dead_from = "unknown";
    ASSERT_TRUE(store_->Commit(a2, lost));
    auto amended = store_->Settle(amend, std::nullopt, "op");
    ASSERT_FALSE(amended);
    EXPECT_EQ(amended.error().field, "filing.state");
    EXPECT_NE(amended.error().message.find("部分補正"), std::string::npos);
}

// Cancelling raises the fence: the submit worker that claimed the filing cannot mark it
// `submitting`, so it sends nothing. What was sent, or may have been, is not cancelled.
TEST_F(StoreTest, ACancelledFilingIsNeverSentEvenByTheWorkerHoldingIt) {
    const auto id = Add("rec-1");
    Claim c = ClaimOne(Stage::kPrepare);
    Prepare(c);
    Claim s = ClaimOne(Stage::kSubmit);
    auto no_reason = store_->Cancel(id, "", "op");
    ASSERT_FALSE(no_reason);
    EXPECT_EQ(no_reason.error().field, "cancel.reason");
    auto cancelled = store_->Cancel(id, "filed twice by mistake", "operator:ana");
    ASSERT_TRUE(cancelled) << cancelled.error().ToString();
    EXPECT_EQ(cancelled->state, FilingState::kCancelled);
    Transition sending = To(FilingState::kSubmitting);
    sending.keep_lease = true;
    sending.sent_at = clock_.Now();
    auto late = store_->Commit(s, sending);
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().field, "queue.stale_claim");
    clock_.Advance(seconds(3600));
    for (const auto stage :
         {Stage::kPrepare, Stage::kSubmit, Stage::kReconcile, Stage::kTrack, Stage::kCollect}) {
        auto none = store_->ClaimDue(stage, "w2", 10, seconds(60));
        ASSERT_TRUE(none);
        EXPECT_TRUE(none->empty()) << StageName(stage);
    }
    auto history = store_->History(id);
    ASSERT_TRUE(history);
    EXPECT_EQ(history->back().to, "cancelled");
    EXPECT_NE(history->back().reason.find("filed twice by mistake"), std::string::npos);
    EXPECT_EQ(store_->Counts()->final(), 1);
    EXPECT_EQ(store_->Cancel(id, "again", "op").error().field, "filing.state");
    EXPECT_EQ(store_->Replay(id, "op").error().field, "filing.state");
    // The company's partner is told, in the cancel's transaction; a refused change tells nothing.
    auto events = store_->ClaimOutbox("deliverer", 10, seconds(60));
    ASSERT_TRUE(events);
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ((*events)[0].kind, "notify");
    EXPECT_EQ((*events)[0].filing_id, id);
    EXPECT_NE((*events)[0].body_json.find(R"("event":"cancelled")"), std::string::npos);
    EXPECT_NE((*events)[0].body_json.find("filed twice by mistake"), std::string::npos);

    // An arrived case is withdrawn, not cancelled.
    const auto arrived = Add("rec-2");
    Claim p = ClaimOne(Stage::kPrepare);
    Transition t = To(FilingState::kArrived);
    t.arrive_id = "4952026000000002";
    ASSERT_TRUE(store_->Commit(p, t));
    auto refused = store_->Cancel(arrived, "too late", "op");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
    EXPECT_NE(refused.error().message.find("withdraw"), std::string::npos);
}

TEST_F(StoreTest, RecordsAndPackagesAreSealedAtRestAndNeedTheKey) {
    const std::string my_number = "526018159084";
    const auto id = Add("rec-1", R"({"persons":[{"my_number":")" + my_number + R"("}]})");
    Claim c = ClaimOne(Stage::kPrepare);
    Transition t = To(FilingState::kPrepared);
    t.payload = "package with " + my_number;
    t.proc_id = "x";
    ASSERT_TRUE(store_->Commit(c, t));
    auto record = store_->ReadRecord(id);
    ASSERT_TRUE(record);
    EXPECT_NE(record->find(my_number), std::string::npos);
    EXPECT_EQ(*store_->ReadPayload(id), *t.payload);
    store_.reset();
    for (const char* suffix : {"", "-wal"}) {
        auto bytes = ReadFileBytes(dir_.path() / (std::string("todoke.db") + suffix));
        if (bytes) {
            EXPECT_EQ(bytes->find(my_number), std::string::npos) << suffix;
        }
    }
    auto wrong = OpenSqliteStore(dir_.path() / "todoke.db", std::string(32, 'x'), clock_);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().field, "queue.key");
}

TEST_F(StoreTest, TheSchemaVersionIsRecordedAndANewerOneIsRefused) {
    store_.reset();
    {
        auto db = SqliteDb::Open(dir_.path() / "todoke.db");
        ASSERT_TRUE(db);
        auto v = db->Prepare("PRAGMA user_version");
        ASSERT_TRUE(v && *v->Step());
        EXPECT_EQ(v->Int64(0), 4);
        ASSERT_TRUE(db->Exec("PRAGMA user_version = 99"));
    }
    auto newer = OpenSqliteStore(dir_.path() / "todoke.db", kKey, clock_);
    ASSERT_FALSE(newer);
    EXPECT_EQ(newer.error().field, "queue.schema");
}

// A version-1 database (record and package sealed inside the filings row) opens as version 2
// with both moved to filing_data, still readable with the same key and associated data.
TEST(StoreMigrationTest, VersionOneRecordsAndPackagesSurviveTheMoveToFilingData) {
    ::todoke::testing::TempDir dir;
    const auto path = dir.path() / "todoke.db";
    {
        auto db = SqliteDb::Open(path);
        ASSERT_TRUE(db);
        // The version-1 schema as released: the first migration, which is never edited.
        ASSERT_TRUE(db->Exec(std::string(queue::detail::kMigrations[0])));
        ASSERT_TRUE(db->Exec("PRAGMA user_version = 1"));
        // A filing as version 1 wrote it, sealed with the store's key and associated data
        // (which must never change: it is how sealed rows are opened).
        auto record = Seal(kKey, R"({"persons":[]})", "filing-record:default/v1-key");
        auto payload = Seal(kKey, "v1 package", "filing-payload:1");
        ASSERT_TRUE(record && payload);
        auto q = db->Prepare(
            "INSERT INTO filings (id, tenant, idem_key, fingerprint, company, company_name, "
            "procedure, state, next_at, created_at, updated_at, payload_sha256, payload, record) "
            "VALUES (1, 'default', 'v1-key', 'fp', 'C1', '', 'kenpo_shutoku', 'prepared', 0, 0, "
            "0, 'sha', ?1, ?2)");
        ASSERT_TRUE(q);
        q->BindBlob(1, *payload).BindBlob(2, *record);
        ASSERT_TRUE(q->Run());
    }
    FakeClock clock{std::chrono::system_clock::from_time_t(1'800'000'000)};
    auto store = OpenSqliteStore(path, kKey, clock);
    ASSERT_TRUE(store) << store.error().ToString();
    EXPECT_EQ(*(*store)->ReadRecord(1), R"({"persons":[]})");
    EXPECT_EQ(*(*store)->ReadPayload(1), "v1 package");
    auto found = (*store)->Find(1);
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->state, FilingState::kPrepared);
    EXPECT_EQ((*found)->payload_sha256, "sha");
}

TEST(VaultTest, StoresSealedByContentAndNoticesTampering) {
    ::todoke::testing::TempDir dir;
    DocumentVault vault(dir.path(), kKey);
    auto sha = vault.Put("公文書 bytes");
    ASSERT_TRUE(sha);
    EXPECT_EQ(sha->size(), 64u);
    auto again = vault.Put("公文書 bytes");
    EXPECT_EQ(*again, *sha);
    EXPECT_EQ(*vault.Get(*sha), "公文書 bytes");
    const auto path = dir.path() / "documents" / sha->substr(0, 2) / (*sha + ".sealed");
    auto sealed = ReadFileBytes(path);
    ASSERT_TRUE(sealed);
    EXPECT_EQ(sealed->find("公文書"), std::string::npos);
    (*sealed)[20] = static_cast<char>((*sealed)[20] ^ 1);
    ASSERT_TRUE(WriteFileAtomically(path, *sealed));
    EXPECT_FALSE(vault.Get(*sha));
    EXPECT_FALSE(vault.Get("../../etc/passwd"));
}

}  // namespace
}  // namespace todoke::queue
