// The store's promises with a fake clock: idempotent intake, leases with fencing, submitting
// never handed back to "send", one in flight per reconciliation key, the outbox delivering
// once, records sealed at rest, the schema's versions. Operators and long batches:
// store_operator_test.cpp.
#include <fstream>
#include <sstream>

#include "sqlite_schema.hpp"
#include "store_fixture.hpp"
#include "todoke/common/file.hpp"
#include "todoke/common/seal.hpp"
#include "todoke/common/sqlite.hpp"
#include "todoke/queue/vault.hpp"

namespace todoke::queue::testing {
namespace {

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
}  // namespace todoke::queue::testing
