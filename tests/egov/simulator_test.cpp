// The e-Gov simulator as a client sees it: the OAuth2 server, the envelopes and error shapes,
// the package checks, the case script on the virtual clock, persistence and faults.
#include "sim_fixture.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/forms/package.hpp"
#include "todoke/gateway/package_builder.hpp"
#include "todoke/signing/verifier.hpp"

namespace todoke::egov::testing {
namespace {

std::string Basic(const boost::json::object& ready) {
    return "Basic " +
           Base64Encode("todoke-sim:" + std::string(ready.at("client_secret").as_string()));
}

class OAuthTest : public SimTest {
  protected:
    detail::HttpReply Form(const std::string& path, const std::string& form,
                           const std::string& auth = "") {
        const auto ready = Ready();
        return Call("POST", std::string(ready.at("auth_base").as_string()) + path, form,
                    {{"Authorization", auth.empty() ? Basic(ready) : auth},
                     {"Content-Type", "application/x-www-form-urlencoded"}});
    }
    bool Active(const std::string& token) {
        return JsonOf(Form("/token/introspect", "token=" + token)).at("active").as_bool();
    }
};

TEST_F(OAuthTest, CodeWithPkceGivesTokensThatRotateAndEndAtLogout) {
    const Tokens first = Login();
    EXPECT_TRUE(Active(first.access));
    EXPECT_TRUE(Active(first.refresh));
    // Refresh: a new pair; the used refresh token and the old access token end.
    auto refreshed = Form("/token", "grant_type=refresh_token&refresh_token=" + first.refresh);
    ASSERT_EQ(refreshed.status, 200) << refreshed.body;
    const auto json = JsonOf(refreshed);
    for (const char* field :
         {"access_token", "expires_in", "refresh_expires_in", "refresh_token", "token_type",
          "scope", "id_token", "not-before-policy", "session_state"}) {
        EXPECT_TRUE(json.contains(field)) << field;
    }
    const std::string refresh2(json.at("refresh_token").as_string());
    EXPECT_NE(refresh2, first.refresh);
    EXPECT_FALSE(Active(first.access));
    auto reused = Form("/token", "grant_type=refresh_token&refresh_token=" + first.refresh);
    EXPECT_EQ(reused.status, 400);
    EXPECT_EQ(JsonOf(reused).at("error").as_string(), "invalid_grant");
    // Logout: 204, and nothing of the session is active any more.
    auto logout = Form("/logout", "refresh_token=" + refresh2);
    EXPECT_EQ(logout.status, 204);
    EXPECT_TRUE(logout.body.empty());
    EXPECT_FALSE(Active(refresh2));
    EXPECT_FALSE(Active(std::string(json.at("access_token").as_string())));
}

TEST_F(OAuthTest, RefusesWrongClientsVerifiersAndReusedCodes) {
    auto bad_client =
        Form("/token/introspect", "token=x", "Basic " + Base64Encode("todoke-sim:no"));
    EXPECT_EQ(bad_client.status, 401);
    EXPECT_EQ(JsonOf(bad_client).at("error").as_string(), "invalid_client");
    const auto ready = Ready();
    auto consent =
        Call("GET", std::string(ready.at("auth_base").as_string()) +
                        "/auth?client_id=todoke-sim&response_type=code&redirect_uri=" +
                        detail::UrlEncode("http://127.0.0.1/callback") +
                        "&code_challenge=" + std::string(43, 'A') + "&code_challenge_method=S256");
    ASSERT_EQ(consent.status, 302);
    const std::string location = consent.Header("location");
    const auto at = location.find("code=") + 5;
    const std::string code = location.substr(at, location.find('&', at) - at);
    const std::string form = "grant_type=authorization_code&code=" + code +
                             "&redirect_uri=" + detail::UrlEncode("http://127.0.0.1/callback") +
                             "&code_verifier=" + std::string(43, 'x');
    auto wrong = Form("/token", form);
    EXPECT_EQ(wrong.status, 400);
    EXPECT_EQ(JsonOf(wrong).at("error").as_string(), "invalid_grant");
    auto other_redirect = Call("GET", std::string(ready.at("auth_base").as_string()) +
                                          "/auth?client_id=todoke-sim&response_type=code&"
                                          "redirect_uri=https%3A%2F%2Fevil.example%2F&"
                                          "code_challenge=x&code_challenge_method=S256");
    EXPECT_EQ(other_redirect.status, 400);
}

class ApiTest : public SimTest {
  protected:
    void SetUp() override {
        SimTest::SetUp();
        token_ = Login().access;
    }
    std::vector<std::string> Rows(const detail::HttpReply& reply) {
        std::vector<std::string> out;
        const auto json = JsonOf(reply);
        if (!json.contains("report_list")) return out;
        for (const auto& row : json.at("report_list").as_array()) {
            out.push_back(std::string(row.at("file_name").as_string()) + "|" +
                          std::string(row.at("item").as_string()) + "|" +
                          std::string(row.at("content").as_string()));
        }
        return out;
    }
    static bool AnyContains(const std::vector<std::string>& rows, const std::string& needle) {
        for (const auto& r : rows)
            if (r.find(needle) != std::string::npos) return true;
        return false;
    }
    std::string token_;
};

TEST_F(ApiTest, UnauthenticatedIs401WithoutBodyAndUnknownCaseIs404WithoutBody) {
    auto r = Api("GET", "/apply/9502026000000001", "not-a-token");
    EXPECT_EQ(r.status, 401);
    EXPECT_TRUE(r.body.empty());
    EXPECT_NE(r.Header("www-authenticate").find("error=\"invalid_token\""), std::string::npos);
    auto missing = Api("GET", "/apply/9502026000000001", token_);
    EXPECT_EQ(missing.status, 404);
    EXPECT_TRUE(missing.body.empty());
}

TEST_F(ApiTest, ASignedPackageArrivesAndItsCaseMovesOnTheVirtualClock) {
    auto applied = Api("POST", "/apply", token_,
                       ApplyBody("4950000020415000", SamplePackage("kenpo_santei.json")));
    ASSERT_EQ(applied.status, 200) << applied.body;
    const auto json = JsonOf(applied);
    EXPECT_EQ(json.at("metadata").at("instance").as_string(), "/shinsei/v2/apply");
    const std::string arrive_id(json.at("results").at("arrive_id").as_string());
    EXPECT_EQ(arrive_id.size(), 16u);
    EXPECT_EQ(arrive_id.substr(0, 3), "495");
    EXPECT_EQ(json.at("results").at("apply_type").as_string(), "新規申請");
    EXPECT_EQ(json.at("results").at("arrive_date").as_string().size(), 19u);
    EXPECT_TRUE(json.at("_links").as_object().contains("status"));
    const auto status = [&] {
        auto detail = Api("GET", "/apply/" + arrive_id, token_);
        EXPECT_EQ(detail.status, 200);
        return std::string(JsonOf(detail).at("results").at("status").as_string());
    };
    EXPECT_EQ(status(), "到達");
    const std::string clock = sim_->api_base() + "/_sim/clock";
    EXPECT_EQ(Call("POST", clock, R"({"advance_seconds": 601})").status, 200);
    EXPECT_EQ(status(), "審査中");
    Call("POST", clock, R"({"advance_seconds": 172800})");
    EXPECT_EQ(status(), "審査終了");
    auto detail = JsonOf(Api("GET", "/apply/" + arrive_id, token_));
    EXPECT_EQ(detail.at("results").at("doc_count").as_int64(), 1);
    EXPECT_EQ(detail.at("results").at("official_list").at(0).at("sign").as_string(), "あり");
    // Past the retrieval deadline the case ends.
    Call("POST", clock, R"({"advance_seconds": 7776000})");
    EXPECT_EQ(status(), "手続終了");
}

TEST_F(ApiTest, BadPackagesGet400WithRowsNamingFileAndItem) {
    const std::string good = SamplePackage("koyo_soshitsu.json");
    // A form byte changed after signing.
    auto reader = ZipReader::Open(good, {});
    ASSERT_TRUE(reader);
    std::string form = *reader->Read("4950000020326000/495000020326029841_01.xml");
    form.replace(form.find("見本　次郎"), std::string("見本　次郎").size(), "偽造　次郎");
    auto tampered = ReplaceZipEntries(good, {{"4950000020326000/495000020326029841_01.xml", form}});
    ASSERT_TRUE(tampered);
    auto r = Api("POST", "/apply", token_, ApplyBody("4950000020326000", *tampered));
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(AnyContains(Rows(r), "kousei.xml|署名情報|")) << r.body;
    // The proc_id of another procedure than the package's.
    r = Api("POST", "/apply", token_, ApplyBody("4950000020325000", good));
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(AnyContains(Rows(r), "kousei.xml|手続ID|"));
    // Not Base64, not a ZIP.
    r = Api("POST", "/apply", token_,
            R"({"proc_id":"4950000020326000","send_file":{"file_name":"a.zip","file_data":"%%"}})");
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(AnyContains(Rows(r), "|file_data|"));
    // A 再提出 that names no existing case.
    r = Api("POST", "/apply", token_,
            ApplyBody("4950000020326000",
                      SamplePackage("koyo_soshitsu.json", "再提出", "4952026000099999")));
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(AnyContains(Rows(r), "初回受付番号に誤りがあります"));
    // /apply/check answers 200 with the same rows and records nothing.
    auto check = Api("POST", "/apply/check", token_, ApplyBody("4950000020325000", good));
    EXPECT_EQ(check.status, 200);
    EXPECT_GT(JsonOf(check).at("results").at("error_count").as_int64(), 0);
}

TEST_F(ApiTest, AnUntrustedSignerIsRefused) {
    auto other_ca = pki_.Issue("other-ca", {.common_name = "Other CA", .is_ca = true}, nullptr);
    signer_ = pki_.Issue("intruder", {.common_name = "Intruder", .key_slot = 5}, &other_ca);
    auto r = Api("POST", "/apply", token_,
                 ApplyBody("4950000020415000", SamplePackage("kenpo_santei.json")));
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(AnyContains(Rows(r), "certificate")) << r.body;
}

TEST_F(ApiTest, WithoutTrustAnchorsNoSignatureIsAccepted) {
    config_.trust_files.clear();
    StartSim();
    auto r = Api("POST", "/apply", token_,
                 ApplyBody("4950000020415000", SamplePackage("kenpo_santei.json")));
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(AnyContains(Rows(r), "kousei.xml|署名情報|the simulator has no applicant trust"));
}

TEST_F(ApiTest, ListsAreNewestFirstPagedAndSurviveARestart) {
    std::vector<std::string> ids;
    const std::string zip = SamplePackage("kenpo_shoyo.json");
    for (int i = 0; i < 3; ++i) {
        auto r = Api("POST", "/apply", token_, ApplyBody("4950000020417000", zip));
        ASSERT_EQ(r.status, 200) << r.body;
        ids.push_back(std::string(JsonOf(r).at("results").at("arrive_id").as_string()));
        Call("POST", sim_->api_base() + "/_sim/clock", R"({"advance_seconds": 60})");
    }
    // Trial: checked, answered, not kept.
    auto trial = Api("POST", "/apply", token_, ApplyBody("4950000020417000", zip),
                     {{"X-eGovAPI-Trial", "true"}});
    EXPECT_EQ(trial.status, 200);
    const std::string today = FormatJstDate(SystemClock().Now());
    const std::string range = "date_from=2020-11-24&date_to=2099-12-31";
    auto page1 = JsonOf(Api("GET", "/apply/lists?" + range + "&limit=2&offset=0", token_));
    EXPECT_EQ(page1.at("resultset").at("all_count").as_int64(), 3);
    EXPECT_EQ(page1.at("results").at("apply_list").at(0).at("arrive_id").as_string(), ids[2]);
    EXPECT_EQ(page1.at("results").at("apply_list").at(0).at("send_number").as_string(), "-");
    EXPECT_TRUE(page1.at("_links").as_object().contains("next"));
    EXPECT_FALSE(page1.at("_links").as_object().contains("previous"));
    auto page2 = JsonOf(Api("GET", "/apply/lists?" + range + "&limit=2&offset=2", token_));
    EXPECT_EQ(page2.at("results").at("apply_list").as_array().size(), 1u);
    EXPECT_EQ(page2.at("results").at("apply_list").at(0).at("arrive_id").as_string(), ids[0]);
    EXPECT_TRUE(page2.at("_links").as_object().contains("previous"));
    // offset 1 is the first page too (egov-api.md §3.4).
    auto page1b = JsonOf(Api("GET", "/apply/lists?" + range + "&limit=2&offset=1", token_));
    EXPECT_EQ(page1b.at("results").at("apply_list").at(0).at("arrive_id").as_string(), ids[2]);

    const std::string secret(Ready().at("client_secret").as_string());
    StartSim();  // same data folder
    EXPECT_EQ(Ready().at("client_secret").as_string(), secret);
    EXPECT_EQ(Api("GET", "/apply/" + ids[1], token_).status, 200);  // tokens survive too
    EXPECT_EQ(JsonOf(Api("GET", "/apply/lists?" + range + "&limit=50&offset=0", token_))
                  .at("resultset")
                  .at("all_count")
                  .as_int64(),
              3);
}

TEST_F(ApiTest, OfficialDocumentsAreSignedKeptUntilTheirDeadlineAndCompleteTheCase) {
    auto applied = Api("POST", "/apply", token_,
                       ApplyBody("4950000020325000", SamplePackage("koyo_shutoku.json")));
    ASSERT_EQ(applied.status, 200) << applied.body;
    const std::string id(JsonOf(applied).at("results").at("arrive_id").as_string());
    EXPECT_EQ(Api("GET", "/official_document/" + id + "/1", token_).status, 404);  // not yet
    Call("POST", sim_->api_base() + "/_sim/clock", R"({"advance_seconds": 173401})");
    auto doc = Api("GET", "/official_document/" + id + "/1", token_);
    ASSERT_EQ(doc.status, 200) << doc.body;
    const auto results = JsonOf(doc).at("results").as_object();
    auto zip = Base64Decode(results.at("file_data").as_string());
    ASSERT_TRUE(zip);
    // Verified against the CA the ready line names: a 鑑 and the 雇用保険 PDF (CP932 name).
    auto trust = signing::TrustStore::FromPemFiles(
        {std::string(Ready().at("official_ca_file").as_string())});
    ASSERT_TRUE(trust);
    auto report = signing::VerifyOfficialDocument(*zip, *trust, SystemClock().Now());
    ASSERT_TRUE(report) << report.error().ToString();
    EXPECT_EQ(
        report->signed_files.count("雇用保険被保険者証、資格取得等確認通知書(被保険者用).pdf"), 1u);
    // The same bytes on every download.
    auto again = Api("GET", "/official_document/" + id + "/1", token_);
    EXPECT_EQ(JsonOf(again).at("results").at("file_data"), results.at("file_data"));
    // e-Gov's own verification service agrees; a changed byte does not pass.
    const std::string verify_body = [&](const std::string& bytes) {
        return boost::json::serialize(
            boost::json::object{{"file_name", "doc.zip"},
                                {"file_data", Base64Encode(bytes)},
                                {"sig_verification_xml_file_name", "kagami.xml"}});
    }(*zip);
    auto verified = JsonOf(Api("POST", "/official_document/verify", token_, verify_body));
    EXPECT_EQ(
        verified.at("results").at("verify_result").at(0).at("official").at("validation_result"),
        "正常です。");
    // 取得完了 ends the case.
    auto done = Api("POST", "/official_document", token_,
                    R"({"arrive_id": ")" + id + R"(", "notice_sub_id": 1})");
    EXPECT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(JsonOf(Api("GET", "/apply/" + id, token_)).at("results").at("status"), "手続終了");
    // Past the deadline the document is gone.
    Call("POST", sim_->api_base() + "/_sim/clock", R"({"advance_seconds": 7776000})");
    EXPECT_EQ(Api("GET", "/official_document/" + id + "/1", token_).status, 400);
}

TEST_F(ApiTest, AnAmendmentNoticeIsAnsweredWithAPartialAmendment) {
    config_.amendment_every = 1;
    StartSim();
    auto applied = Api("POST", "/apply", token_,
                       ApplyBody("4950000020417000", SamplePackage("kenpo_shoyo.json")));
    ASSERT_EQ(applied.status, 200) << applied.body;
    const std::string id(JsonOf(applied).at("results").at("arrive_id").as_string());
    Call("POST", sim_->api_base() + "/_sim/clock", R"({"advance_seconds": 173401})");
    EXPECT_EQ(JsonOf(Api("GET", "/apply/" + id, token_)).at("results").at("status"),
              "審査中（補正待ち）");
    auto notices = JsonOf(Api(
        "GET", "/notice/lists?date_from=2020-11-24&date_to=2099-12-31&limit=50&offset=0", token_));
    ASSERT_EQ(notices.at("results").at("notice_list").as_array().size(), 1u);
    auto notice = JsonOf(Api("GET", "/notice/" + id + "/1", token_));
    EXPECT_EQ(notice.at("results").at("notice").at("notice_type"), "補正");
    EXPECT_EQ(notice.at("results").at("notice").at("correct_type"), "部分補正");
    // A 新規申請 package is not an amendment; a 部分補正 naming the case is.
    auto wrong = Api(
        "POST", "/apply/amend", token_,
        boost::json::serialize(boost::json::object{
            {"arrive_id", id},
            {"send_file",
             boost::json::parse(ApplyBody("4950000020417000", SamplePackage("kenpo_shoyo.json")))
                 .at("send_file")}}));
    EXPECT_EQ(wrong.status, 400);
    auto amended =
        Api("POST", "/apply/amend", token_,
            boost::json::serialize(boost::json::object{
                {"arrive_id", id},
                {"send_file",
                 boost::json::parse(ApplyBody("4950000020417000",
                                              SamplePackage("kenpo_shoyo.json", "部分補正", id)))
                     .at("send_file")}}));
    ASSERT_EQ(amended.status, 200) << amended.body;
    EXPECT_EQ(JsonOf(Api("GET", "/apply/" + id, token_)).at("results").at("status"), "審査中");
    Call("POST", sim_->api_base() + "/_sim/clock", R"({"advance_seconds": 601})");
    auto detail = JsonOf(Api("GET", "/apply/" + id, token_));
    EXPECT_EQ(detail.at("results").at("status"), "審査終了");
    EXPECT_EQ(detail.at("results").at("official_list").at(0).at("notice_sub_id"), 2);
    EXPECT_EQ(Api("GET", "/official_document/" + id + "/2", token_).status, 200);
}

TEST_F(ApiTest, AWithdrawalRequestStopsACaseUnderReview) {
    auto applied = Api("POST", "/apply", token_,
                       ApplyBody("4950000020415000", SamplePackage("kenpo_santei.json")));
    ASSERT_EQ(applied.status, 200);
    const std::string id(JsonOf(applied).at("results").at("arrive_id").as_string());
    auto files = forms::RenderWithdrawal({id,
                                          "健康保険・厚生年金保険 被保険者報酬月額算定基礎届",
                                          "山田　一郎",
                                          "重複して提出したため",
                                          {2026, 11, 23}});
    ASSERT_TRUE(files) << files.error().ToString();
    const std::vector<signing::SigningKey> keys{::todoke::testing::LoadKey(signer_)};
    auto zip = gateway::SignAndZip(std::move(*files), keys, SystemClock().Now());
    ASSERT_TRUE(zip);
    const auto body = boost::json::serialize(boost::json::object{
        {"arrive_id", id},
        {"send_file", boost::json::parse(ApplyBody("9990000000000003", *zip)).at("send_file")}});
    auto withdrawn = Api("POST", "/apply/withdraw", token_, body);
    ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
    EXPECT_EQ(JsonOf(withdrawn).at("results").at("arrive_id").as_string(), id);
    EXPECT_EQ(JsonOf(Api("GET", "/apply/" + id, token_)).at("results").at("status"),
              "到達（取下げ処理中）");
    auto twice = Api("POST", "/apply/withdraw", token_, body);
    EXPECT_EQ(twice.status, 400);
    EXPECT_TRUE(AnyContains(Rows(twice), "取り下げできません")) << twice.body;
}

TEST_F(ApiTest, MissingFilesAndForbiddenCharactersAreNamed) {
    // The attachment listed in kousei is left out of the ZIP (the signature does not cover
    // attachments, so only the file check can see it).
    const std::vector<signing::SigningKey> keys{::todoke::testing::LoadKey(signer_)};
    const auto render = [](const char* sample, const char* id, bool with_pdf) {
        auto records =
            forms::ParseJsonRecords(::todoke::testing::ReadFile(std::string(TODOKE_SOURCE_DIR) +
                                                                "/samples/records/" + sample),
                                    sample);
        forms::PackageOptions options;
        options.submitted_on = {2026, 11, 20};
        if (with_pdf) {
            options.attachments.push_back(
                {"提出代行に関する証明書", "teishutsudaiko.pdf", "%PDF-1.4\n%%EOF\n"});
        }
        return forms::RenderApplication(*forms::Catalogue::Default().Find(id), records->front(),
                                        options);
    };
    auto with_pdf = render("koyo_shutoku.json", "koyo_shutoku", true);
    ASSERT_TRUE(with_pdf);
    auto good = gateway::SignAndZip(std::move(*with_pdf), keys, SystemClock().Now());
    ASSERT_TRUE(good);
    auto reader = ZipReader::Open(*good, {});
    ASSERT_TRUE(reader);
    std::vector<ZipWriteEntry> kept;
    for (const auto& e : reader->entries()) {
        if (e.name.find(".pdf") == std::string::npos) {
            kept.push_back({e.name, e.name.back() == '/' ? "" : *reader->Read(e.name)});
        }
    }
    auto without = WriteZip(kept);
    ASSERT_TRUE(without);
    auto r = Api("POST", "/apply", token_, ApplyBody("4950000020325000", *without));
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(
        AnyContains(Rows(r), "添付必須のファイル(提出代行に関する証明書)が添付されていません"))
        << r.body;
    // 髙 in kousei, signed properly: the character check names the item.
    auto files = render("kenpo_shoyo.json", "kenpo_shoyo", false);
    ASSERT_TRUE(files);
    std::string& kousei = files->files.front().bytes;
    kousei.replace(kousei.find("山田　一郎"), std::string("山田　一郎").size(), "髙田　一郎");
    auto zip = gateway::SignAndZip(std::move(*files), keys, SystemClock().Now());
    ASSERT_TRUE(zip);
    r = Api("POST", "/apply", token_, ApplyBody("4950000020417000", *zip));
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(AnyContains(Rows(r), "kousei.xml|氏名|指定可能な文字以外が指定されています"))
        << r.body;
}

TEST_F(ApiTest, FaultsAtRunTimeAreReproducibleFromTheSeed) {
    const std::string faults = sim_->api_base() + "/_sim/faults";
    const auto pattern = [&] {
        std::string out;
        for (int i = 0; i < 12; ++i) {
            out += std::to_string(
                       Api("GET",
                           "/apply/lists?date_from=2026-01-01&date_to=2026-01-02&limit=1&offset=0",
                           token_)
                           .status) +
                   " ";
        }
        return out;
    };
    ASSERT_EQ(Call("POST", faults, R"({"error_500": 0.5, "seed": 42})").status, 200);
    const std::string first = pattern();
    EXPECT_NE(first.find("500"), std::string::npos);
    EXPECT_NE(first.find("200"), std::string::npos);
    Call("POST", faults, R"({"seed": 42})");
    EXPECT_EQ(pattern(), first);  // the same seed, the same answers
    // Slow answers: a client that waits less than slow_ms gives up (a retryable timeout); one
    // that waits longer gets the answer. (No time is measured here.)
    Call("POST", faults, R"({"error_500": 0, "slow": 1, "slow_ms": 3000})");
    const std::string lists =
        "/apply/lists?date_from=2026-01-01&date_to=2026-01-02&limit=1&offset=0";
    detail::HttpClientOptions impatient = http_;
    impatient.total_timeout = std::chrono::milliseconds(200);
    auto gave_up = detail::Perform(
        impatient, {"GET", sim_->api_base() + lists, {{"Authorization", "Bearer " + token_}}, ""});
    ASSERT_FALSE(gave_up);
    EXPECT_EQ(gave_up.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(Api("GET", lists, token_).status, 200);
    EXPECT_EQ(Call("POST", faults, R"({"bogus": 1})").status, 400);
}

TEST_F(ApiTest, ABulkSendArrivesLaterFolderByFolder) {
    // Three folders: two good applications and one whose folder names another procedure.
    std::vector<ZipWriteEntry> entries;
    const auto add = [&](const std::string& zip, const std::string& folder) {
        auto reader = ZipReader::Open(zip, {});
        ASSERT_TRUE(reader);
        for (const auto& e : reader->entries()) {
            const std::string rest = e.name.substr(e.name.find('/'));
            entries.push_back({folder + rest, e.is_directory ? "" : *reader->Read(e.name)});
        }
    };
    add(SamplePackage("kenpo_santei.json"), "4950000020415000(1)");
    add(SamplePackage("kenpo_shoyo.json"), "4950000020417000(2)");
    add(SamplePackage("kenpo_shoyo.json"), "4950000020415000(3)");
    auto bulk = WriteZip(entries);
    ASSERT_TRUE(bulk);
    auto sent = Api("POST", "/bulk-apply", token_,
                    boost::json::serialize(boost::json::object{
                        {"send_file", boost::json::object{{"file_name", "bulk.zip"},
                                                          {"file_data", Base64Encode(*bulk)}}}}));
    ASSERT_EQ(sent.status, 202) << sent.body;
    const auto results = JsonOf(sent).at("results").as_object();
    const std::string number(results.at("send_number").as_string());
    EXPECT_EQ(number.size(), 18u);
    EXPECT_EQ(results.at("apply_count").as_int64(), 3);
    EXPECT_TRUE(JsonOf(sent).at("_links").as_object().contains("report"));
    const auto listed = [&] {
        return JsonOf(Api("GET", "/apply/lists?send_number=" + number, token_))
            .at("results")
            .at("apply_list")
            .as_array()
            .size();
    };
    EXPECT_EQ(listed(), 0u);  // the batch has not taken it yet
    Call("POST", sim_->api_base() + "/_sim/clock", R"({"advance_seconds": 301})");
    EXPECT_EQ(listed(), 2u);
    auto report = JsonOf(Api("GET", "/apply/report?send_number=" + number, token_));
    const auto& info = report.at("results").at("error_report_info").at(0).as_object();
    EXPECT_EQ(info.at("arrive_count").as_int64(), 2);
    EXPECT_EQ(info.at("error_count").as_int64(), 1);
    EXPECT_EQ(info.at("result").at(0).at("proc_name").as_string(),
              "健康保険・厚生年金保険 被保険者報酬月額算定基礎届");
    // Sorted by folder name: (1), (3), then 4950000020417000(2).
    const auto& failed = info.at("result").at(1).as_object();
    EXPECT_EQ(failed.at("folder_name").as_string(), "4950000020415000(3)");
    EXPECT_EQ(failed.at("arrive_id").as_string(), "-");
    EXPECT_FALSE(failed.at("report_list").as_array().empty());
    // Not a ZIP: the BadRequest_error shape, camelCase members.
    auto bad = Api("POST", "/bulk-apply", token_,
                   R"({"send_file": {"file_name": "x.zip", "file_data": "AAAA"}})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(JsonOf(bad).at("error_count").as_int64(), 1);
    EXPECT_TRUE(JsonOf(bad).at("error").at(0).as_object().contains("errorFolder"));
}

TEST_F(ApiTest, FaultsFromTheConfiguration) {
    config_.faults.drop_after_record = 1.0;
    StartSim();
    // The connection is dropped after the case was recorded: the ambiguous outcome.
    auto dropped = detail::Perform(
        http_, {"POST",
                sim_->api_base() + "/apply",
                {{"Authorization", "Bearer " + token_}, {"Content-Type", "application/json"}},
                ApplyBody("4950000020417000", SamplePackage("kenpo_shoyo.json"))});
    ASSERT_FALSE(dropped);
    EXPECT_EQ(dropped.error().code, ErrorCode::kUnavailable);
    auto listed = JsonOf(Api(
        "GET", "/apply/lists?date_from=2020-11-24&date_to=2099-12-31&limit=50&offset=0", token_));
    EXPECT_EQ(listed.at("resultset").at("all_count").as_int64(), 1);

    config_.faults = {};
    config_.faults.error_503 = 1.0;
    StartSim();
    auto unavailable =
        Api("GET", "/apply/lists?date_from=2020-11-24&date_to=2099-12-31&limit=1&offset=0", token_);
    EXPECT_EQ(unavailable.status, 503);
    EXPECT_EQ(JsonOf(unavailable).at("detail").as_string(),
              "サービス利用不可(サーバがメンテナンス中等)");

    config_.faults = {};
    config_.max_upload_bytes = 4096;
    StartSim();
    auto too_large = Api("POST", "/apply", token_,
                         ApplyBody("4950000020417000", SamplePackage("kenpo_shoyo.json")));
    EXPECT_EQ(too_large.status, 413);
}

}  // namespace
}  // namespace todoke::egov::testing
