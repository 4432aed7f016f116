// The e-Gov simulator's cases over time, as a client sees them: official documents and their
// deadline, amendment and withdrawal, bulk sends, and faults from the seed or the configuration.
#include "sim_fixture.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/forms/package.hpp"
#include "todoke/gateway/package_builder.hpp"
#include "todoke/signing/verifier.hpp"

namespace todoke::egov::testing {
namespace {

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
