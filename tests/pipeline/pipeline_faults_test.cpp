// The pipeline when things go wrong, one stage pass at a time against the in-process simulator:
// a dropped answer reconciled (not resent), an ambiguous one settled by an operator, a cancelled
// filing never sent, a refused send sent again only after the portal proved it has no case, an
// outage paused by the circuit breaker, a slow batch renewing its leases, the retry budget and
// replay.
#include "breaker.hpp"
#include "pipeline_fixture.hpp"

namespace todoke::gateway::testing {
namespace {

TEST_F(PipelineTest, ADroppedAnswerIsReconciledNotSentAgain) {
    const auto id = Submit("kenpo_shutoku.json", "dropped-1");
    Run(Stage::kPrepare);
    Faults(R"({"drop_after_record": 1, "seed": 3})");
    Run(Stage::kSubmit);
    EXPECT_EQ(Get(id).state, FilingState::kUnknown);
    Faults(R"({"drop_after_record": 0})");
    Run(Stage::kSubmit);  // unknown is not sent
    Run(Stage::kReconcile);
    const auto f = Get(id);
    EXPECT_EQ(f.state, FilingState::kArrived) << f.last_error;
    const auto cases = Cases();
    ASSERT_EQ(cases.size(), 1u);
    EXPECT_EQ(cases.front().arrive_id, f.arrive_id);
}

// The same package also went to the portal by hand, and the answer to todoke's send was lost:
// two unclaimed cases match, so reconciliation cannot tell and the filing dies naming both.
// An operator's case is taken only when the portal lists it among them; nothing is sent again.
TEST_F(PipelineTest, AnAmbiguousReconciliationWaitsForTheOperatorsCaseAndSendsNothing) {
    const auto id = Submit("kenpo_shutoku.json", "ambiguous-1");
    Run(Stage::kPrepare);
    auto package = store_->ReadPayload(id);
    ASSERT_TRUE(package);
    auto by_hand = client_->Apply(Get(id).proc_id, *package);
    ASSERT_TRUE(by_hand && !by_hand->rejected());
    Faults(R"({"drop_after_record": 1, "seed": 3})");
    Run(Stage::kSubmit);
    ASSERT_EQ(Get(id).state, FilingState::kUnknown);
    Faults(R"({"drop_after_record": 0})");
    std::string ours;
    for (const auto& k : Cases()) {
        if (k.arrive_id != by_hand->arrive_id) ours = k.arrive_id;
    }
    ASSERT_FALSE(ours.empty());

    Run(Stage::kReconcile);
    auto f = Get(id);
    ASSERT_EQ(f.state, FilingState::kDead);
    EXPECT_NE(f.last_error.find("ambiguous"), std::string::npos) << f.last_error;
    EXPECT_NE(f.last_error.find(ours), std::string::npos) << f.last_error;
    EXPECT_NE(f.last_error.find(by_hand->arrive_id), std::string::npos) << f.last_error;
    // Replaying only asks again, with the same answer.
    ASSERT_TRUE(store_->Replay(id, "operator:test"));
    Run(Stage::kReconcile);
    ASSERT_EQ(Get(id).state, FilingState::kDead);

    // A case the portal does not list for it is not taken.
    ASSERT_TRUE(store_->Settle(id, std::string("9999999999999999"), "operator:test"));
    Run(Stage::kReconcile);
    f = Get(id);
    ASSERT_EQ(f.state, FilingState::kDead);
    EXPECT_NE(f.last_error.find("9999999999999999"), std::string::npos) << f.last_error;
    EXPECT_EQ(f.arrive_id, "");
    EXPECT_EQ(f.settled_case, "");

    auto settled = store_->Settle(id, ours, "operator:test");
    ASSERT_TRUE(settled) << settled.error().ToString();
    Run(Stage::kSubmit);  // not sent: it waits for reconciliation
    Run(Stage::kReconcile);
    f = Get(id);
    ASSERT_EQ(f.state, FilingState::kArrived) << f.last_error;
    EXPECT_EQ(f.arrive_id, ours);
    EXPECT_EQ(Cases().size(), 2u);
    Advance(700);
    Drive();
    EXPECT_EQ(Get(id).state, FilingState::kCompleted);
    auto mail = store_->Mailbox(Get(id).company);
    ASSERT_TRUE(mail);
    ASSERT_EQ(mail->size(), 1u);
    EXPECT_EQ(mail->front().arrive_id, ours);
    EXPECT_EQ(Cases().size(), 2u);
}

TEST_F(PipelineTest, ACancelledFilingIsNotSent) {
    const auto id = Submit("kenpo_shutoku.json", "cancelled-1");
    Run(Stage::kPrepare);
    ASSERT_EQ(Get(id).state, FilingState::kPrepared);
    ASSERT_TRUE(store_->Cancel(id, "the employee's start date was wrong", "operator:test"));
    Drive();
    EXPECT_EQ(Get(id).state, FilingState::kCancelled);
    EXPECT_TRUE(Cases().empty());
    auto events = ReadFileBytes(data_dir() / "events.jsonl");
    ASSERT_TRUE(events);
    EXPECT_NE(events->find(R"("event":"cancelled")"), std::string::npos) << *events;
    EXPECT_NE(events->find("the employee's start date was wrong"), std::string::npos);
}

TEST_F(PipelineTest, AnUnansweredSendGoesAgainOnlyOnceThePortalProvesItHasNoCase) {
    const auto id = Submit("kenpo_shutoku.json", "refused-1");
    Run(Stage::kPrepare);
    Faults(R"({"error_503": 1, "seed": 5})");
    Run(Stage::kSubmit);
    EXPECT_EQ(Get(id).state, FilingState::kUnknown);
    Run(Stage::kReconcile);  // the portal cannot be asked: it waits, nothing is sent
    auto f = Get(id);
    EXPECT_EQ(f.state, FilingState::kUnknown);
    EXPECT_EQ(f.failures, 1);
    Faults(R"({"error_503": 0})");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // past the back-off
    Run(Stage::kReconcile);
    EXPECT_EQ(Get(id).state, FilingState::kPrepared);
    Run(Stage::kSubmit);
    f = Get(id);
    EXPECT_EQ(f.state, FilingState::kArrived);
    EXPECT_EQ(Cases().size(), 1u);
}

TEST_F(PipelineTest, AnOutagePausesThePortalStagesInsteadOfSpendingEveryFilingsRetries) {
    using namespace std::chrono_literals;
    // Ahead of the clock the test store enqueues with, so that what it enqueues is due.
    FakeClock fake(std::chrono::system_clock::now() + 1min);
    pipeline_clock_ = &fake;
    MakePipeline(*official_ca_, [](PipelineConfig& c) {
        c.breaker = {.failures = 2, .open_for = 1000ms, .open_cap = 4000ms};
    });
    // Six employers: the store sends one filing per procedure and employer at a time.
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 6; ++i) {
        ids.push_back(Submit("kenpo_shutoku.json", "outage-" + std::to_string(i), Employer(i)));
    }
    Drive(1);
    for (const auto id : ids) ASSERT_EQ(Get(id).state, FilingState::kArrived);

    // e-Gov stops answering. The first two unanswered calls open the breaker; the other four
    // filings are not asked about and keep their retries.
    Faults(R"({"error_503": 1, "seed": 3})");
    Run(Stage::kTrack);
    int failures = 0;
    for (const auto id : ids) failures += Get(id).failures;
    EXPECT_EQ(failures, 2);
    // What `todoke status` shows the operator.
    auto health = store_->GetPortalHealth("egov");
    ASSERT_TRUE(health && *health);
    EXPECT_TRUE((*health)->paused);
    EXPECT_NE((*health)->reason.find("no answer to 2 calls in a row"), std::string::npos);
    EXPECT_EQ(std::chrono::time_point_cast<std::chrono::milliseconds>((*health)->until),
              std::chrono::time_point_cast<std::chrono::milliseconds>(fake.Now() + 1000ms));
    // A filing prepared now is not sent into the outage: it stays prepared, not unknown.
    const auto late = Submit("kenpo_shutoku.json", "outage-late", Employer(6));
    Run(Stage::kPrepare);
    Run(Stage::kSubmit);
    EXPECT_EQ(Get(late).state, FilingState::kPrepared);

    // Twenty seconds of outage, a pass every second: after each pause (1, 2, 4, 4, 4 s) one
    // probe, each time another filing's (the one that failed waits past the next pause): six
    // probes, one per filing. Without the breaker every filing would have failed every second
    // and been dead after three (the budget).
    for (int s = 0; s < 20; ++s) {
        fake.Advance(1s);
        Run(Stage::kTrack);
        Run(Stage::kSubmit);
    }
    failures = 0;
    for (const auto id : ids) {
        const auto f = Get(id);
        EXPECT_EQ(f.state, FilingState::kArrived) << f.last_error;
        EXPECT_LE(f.failures, 2) << "filing " << id;
        failures += f.failures;
    }
    EXPECT_EQ(failures, 2 + 6);  // instead of 6 filings x 20 passes
    EXPECT_EQ(Get(late).state, FilingState::kPrepared);

    // e-Gov is back: the next probe answers and every stage goes on.
    Faults(R"({"error_503": 0})");
    fake.Advance(5s);
    Advance(700);
    for (int i = 0; i < 4; ++i) {
        fake.Advance(1s);
        Drive(1);
    }
    for (const auto id : ids) EXPECT_EQ(Get(id).state, FilingState::kCompleted);
    health = store_->GetPortalHealth("egov");
    ASSERT_TRUE(health && *health);
    EXPECT_FALSE((*health)->paused);
    EXPECT_EQ((*health)->reason, "e-Gov answers again: portal calls resume");
    EXPECT_EQ((*health)->times_opened, 7);  // the first pause and six failed probes
    Advance(700);
    fake.Advance(1s);
    Drive(2);
    EXPECT_EQ(Get(late).state, FilingState::kCompleted);
    EXPECT_EQ(Cases().size(), 7u);  // each filing once
}

TEST_F(PipelineTest, ALongBatchRenewsItsLeasesSoNoOtherWorkerTakesItsFilings) {
    using namespace std::chrono_literals;
    FakeClock fake(std::chrono::system_clock::now() + 1min);
    pipeline_clock_ = &fake;
    // A slow portal: once `slow`, every call takes 20 s of the fake clock, and after each one
    // another worker tries to take the track stage's filings.
    auto intruder = queue::OpenSqliteStore(StorePath(data_dir()), kDataKey, fake);
    ASSERT_TRUE(intruder);
    bool slow = false;
    std::size_t taken = 0;
    pipeline::CircuitBreaker never_opens({.failures = 1000}, fake);
    pipeline::GuardedPortal slow_portal(*client_, never_opens, [&] {
        if (!slow) return;
        fake.Advance(20s);
        auto claims = (*intruder)->ClaimDue(Stage::kTrack, "intruder", 10, 30s);
        ASSERT_TRUE(claims) << claims.error().ToString();
        taken += claims->size();
    });
    portal_ = &slow_portal;
    MakePipeline(*official_ca_, [](PipelineConfig& c) { c.lease = 30s; });
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 3; ++i) {
        ids.push_back(Submit("kenpo_shutoku.json", "lease-" + std::to_string(i), Employer(i)));
    }
    Drive(1);
    for (const auto id : ids) ASSERT_EQ(Get(id).state, FilingState::kArrived);

    // One track pass over the three: 60 s of calls against a 30 s lease. Renewed at the start
    // of each filing once less than half is left, no lease runs out and nothing is taken.
    slow = true;
    fake.Advance(1s);
    const TimePoint start = fake.Now();
    Run(Stage::kTrack);
    EXPECT_EQ(taken, 0u);
    for (const auto id : ids) {
        const auto f = Get(id);
        EXPECT_EQ(f.lease_owner, "") << "filing " << id << ": its result was not committed";
        EXPECT_GT(f.next_at, start);  // followed in this pass
    }
}

TEST_F(PipelineTest, TheRetryBudgetEndsInDeadAndReplayPicksItUp) {
    const auto id = Submit("kenpo_shutoku.json", "budget-1");
    Drive(1);
    ASSERT_EQ(Get(id).state, FilingState::kArrived);
    Faults(R"({"error_500": 1, "seed": 9})");
    for (int i = 0; i < 3; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        Run(Stage::kTrack);
    }
    auto f = Get(id);
    EXPECT_EQ(f.state, FilingState::kDead);
    EXPECT_EQ(f.dead_from, "arrived");
    Faults(R"({"error_500": 0})");
    auto replayed = store_->Replay(id, "operator:test");
    ASSERT_TRUE(replayed);
    EXPECT_EQ(replayed->state, FilingState::kArrived);
    Advance(700);
    Drive();
    EXPECT_EQ(Get(id).state, FilingState::kCompleted);
    EXPECT_EQ(Cases().size(), 1u);
}

}  // namespace
}  // namespace todoke::gateway::testing
