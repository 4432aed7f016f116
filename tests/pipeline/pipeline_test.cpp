// The pipeline's stages one pass at a time against the in-process simulator: intake to mailbox,
// a dropped answer reconciled (not resent), an ambiguous one settled by an operator, a refused send
// sent again only after the portal proved it has no case, 補正 answered with a 部分補正, a 公文書
// from an untrusted signer quarantined, field errors kept, a portal rejection final, the retry
// budget and replay.
#include "todoke/gateway/pipeline.hpp"

#include <boost/json.hpp>

#include "breaker.hpp"
#include "sim_fixture.hpp"
#include "todoke/common/file.hpp"
#include "todoke/egov/client.hpp"
#include "todoke/forms/record.hpp"
#include "todoke/gateway/record_attachments.hpp"

namespace todoke::gateway {
namespace {

using queue::FilingState;
using queue::Stage;

const std::string kDataKey(32, 'D');

// The states a filing went through, in order.
std::vector<std::string> Path(queue::Store& store, std::int64_t id) {
    auto history = store.History(id);
    EXPECT_TRUE(history);
    std::vector<std::string> path;
    for (const auto& h : *history) path.push_back(h.to);
    return path;
}

class PipelineTest : public egov::testing::SimTest {
  protected:
    void SetUp() override {
        SimTest::SetUp();
        config_.review_after_s = 60;
        config_.decide_after_s = 600;
        // 雇用保険 取得届: every second case gets a 補正 (部分補正).
        config_.scripts = {{"4950000020325000", 2, "部分補正"}};
        StartSim();
        client_ = MakeClient();
        ASSERT_TRUE(client_->Login(client_->ConsentByRedirect()));
        auto ca = signing::TrustStore::FromPemFiles(
            {std::string(Ready().at("official_ca_file").as_string())});
        ASSERT_TRUE(ca);
        official_ca_ = std::make_unique<signing::TrustStore>(std::move(*ca));
        keys_ = {::todoke::testing::LoadKey(signer_)};
        MakePipeline(*official_ca_);
        auto s = queue::OpenSqliteStore(StorePath(data_dir()), kDataKey, clock_);
        ASSERT_TRUE(s);
        store_ = std::move(*s);
    }

    std::filesystem::path data_dir() const { return dir_.path() / "data"; }

    std::unique_ptr<egov::EgovClient> MakeClient() {
        auto config = egov::ClientConfigFromReadyLine(
            sim_->ReadyLine(), dir_.path() / "tokens.sealed", std::string(32, 'K'));
        EXPECT_TRUE(config);
        egov::ClientConfig c = *config;
        c.timeout = std::chrono::seconds(20);
        auto client = egov::EgovClient::Create(c, clock_);
        EXPECT_TRUE(client);
        return std::move(*client);
    }

    void MakePipeline(const signing::TrustStore& government_ca,
                      const std::function<void(PipelineConfig&)>& edit = {}) {
        pipeline_.reset();
        PipelineConfig config;
        config.data_dir = data_dir();
        config.data_key = kDataKey;
        config.reconcile_after = std::chrono::milliseconds(0);
        config.poll_interval = std::chrono::milliseconds(0);
        config.portal_calls_per_second = 0;
        config.retry.initial = std::chrono::milliseconds(1);
        config.retry.budget = 3;
        if (edit) edit(config);
        auto p = Pipeline::Create(
            config, PipelineDeps{*pipeline_clock_, portal_ != nullptr ? *portal_ : *client_,
                                 forms::Catalogue::Default(), keys_, government_ca, nullptr});
        ASSERT_TRUE(p) << p.error().ToString();
        pipeline_ = std::move(*p);
    }

    std::int64_t Submit(const std::string& sample, const std::string& key,
                        const std::function<void(boost::json::object&)>& edit = {}) {
        const std::string path = std::string(TODOKE_SOURCE_DIR) + "/samples/records/" + sample;
        auto records = forms::ParseJsonRecords(::todoke::testing::ReadFile(path), path);
        EXPECT_TRUE(records);
        forms::Record& r = records->front();
        EXPECT_TRUE(EmbedAttachments(r));
        if (edit) edit(r.data);
        queue::NewFiling n;
        n.idempotency_key = key;
        n.company = "C-" + key;
        n.procedure = r.procedure();
        n.record_json = boost::json::serialize(r.data);
        auto e = store_->Enqueue(n, "test");
        EXPECT_TRUE(e) << e.error().ToString();
        return e ? e->id : 0;
    }

    // A record edit naming employer number `i` (0-9): the store sends one filing per procedure
    // and employer at a time, so filings meant to go out together need their own employers.
    static std::function<void(boost::json::object&)> Employer(int i) {
        static const char* const kDigits[] = {"０", "１", "２", "３", "４",
                                              "５", "６", "７", "８", "９"};
        return [i](boost::json::object& r) {
            r["employer"].as_object()["name"] = std::string("株式会社見本") + kDigits[i % 10];
        };
    }

    // Every stage once, `rounds` times.
    void Drive(int rounds = 3) {
        for (int i = 0; i < rounds; ++i) {
            for (const auto stage : {Stage::kPrepare, Stage::kSubmit, Stage::kReconcile,
                                     Stage::kTrack, Stage::kCollect}) {
                auto n = pipeline_->RunOnce(stage);
                ASSERT_TRUE(n) << n.error().ToString();
            }
            ASSERT_TRUE(pipeline_->RunDeliverOnce());
        }
    }

    void Run(Stage stage) { ASSERT_TRUE(pipeline_->RunOnce(stage)); }

    queue::Filing Get(std::int64_t id) {
        auto f = store_->Find(id);
        EXPECT_TRUE(f && *f);
        return f && *f ? **f : queue::Filing{};
    }

    void Advance(int seconds) {
        Call("POST", sim_->api_base() + "/_sim/clock",
             R"({"advance_seconds": )" + std::to_string(seconds) + "}");
    }
    void Faults(const std::string& json) { Call("POST", sim_->api_base() + "/_sim/faults", json); }

    std::vector<egov::Case> Cases() {
        auto listed = client_->ListCases("2020-01-01", "2099-12-31");
        EXPECT_TRUE(listed);
        return listed ? *listed : std::vector<egov::Case>{};
    }

    SystemClock clock_;
    const Clock* pipeline_clock_ = &clock_;  // the pipeline's; a test may give it a FakeClock
    egov::Portal* portal_ = nullptr;         // the pipeline's portal; none: client_
    std::unique_ptr<egov::EgovClient> client_;
    std::unique_ptr<signing::TrustStore> official_ca_;
    std::vector<signing::SigningKey> keys_;
    std::unique_ptr<Pipeline> pipeline_;
    std::unique_ptr<queue::Store> store_;
};

TEST_F(PipelineTest, EachProcedureIsFollowedAtItsOwnPace) {
    // 雇用保険 cases asked about once an hour (± 10 %), the others at once.
    MakePipeline(*official_ca_, [](PipelineConfig& c) {
        c.poll_interval_by_procedure["koyo_shutoku"] = std::chrono::hours(1);
    });
    const auto koyo = Submit("koyo_shutoku.json", "koyo-paced");
    const auto kenpo = Submit("kenpo_shutoku.json", "kenpo-paced");
    Run(Stage::kPrepare);
    Run(Stage::kSubmit);
    const TimePoint sent = clock_.Now();
    ASSERT_EQ(Get(koyo).state, FilingState::kArrived);
    ASSERT_EQ(Get(kenpo).state, FilingState::kArrived);
    EXPECT_GE(Get(koyo).next_at, sent + std::chrono::minutes(53));
    EXPECT_LE(Get(koyo).next_at, sent + std::chrono::minutes(67));
    EXPECT_LE(Get(kenpo).next_at, sent);
    Advance(3600);  // the simulator's review moves on; todoke's clock does not
    Drive(2);
    EXPECT_NE(Get(kenpo).state, FilingState::kArrived);  // followed
    EXPECT_EQ(Get(koyo).state, FilingState::kArrived);   // not asked about yet
}

TEST_F(PipelineTest, FromIntakeToTheCompanysMailbox) {
    const auto a = Submit("kenpo_shutoku.json", "shutoku-1");
    const auto b = Submit("kenpo_santei.json", "santei-1");
    const auto c = Submit("koyo_shutoku.json", "koyo-1");  // the first 取得届: no 補正
    Drive();
    for (const auto id : {a, b, c}) {
        EXPECT_EQ(Get(id).state, FilingState::kArrived) << id;
    }
    Advance(700);
    Drive();
    for (const auto id : {a, b, c}) {
        const auto f = Get(id);
        EXPECT_EQ(f.state, FilingState::kCompleted) << id << " " << f.last_error;
        auto mail = store_->Mailbox(f.company);
        ASSERT_TRUE(mail);
        ASSERT_EQ(mail->size(), 1u) << f.company;
        EXPECT_EQ(mail->front().arrive_id, f.arrive_id);
        EXPECT_EQ(mail->front().filing_id, id);
        EXPECT_NE(mail->front().signer.find("Ministry of Health"), std::string::npos);
    }
    EXPECT_EQ(Cases().size(), 3u);
    // The portal heard 取得完了 for each.
    for (const auto id : {a, b, c}) {
        EXPECT_EQ(client_->GetCase(Get(id).arrive_id)->status, "手続終了");
    }
    // The virtual clock jumped past 審査中, so the case went from 到達 to 審査終了.
    EXPECT_EQ(Path(*store_, a), (std::vector<std::string>{"received", "prepared", "submitting",
                                                          "arrived", "review_done", "completed"}));
    auto events = ReadFileBytes(data_dir() / "events.jsonl");
    ASSERT_TRUE(events);
    EXPECT_NE(events->find(R"("event":"completed")"), std::string::npos);
    // Nothing personal in the events.
    EXPECT_EQ(events->find("526018159084"), std::string::npos);
}

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

TEST_F(PipelineTest, AnAmendmentRequestIsAnsweredWithAPartialAmendment) {
    const auto first = Submit("koyo_shutoku.json", "koyo-first");
    Drive();
    const auto second = Submit("koyo_shutoku.json", "koyo-second");  // every 2nd: 補正
    Drive();
    Advance(700);
    Drive();
    EXPECT_EQ(Get(first).state, FilingState::kCompleted);
    auto f = Get(second);
    ASSERT_EQ(f.state, FilingState::kAmendmentRequested) << f.last_error;
    EXPECT_NE(f.notice_json.find("部分補正"), std::string::npos) << f.notice_json;
    auto record = store_->ReadRecord(second);
    ASSERT_TRUE(record);
    auto corrected = store_->SupplyCorrection(second, *record, queue::ApplyKind::kAmend, "test");
    ASSERT_TRUE(corrected) << corrected.error().ToString();
    EXPECT_EQ(corrected->first_arrive_id, f.arrive_id);
    Drive();
    EXPECT_EQ(Get(second).state, FilingState::kUnderReview);
    Advance(700);
    Drive();
    f = Get(second);
    EXPECT_EQ(f.state, FilingState::kCompleted) << f.last_error;
    auto mail = store_->Mailbox(f.company);
    ASSERT_TRUE(mail);
    ASSERT_EQ(mail->size(), 1u);
    EXPECT_EQ(mail->front().notice_sub_id, 2);  // the 公文書 after the 補正
    EXPECT_EQ(Cases().size(), 2u);
}

TEST_F(PipelineTest, AWithdrawalIsSentSignedAndGrantedEndsWithdrawnWithNothingIssued) {
    const auto id = Submit("kenpo_shutoku.json", "withdraw-1");
    Drive();
    ASSERT_EQ(Get(id).state, FilingState::kArrived);
    // Not before it arrived, and only with a reason.
    const auto early = Submit("kenpo_shutoku.json", "withdraw-early");
    EXPECT_EQ(store_->RequestWithdrawal(early, "誤って提出したため", "test").error().field,
              "filing.state");
    EXPECT_EQ(store_->RequestWithdrawal(id, "", "test").error().field, "withdrawal.reason");
    auto asked = store_->RequestWithdrawal(id, "誤って提出したため", "operator:ana");
    ASSERT_TRUE(asked) << asked.error().ToString();
    EXPECT_EQ(asked->state, FilingState::kWithdrawRequested);
    EXPECT_EQ(store_->RequestWithdrawal(id, "again", "test").error().field, "filing.state");
    Run(Stage::kTrack);
    auto f = Get(id);
    EXPECT_EQ(f.state, FilingState::kWithdrawing) << f.last_error;
    EXPECT_EQ(client_->GetCase(f.arrive_id)->status, "到達（取下げ処理中）");
    Drive();
    EXPECT_EQ(Get(id).state, FilingState::kWithdrawing);  // the ministry has not decided
    Advance(700);
    Drive();
    f = Get(id);
    EXPECT_EQ(f.state, FilingState::kWithdrawn) << f.last_error;
    EXPECT_EQ(f.withdraw_reason, "誤って提出したため");
    const auto path = Path(*store_, id);
    EXPECT_EQ(std::vector<std::string>(path.end() - 3, path.end()),
              (std::vector<std::string>{"withdraw_requested", "withdrawing", "withdrawn"}));
    auto mail = store_->Mailbox(f.company);
    ASSERT_TRUE(mail);
    EXPECT_TRUE(mail->empty());  // a withdrawn case issues nothing
    auto events = ReadFileBytes(data_dir() / "events.jsonl");
    ASSERT_TRUE(events);
    EXPECT_NE(events->find(R"("event":"withdrawn")"), std::string::npos);
}

TEST_F(PipelineTest, AWithdrawalWhoseAnswerWasLostIsNotSentAgain) {
    const auto id = Submit("kenpo_shutoku.json", "withdraw-lost");
    Drive();
    ASSERT_TRUE(store_->RequestWithdrawal(id, "重複して提出したため", "test"));
    Faults(R"({"drop_after_record": 1, "seed": 3})");
    Run(Stage::kTrack);  // the portal records the 取下げ依頼; its answer never comes
    auto f = Get(id);
    EXPECT_EQ(f.state, FilingState::kWithdrawRequested);
    EXPECT_EQ(f.failures, 1);
    Faults(R"({"drop_after_record": 0})");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // past the back-off
    // A second 取下げ依頼 would be refused (the case is 取下げ処理中) and the filing would go
    // back to under_review; looking at the case first finds the first one.
    Run(Stage::kTrack);
    f = Get(id);
    EXPECT_EQ(f.state, FilingState::kWithdrawing) << f.last_error;
    auto history = store_->History(id);
    ASSERT_TRUE(history);
    EXPECT_NE(history->back().reason.find("had reached the portal"), std::string::npos)
        << history->back().reason;
    Advance(700);
    Drive();
    EXPECT_EQ(Get(id).state, FilingState::kWithdrawn);
}

TEST_F(PipelineTest, ARefusedWithdrawalLetsTheCaseGoOnToItsOfficialDocument) {
    sim_.reset();
    config_.withdraw_reject_every = 1;
    StartSim();
    client_ = MakeClient();
    ASSERT_TRUE(client_->Login(client_->ConsentByRedirect()));
    MakePipeline(*official_ca_);
    const auto id = Submit("kenpo_shutoku.json", "withdraw-refused");
    Drive();
    ASSERT_TRUE(store_->RequestWithdrawal(id, "誤って提出したため", "test"));
    Drive();
    EXPECT_EQ(Get(id).state, FilingState::kWithdrawing);
    Advance(700);  // the 取下げ is refused; the case is decided and its 公文書 issued
    Drive();
    const auto f = Get(id);
    EXPECT_EQ(f.state, FilingState::kCompleted) << f.last_error;
    auto mail = store_->Mailbox(f.company);
    ASSERT_TRUE(mail);
    EXPECT_EQ(mail->size(), 1u);
    bool refused = false;
    auto history = store_->History(id);
    ASSERT_TRUE(history);
    for (const auto& h : *history) {
        refused = refused || (h.from == "withdrawing" &&
                              h.reason.find("取下げ却下のお知らせ") != std::string::npos);
    }
    EXPECT_TRUE(refused);
}

TEST_F(PipelineTest, AnOfficialDocumentFromAnUntrustedSignerIsQuarantinedNeverDelivered) {
    auto wrong = signing::TrustStore::FromPemFiles({ca_.cert_path});
    ASSERT_TRUE(wrong);
    MakePipeline(*wrong);
    const auto id = Submit("kenpo_shutoku.json", "quarantine-1");
    Drive();
    Advance(700);
    Drive();
    const auto f = Get(id);
    EXPECT_EQ(f.state, FilingState::kDead);
    EXPECT_NE(f.last_error.find("quarantined"), std::string::npos) << f.last_error;
    auto counts = store_->Counts();
    ASSERT_TRUE(counts);
    EXPECT_EQ(counts->quarantined, 1);
    EXPECT_EQ(counts->delivered, 0);
    EXPECT_TRUE(store_->Mailbox(f.company)->empty());
    EXPECT_EQ(client_->GetCase(f.arrive_id)->status, "審査終了");  // never acknowledged
}

TEST_F(PipelineTest, FieldErrorsAreAllKeptAndTheRecordIsNotLost) {
    const auto id = Submit("kenpo_shutoku.json", "invalid-1", [](boost::json::object& r) {
        auto& p = r["persons"].as_array()[0].as_object();
        p["birth_date"] = "1985-02-30";
        p["my_number"] = "526018159085";
    });
    Drive(1);
    const auto f = Get(id);
    EXPECT_EQ(f.state, FilingState::kInvalid);
    auto errors = boost::json::parse(f.errors_json).as_array();
    EXPECT_GE(errors.size(), 2u);
    EXPECT_NE(f.errors_json.find("persons[0].birth_date"), std::string::npos);
    EXPECT_NE(f.errors_json.find("persons[0].my_number"), std::string::npos);
    EXPECT_EQ(f.errors_json.find("526018159085"), std::string::npos);  // masked
    EXPECT_TRUE(store_->ReadRecord(id));
    EXPECT_TRUE(Cases().empty());
}

TEST_F(PipelineTest, APortalRejectionIsFinalAndKeepsTheRows) {
    auto other_ca = pki_.Issue("other-ca", {.common_name = "Other CA", .is_ca = true}, nullptr);
    auto stranger = pki_.Issue("stranger", {.common_name = "Stranger"}, &other_ca);
    keys_ = {::todoke::testing::LoadKey(stranger)};
    MakePipeline(*official_ca_);
    const auto id = Submit("kenpo_shutoku.json", "rejected-1");
    Drive();
    const auto f = Get(id);
    EXPECT_EQ(f.state, FilingState::kRejected);
    EXPECT_NE(f.errors_json.find("kousei.xml"), std::string::npos) << f.errors_json;
    EXPECT_TRUE(Cases().empty());
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
}  // namespace todoke::gateway
