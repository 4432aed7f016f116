// The e-Gov simulator as a client sees it: the OAuth2 server, the envelopes and error shapes,
// the package checks, a case on the virtual clock, and lists that survive a restart. The
// later life of cases and the faults are in sim_case_test.cpp.
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

}  // namespace
}  // namespace todoke::egov::testing
