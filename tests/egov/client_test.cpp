// The e-Gov client (EgovClient) against the simulator: login, every call, every error shape,
// the token manager (sealed storage, refresh at 80 %, once on a 401, re-consent), faults,
// reconciliation after a dropped answer, and collecting 公文書.
#include "todoke/egov/client.hpp"

#include "sim_fixture.hpp"
#include "todoke/common/file.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/egov/collector.hpp"
#include "todoke/forms/package.hpp"
#include "todoke/gateway/package_builder.hpp"

namespace todoke::egov::testing {
namespace {

class ClientTest : public SimTest {
  protected:
    void SetUp() override {
        SimTest::SetUp();
        clock_.Set(SystemClock().Now());
        client_ = MakeClient();
        ASSERT_TRUE(client_->Login(client_->ConsentByRedirect()));
    }
    std::unique_ptr<EgovClient> MakeClient() {
        auto config = ClientConfigFromReadyLine(sim_->ReadyLine(), dir_.path() / "tokens.sealed",
                                                std::string(32, 'K'));
        EXPECT_TRUE(config);
        ClientConfig c = *config;
        c.timeout = std::chrono::seconds(20);
        auto client = EgovClient::Create(c, clock_);
        EXPECT_TRUE(client);
        return std::move(*client);
    }
    void Advance(int seconds) {
        Call("POST", sim_->api_base() + "/_sim/clock",
             R"({"advance_seconds": )" + std::to_string(seconds) + "}");
    }
    FakeClock clock_{SystemClock().Now()};
    std::unique_ptr<EgovClient> client_;
};

TEST_F(ClientTest, AppliesFollowsTheCaseAndCollectsTheSignedDocument) {
    auto sent = client_->Apply("4950000020325000", SamplePackage("koyo_shutoku.json"));
    ASSERT_TRUE(sent) << sent.error().ToString();
    ASSERT_FALSE(sent->rejected());
    EXPECT_EQ(sent->apply_type, "新規申請");
    auto c = client_->GetCase(sent->arrive_id);
    ASSERT_TRUE(c) << c.error().ToString();
    EXPECT_EQ(c->status, "到達");
    EXPECT_TRUE(c->withdraw_possible);
    Advance(173401);
    c = client_->GetCase(sent->arrive_id);
    EXPECT_EQ(c->status, "審査終了");
    ASSERT_EQ(c->documents.size(), 1u);
    auto trust = signing::TrustStore::FromPemFiles(
        {std::string(Ready().at("official_ca_file").as_string())});
    ASSERT_TRUE(trust);
    auto collected =
        CollectOfficialDocument(*client_, sent->arrive_id, c->documents[0].notice_sub_id, *trust,
                                dir_.path() / "docs", SystemClock().Now());
    ASSERT_TRUE(collected) << collected.error().ToString();
    EXPECT_TRUE(std::filesystem::exists(collected->path));
    EXPECT_NE(collected->signer.find("OU=Ministry of Health"), std::string::npos)
        << collected->signer;
    EXPECT_EQ(client_->GetCase(sent->arrive_id)->status, "手続終了");
    auto stored = ReadFileBytes(collected->path, "doc");
    ASSERT_TRUE(stored);
    EXPECT_EQ(*client_->VerifyAtPortal(*stored, "kagami.xml"), "正常です。");
    auto listed = client_->ListCases("2020-11-24", "2099-12-31");
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->size(), 1u);
    EXPECT_EQ(client_->GetCase("4952026999999999").error().code, ErrorCode::kNotFound);
}

TEST_F(ClientTest, ADocumentFromAnotherCaIsQuarantinedAndNotAcknowledged) {
    auto sent = client_->Apply("4950000020325000", SamplePackage("koyo_shutoku.json"));
    ASSERT_TRUE(sent);
    Advance(173401);
    // The client pins a CA that did not sign it (here: the 社労士 CA).
    auto wrong = signing::TrustStore::FromPemFiles({ca_.cert_path});
    auto collected = CollectOfficialDocument(*client_, sent->arrive_id, 1, *wrong,
                                             dir_.path() / "docs", SystemClock().Now());
    ASSERT_FALSE(collected);
    EXPECT_EQ(collected.error().code, ErrorCode::kRejected);
    EXPECT_TRUE(std::filesystem::exists(dir_.path() / "docs" / "quarantine" /
                                        (sent->arrive_id + "_1.zip")));
    EXPECT_EQ(client_->GetCase(sent->arrive_id)->status, "審査終了");  // not 取得完了
}

TEST_F(ClientTest, BulkSendsArePolledUntilEveryFolderIsTaken) {
    auto reader = ZipReader::Open(SamplePackage("kenpo_shoyo.json"), {});
    ASSERT_TRUE(reader);
    std::vector<ZipWriteEntry> entries;
    for (const char* folder : {"4950000020417000(1)", "4950000020417000(2)"}) {
        for (const auto& e : reader->entries()) {
            entries.push_back({folder + e.name.substr(e.name.find('/')),
                               e.is_directory ? "" : *reader->Read(e.name)});
        }
    }
    auto sent = client_->BulkApply(*WriteZip(entries));
    ASSERT_TRUE(sent) << sent.error().ToString();
    ASSERT_TRUE(sent->rejection.empty());
    EXPECT_EQ(sent->apply_count, 2);
    auto report = client_->GetBulkReport(sent->send_number);
    ASSERT_TRUE(report);
    EXPECT_FALSE(report->complete());  // the batch has not run
    Advance(301);
    report = client_->GetBulkReport(sent->send_number);
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->complete());
    EXPECT_EQ(report->arrive_count, 2);
    EXPECT_NE(report->results.at(0).arrive_id, "-");
    auto refused = client_->BulkApply("not a zip");
    ASSERT_TRUE(refused);
    EXPECT_FALSE(refused->rejection.empty());
}

TEST_F(ClientTest, TheSkeletonOfAProcedure) {
    auto skeleton = client_->GetProcedure("4950000020415000");
    ASSERT_TRUE(skeleton) << skeleton.error().ToString();
    EXPECT_EQ(skeleton->configuration_files, std::vector<std::string>{"kousei.xml"});
    ASSERT_EQ(skeleton->form_files, std::vector<std::string>{"495000020415029955_01.xml"});
    auto reader = ZipReader::Open(skeleton->zip, {});
    ASSERT_TRUE(reader);
    auto kousei = reader->Read("4950000020415000/kousei.xml");
    ASSERT_TRUE(kousei);
    EXPECT_NE(kousei->find("<手続ID>4950000020415000</手続ID>"), std::string::npos);
    EXPECT_TRUE(reader->Contains("4950000020415000/495000020415029955.xsd"));
    EXPECT_EQ(client_->GetProcedure("9999999999999999").error().code, ErrorCode::kNotFound);
}

TEST_F(ClientTest, AmendmentsResubmissionsAndWithdrawalsThroughTheClient) {
    // 賞与支払届: every case gets a 部分補正; 算定基礎届: every case a 再提出.
    config_.scripts = {{"4950000020417000", 1, "部分補正"}, {"4950000020415000", 1, "再提出"}};
    StartSim();
    client_ = MakeClient();
    EXPECT_TRUE(*client_->IntrospectAccessToken());
    auto shoyo = client_->Apply("4950000020417000", SamplePackage("kenpo_shoyo.json"));
    auto santei = client_->Apply("4950000020415000", SamplePackage("kenpo_santei.json"));
    ASSERT_TRUE(shoyo && santei);
    Advance(173401);
    auto notices = client_->ListNotices("2020-11-24", "2099-12-31");
    ASSERT_TRUE(notices) << notices.error().ToString();
    ASSERT_EQ(notices->size(), 2u);
    auto partial = client_->GetNotice(shoyo->arrive_id, 1);
    ASSERT_TRUE(partial);
    EXPECT_EQ(partial->correct_type, "部分補正");
    EXPECT_EQ(client_->GetNotice(santei->arrive_id, 1)->correct_type, "再提出");
    // 部分補正 of the 賞与 case; a 部分補正 for the 再提出 case is refused.
    auto amended = client_->Amend(shoyo->arrive_id,
                                  SamplePackage("kenpo_shoyo.json", "部分補正", shoyo->arrive_id));
    ASSERT_TRUE(amended) << amended.error().ToString();
    EXPECT_FALSE(amended->rejected());
    auto wrong = client_->Amend(santei->arrive_id,
                                SamplePackage("kenpo_santei.json", "部分補正", santei->arrive_id));
    ASSERT_TRUE(wrong);
    EXPECT_TRUE(wrong->rejected());
    // 再提出: a new case through /apply; the original ends.
    auto again = client_->Apply("4950000020415000",
                                SamplePackage("kenpo_santei.json", "再提出", santei->arrive_id));
    ASSERT_TRUE(again) << again.error().ToString();
    ASSERT_FALSE(again->rejected());
    EXPECT_EQ(again->apply_type, "再提出");
    EXPECT_NE(again->arrive_id, santei->arrive_id);
    EXPECT_EQ(client_->GetCase(santei->arrive_id)->status, "手続終了");
    EXPECT_EQ(client_->GetCase(again->arrive_id)->status, "到達");
    // 取下げ of the resubmitted case while it is 到達.
    auto files = forms::RenderWithdrawal({again->arrive_id,
                                          "健康保険・厚生年金保険 被保険者報酬月額算定基礎届",
                                          "山田　一郎",
                                          "誤って提出したため",
                                          {2026, 11, 23}});
    ASSERT_TRUE(files);
    const std::vector<signing::SigningKey> keys{::todoke::testing::LoadKey(signer_)};
    auto withdrawn = client_->Withdraw(
        again->arrive_id, *gateway::SignAndZip(std::move(*files), keys, SystemClock().Now()));
    ASSERT_TRUE(withdrawn) << withdrawn.error().ToString();
    EXPECT_FALSE(withdrawn->rejected());
    EXPECT_EQ(client_->GetCase(again->arrive_id)->status, "到達（取下げ処理中）");
    ASSERT_TRUE(client_->Logout());
}

TEST_F(ClientTest, ARejectionKeepsItsRowsAndIsNotAnError) {
    auto r = client_->Apply("4950000020325000", SamplePackage("koyo_soshitsu.json"));
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_TRUE(r->rejected());
    bool named = false;
    for (const auto& row : r->rejection) named = named || row.item == "手続ID";
    EXPECT_TRUE(named);
    auto check = client_->Check("4950000020326000", SamplePackage("koyo_soshitsu.json"));
    ASSERT_TRUE(check);
    EXPECT_EQ(check->error_count, 0);
    EXPECT_EQ(client_->Apply("bad", "zip").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(ClientTest, TokensAreSealedRefreshedAt80PercentAndAfterA401) {
    const std::string sealed = *ReadFileBytes(dir_.path() / "tokens.sealed", "t");
    EXPECT_EQ(sealed.find("Bearer"), std::string::npos);
    EXPECT_EQ(sealed.find("access"), std::string::npos);
    ASSERT_TRUE(client_->ListCases("2026-01-01", "2026-01-02"));
    // 80 % of 3600 s later the client refreshes before calling: the stored tokens change.
    clock_.Advance(std::chrono::seconds(2900));
    ASSERT_TRUE(client_->ListCases("2026-01-01", "2026-01-02"));
    EXPECT_NE(*ReadFileBytes(dir_.path() / "tokens.sealed", "t"), sealed);
    // Access tokens revoked early: one 401, one refresh, the call succeeds.
    Call("POST", sim_->api_base() + "/_sim/revoke_tokens", R"({"kind": "access"})");
    EXPECT_TRUE(client_->ListCases("2026-01-01", "2026-01-02"));
    // A second client on the same token file continues with the newest tokens.
    auto other = MakeClient();
    EXPECT_TRUE(other->ListCases("2026-01-01", "2026-01-02"));
    // Everything revoked: a clear answer that a person must consent again.
    Call("POST", sim_->api_base() + "/_sim/revoke_tokens", R"({"kind": "all"})");
    auto denied = other->ListCases("2026-01-01", "2026-01-02");
    ASSERT_FALSE(denied);
    EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
    EXPECT_NE(denied.error().message.find("todoke egov login"), std::string::npos);
    ASSERT_TRUE(other->Login(other->ConsentByRedirect()));
    EXPECT_TRUE(other->ListCases("2026-01-01", "2026-01-02"));
    EXPECT_TRUE(other->Logout());
    EXPECT_EQ(other->ListCases("2026-01-01", "2026-01-02").error().code,
              ErrorCode::kPermissionDenied);
}

TEST_F(ClientTest, ADroppedAnswerIsReconciledFromTheCaseList) {
    config_.faults.drop_after_record = 1.0;
    StartSim();
    client_ = MakeClient();  // tokens survive the restart
    const TimePoint sent_at = SystemClock().Now();
    auto sent = client_->Apply("4950000020415000", SamplePackage("kenpo_santei.json"));
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
    auto found =
        FindArrivedCases(*client_, "健康保険・厚生年金保険 被保険者報酬月額算定基礎届",
                         "山田　一郎", "株式会社サンプル商事", sent_at, SystemClock().Now());
    ASSERT_TRUE(found) << found.error().ToString();
    ASSERT_EQ(found->size(), 1u);  // it arrived: no second send
    EXPECT_EQ(found->front().status, "到達");
    auto none = FindArrivedCases(*client_, "健康保険・厚生年金保険 被保険者賞与支払届",
                                 "山田　一郎", "", sent_at, SystemClock().Now());
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());  // provably absent: may be sent
}

TEST_F(ClientTest, ServerFaultsAreRetryableWithRetryAfter) {
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(SystemClock().Now().time_since_epoch())
            .count();
    config_.faults.maintenance_start = now - 10;
    config_.faults.maintenance_end = now + 3600;
    StartSim();
    client_ = MakeClient();
    auto r = client_->GetCase("4952026000000001");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
    EXPECT_GT(r.error().retry_after_seconds, 0);
    config_.faults = {};
    config_.faults.error_500 = 1.0;
    StartSim();
    client_ = MakeClient();
    EXPECT_EQ(client_->ListCases("2026-01-01", "2026-01-02").error().code, ErrorCode::kUnavailable);
    sim_->Stop();  // nobody listening: a transport error, also retryable
    EXPECT_EQ(client_->ListCases("2026-01-01", "2026-01-02").error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace todoke::egov::testing
