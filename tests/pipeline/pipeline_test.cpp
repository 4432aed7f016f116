// The pipeline's stages one pass at a time against the in-process simulator: intake to mailbox,
// each procedure at its own pace, 補正 answered with a 部分補正, 取下げ granted, refused or with
// its answer lost, a 公文書 from an untrusted signer quarantined, field errors kept, a portal
// rejection final. Faults and operators: pipeline_faults_test.cpp.
#include "pipeline_fixture.hpp"

namespace todoke::gateway::testing {
namespace {

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

}  // namespace
}  // namespace todoke::gateway::testing
