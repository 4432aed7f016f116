// The store under operators and long work, on a fake clock: replay, settle and cancel; the
// failure count and a try the circuit breaker kept back; leases renewed by a long batch; a
// portal's health kept for `todoke status`.
#include "store_fixture.hpp"

namespace todoke::queue::testing {
namespace {

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
    const auto commit = [&](FailureCount count) {
        Claim c = ClaimOne(Stage::kPrepare);
        Transition t = To(FilingState::kReceived);
        t.failures = count;
        ASSERT_TRUE(store_->Commit(c, t));
        EXPECT_EQ(c.filing.failures, (*store_->Find(id))->failures);  // the snapshot agrees
    };
    commit(FailureCount::kAdd);
    commit(FailureCount::kAdd);
    EXPECT_EQ((*store_->Find(id))->failures, 2);
    commit(FailureCount::kKeep);
    EXPECT_EQ((*store_->Find(id))->failures, 2);
    commit(FailureCount::kReset);
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

}  // namespace
}  // namespace todoke::queue::testing
