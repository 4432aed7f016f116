// Records -> application files (kousei.xml, 申請書XML, attachments), checked against the schemas.
#include "todoke/forms/package.hpp"

#include <gtest/gtest.h>

#include "forms_test_util.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/forms/nenkin_csv.hpp"
#include "todoke/forms/record_validator.hpp"
#include "xsd.hpp"

namespace todoke::forms {
namespace {

class KoyoPackageTest : public test::SampleRecordTest {
  protected:
    KoyoPackageTest() : SampleRecordTest("koyo_shutoku.json", {2026, 11, 22}) {}
    void SetUp() override {
        SampleRecordTest::SetUp();
        procedure_ = Catalogue::Default().Find("koyo_shutoku");
        ASSERT_NE(procedure_, nullptr);
        options_.submitted_on = {2026, 4, 5};
        options_.attachments.push_back(
            {"提出代行に関する証明書", "teishutsudaiko.pdf", "%PDF-1.4\n"});
    }
    const Procedure* procedure_ = nullptr;
    PackageOptions options_;
};

TEST_F(KoyoPackageTest, TheSampleIsValid) { EXPECT_EQ(Errors(), std::vector<std::string>{}); }

TEST_F(KoyoPackageTest, RendersKouseiFormAndAttachmentInTheProcIdFolder) {
    auto files = RenderApplication(*procedure_, record_, options_);
    ASSERT_TRUE(files) << files.error().ToString();
    EXPECT_EQ(files->folder, "4950000020325000/");
    ASSERT_EQ(files->files.size(), 3u);
    EXPECT_EQ(files->files[0].name, "kousei.xml");
    EXPECT_EQ(files->files[1].name, "495000020325029841_01.xml");
    EXPECT_EQ(files->files[2].name, "teishutsudaiko.pdf");
    // Golden file: the form as e-Gov receives it (CRLF, kanji era, unpadded numbers).
    EXPECT_EQ(files->files[1].bytes, test::Golden("koyo_shutoku_495000020325029841_01.xml"));
    const std::string& kousei = files->files[0].bytes;
    for (const char* expected :
         {"<受付行政機関ID>100495</受付行政機関ID>", "<手続ID>4950000020325000</手続ID>",
          "<構成情報 ID=\"構成情報\">", "<初回受付番号/>", "<申請種別>新規申請</申請種別>",
          "<法人団体名>株式会社見本商事</法人団体名>", "<役職>社会保険労務士</役職>",
          "<添付書類ファイル名称>teishutsudaiko.pdf</添付書類ファイル名称>",
          "<提出先識別子>49511000010000000003829</提出先識別子>",
          "<申請書ファイル名称>495000020325029841_01.xml</申請書ファイル名称>",
          "</構成情報>\n<署名情報/>\n</DataRoot>"}) {
        EXPECT_NE(kousei.find(expected), std::string::npos) << expected;
    }
    auto zip = ZipApplication(*files);
    ASSERT_TRUE(zip);
    auto reader = ZipReader::Open(*zip, {});
    ASSERT_TRUE(reader);
    EXPECT_TRUE(reader->Contains("4950000020325000/kousei.xml"));
}

TEST_F(KoyoPackageTest, ResubmissionCarriesTheFirstArriveId) {
    options_.type = ApplicationType::kResubmission;
    EXPECT_EQ(RenderApplication(*procedure_, record_, options_).error().field, "kousei.申請種別");
    options_.first_arrive_id = "9502026000030716";
    auto files = RenderApplication(*procedure_, record_, options_);
    ASSERT_TRUE(files) << files.error().ToString();
    EXPECT_NE(files->files[0].bytes.find("<初回受付番号>9502026000030716</初回受付番号>"),
              std::string::npos);
    EXPECT_NE(files->files[0].bytes.find("<申請種別>再提出</申請種別>"), std::string::npos);
}

TEST_F(KoyoPackageTest, AttachmentNamesFollowEgovRules) {
    for (const char* bad : {"提出代行 証明書.pdf", "a#b.pdf", "50%.pdf", "kousei.xml", "ﾃｽﾄ.pdf",
                            "a～b.pdf", "証明書①.pdf"}) {
        EXPECT_EQ(CheckAttachmentFileName(bad).value_or(Violation{}).rule, "attachment.file_name")
            << bad;
    }
    EXPECT_FALSE(CheckAttachmentFileName("teishutsudaiko.pdf"));
    EXPECT_FALSE(CheckAttachmentFileName("提出代行証明書.pdf"));
    options_.attachments[0].file_name = "a b.pdf";
    EXPECT_EQ(RenderApplication(*procedure_, record_, options_).error().field,
              "attachment.file_name");
}

TEST_F(KoyoPackageTest, RecordRules) {
    Person()["gender"] = "m";
    Person()["acquisition_kind"] = "2";
    Person()["weekly_minutes"] = "0";
    const auto errors = Errors();
    EXPECT_NE(std::find(errors.begin(), errors.end(), "persons[0].gender:code.unknown"),
              errors.end());
    EXPECT_NE(std::find(errors.begin(), errors.end(),
                        "persons[0].insured_number:koyo.insured_number_required"),
              errors.end());
    EXPECT_EQ(std::find(errors.begin(), errors.end(), "persons[0].weekly_minutes:digits.all_zero"),
              errors.end());
    record_.data["persons"].as_array().push_back(record_.data["persons"].as_array()[0]);
    const auto two = Errors();
    EXPECT_NE(std::find(two.begin(), two.end(), "persons:persons.too_many"), two.end());
}

TEST_F(KoyoPackageTest, SchemasCatchARendererBug) {
    auto files = RenderApplication(*procedure_, record_, options_);
    std::string form = files->files[1].bytes;
    form.replace(form.find("<性別>男</性別>"), 21, "<性別>X</性別>");
    auto r = detail::ValidateAgainstSchema(form, detail::Schema::kKoyoShutoku, "form");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "forms.xsd");
    EXPECT_NE(r.error().message.find("性別"), std::string::npos) << r.error().message;
    std::string kousei = files->files[0].bytes;
    kousei.replace(kousei.find("<手続ID>4950000020325000"), 28, "<手続ID>495");
    EXPECT_EQ(
        detail::ValidateAgainstSchema(kousei, detail::Schema::kKousei, "kousei").error().field,
        "forms.xsd");
    // What is not even well-formed is refused too, with the parser's message.
    const std::string cut = files->files[1].bytes.substr(0, files->files[1].bytes.size() / 2);
    r = detail::ValidateAgainstSchema(cut, detail::Schema::kKoyoShutoku, "form");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "forms.xsd");
    EXPECT_NE(r.error().message.find("line "), std::string::npos) << r.error().message;
    EXPECT_TRUE(
        detail::ValidateAgainstSchema(files->files[1].bytes, detail::Schema::kKoyoShutoku, "form"));
}

TEST(Withdrawal, RendersTheTorisageiraiPackage) {
    WithdrawalRequest request{"9502026000030716",
                              "雇用保険被保険者資格取得届／電子申請",
                              "見本　太郎",
                              "二重に提出したため",
                              {2026, 11, 22}};
    auto files = RenderWithdrawal(request);
    ASSERT_TRUE(files) << files.error().ToString();
    EXPECT_EQ(files->folder, "9990000000000003/");
    ASSERT_EQ(files->files.size(), 2u);
    const std::string& kousei = files->files[0].bytes;
    for (const char* expected :
         {"<様式ID>999000000000000009</様式ID>", "<受付行政機関ID/>",
          "<手続ID>9990000000000003</手続ID>", "<初回受付番号>9502026000030716</初回受付番号>",
          "<申請種別>取下げ依頼</申請種別>",
          "<申請書ファイル名称>torisageirai.xml</申請書ファイル名称>"}) {
        EXPECT_NE(kousei.find(expected), std::string::npos) << expected;
    }
    EXPECT_EQ(kousei.find("添付書類属性情報"), std::string::npos);
    const std::string& form = files->files[1].bytes;
    EXPECT_NE(form.find("<到達番号>9502026000030716</到達番号>"), std::string::npos);
    EXPECT_NE(form.find("<依頼年月日>\r\n<年>2026</年>\r\n<月>11</月>\r\n<日>22</日>"),
              std::string::npos);
}

TEST(Withdrawal, RefusesBadArriveIdsAndCharacters) {
    WithdrawalRequest request{"95020260000", "手続", "見本　太郎", "理由", {2026, 11, 22}};
    EXPECT_EQ(RenderWithdrawal(request).error().field, "withdrawal.arrive_id");
    request.arrive_id = "9502026000030716";
    request.reason = "髙橋の二重提出";
    EXPECT_EQ(RenderWithdrawal(request).error().field, "withdrawal.reason");
    request.reason = "";
    EXPECT_EQ(RenderWithdrawal(request).error().field, "withdrawal.reason");
}

class CsvPackageTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto records = ParseJsonRecords(test::Sample("kenpo_santei.json"), "kenpo_santei.json");
        ASSERT_TRUE(records) << records.error().ToString();
        record_ = std::move(records->front());
        procedure_ = Catalogue::Default().Find("kenpo_santei");
        options_.submitted_on = {2025, 7, 10};
    }
    Record record_;
    const Procedure* procedure_ = nullptr;
    PackageOptions options_;
};

TEST_F(CsvPackageTest, HoldsTheSoukatsuhyoFormAndTheCsvAsAttachment) {
    options_.attachments.push_back({"提出代行に関する証明書", "teishutsudaiko.pdf", "%PDF-1.4\n"});
    auto files = RenderApplication(*procedure_, record_, options_);
    ASSERT_TRUE(files) << files.error().ToString();
    EXPECT_EQ(files->folder, "4950000020415000/");
    ASSERT_EQ(files->files.size(), 4u);
    EXPECT_EQ(files->files[0].name, "kousei.xml");
    EXPECT_EQ(files->files[1].name, "495000020415029955_01.xml");
    EXPECT_EQ(files->files[2].name, "SHFD0006.CSV");
    EXPECT_EQ(files->files[3].name, "teishutsudaiko.pdf");
    // The CSV is byte-identical to what `forms render` gives; the 総括票 to its golden file.
    EXPECT_EQ(files->files[2].bytes, test::Golden("kenpo_santei_SHFD0006.CSV"));
    EXPECT_EQ(files->files[1].bytes, test::Golden("kenpo_santei_495000020415029955_01.xml"));
    const std::string& kousei = files->files[0].bytes;
    for (const char* expected :
         {"<手続ID>4950000020415000</手続ID>", "<添付書類名称>CSV形式届書</添付書類名称>",
          "<添付書類ファイル名称>SHFD0006.CSV</添付書類ファイル名称>",
          "<添付書類ファイル名称>teishutsudaiko.pdf</添付書類ファイル名称>",
          "<申請書様式名称>健康保険厚生年金保険CSV形式届書総括票</申請書様式名称>",
          "<申請書ファイル名称>495000020415029955_01.xml</申請書ファイル名称>"}) {
        EXPECT_NE(kousei.find(expected), std::string::npos) << expected;
    }
}

TEST_F(CsvPackageTest, EveryCsvProcedureSampleBuildsAPackage) {
    for (const char* sample : {"kenpo_shutoku.json", "kenpo_soshitsu.json", "kenpo_santei.json",
                               "kenpo_shoyo.json", "kenpo_getsuhen.json"}) {
        auto records = ParseJsonRecords(test::Sample(sample), sample);
        ASSERT_TRUE(records) << sample;
        const Procedure* p = Catalogue::Default().Find(records->front().procedure());
        ASSERT_NE(p, nullptr) << sample;
        auto files = RenderApplication(*p, records->front(), options_);
        ASSERT_TRUE(files) << sample << ": " << files.error().ToString();
        EXPECT_NE(files->files[1].bytes.find("<届書コード>" + std::string(p->csv_form_code)),
                  std::string::npos)
            << sample;
    }
}

TEST_F(CsvPackageTest, AFilingOver45MegabytesBecomesSeveralApplications) {
    auto& persons = record_.data["persons"].as_array();
    const boost::json::value person = persons[0];
    persons.clear();
    for (int i = 0; i < 30000; ++i) persons.push_back(person);
    EXPECT_EQ(RenderApplication(*procedure_, record_, options_).error().field, "csv.size");
    auto apps = RenderApplications(*procedure_, record_, options_);
    ASSERT_TRUE(apps) << apps.error().ToString();
    ASSERT_EQ(apps->size(), 2u);
    long long counted = 0;
    for (std::size_t n = 0; n < apps->size(); ++n) {
        const auto& files = (*apps)[n].files;
        ASSERT_EQ(files.size(), 3u);
        EXPECT_LT(files[2].bytes.size(), kNenkinCsvMaxBytes);
        // Each 総括票 counts the persons of its own CSV and carries its 媒体通番.
        const std::string& form = files[1].bytes;
        const auto at = form.find("<件数>") + std::string("<件数>").size();
        counted += std::stoll(form.substr(at, form.find('<', at) - at));
        EXPECT_NE(form.find(n == 0 ? "<媒体通番>001<" : "<媒体通番>002<"), std::string::npos);
    }
    EXPECT_EQ(counted, 30000);
}

TEST_F(CsvPackageTest, TheCsvNameIsReservedForTheCsv) {
    options_.attachments.push_back({"別のCSV", "SHFD0006.CSV", "x"});
    EXPECT_EQ(RenderApplications(*procedure_, record_, options_).error().field,
              "attachment.file_name");
}

}  // namespace
}  // namespace todoke::forms

namespace todoke::forms {
namespace {

TEST(ConfiguredIdentifiers, ReplaceTheUnconfirmedOnesAndReachThePackage) {
    auto configured = Catalogue::Default().WithIdentifiers(
        {{"koyo_soshitsu", "4950000020999000", "495000020999000001", "0002"}});
    ASSERT_TRUE(configured) << configured.error().ToString();
    // A second layer keeps the first one's text alive and valid.
    auto twice = configured->WithIdentifiers({{"kenpo_shoyo", "4950000020417ABC", "", ""}});
    ASSERT_TRUE(twice) << twice.error().ToString();
    configured = Fail(ErrorCode::kInternal, "dropped");
    const Procedure* p = twice->Find("koyo_soshitsu");
    EXPECT_EQ(p->proc_id, "4950000020999000");
    EXPECT_EQ(p->form_version, "0002");
    EXPECT_TRUE(p->confirmed);
    EXPECT_EQ(twice->Find("kenpo_shoyo")->proc_id, "4950000020417ABC");
    EXPECT_EQ(twice->Find("kenpo_shoyo")->form_id, "495000020415029955");  // kept
    EXPECT_FALSE(Catalogue::Default().Find("koyo_soshitsu")->confirmed);   // untouched

    auto records = ParseJsonRecords(test::Sample("koyo_soshitsu.json"), "x");
    PackageOptions options;
    options.submitted_on = {2026, 10, 5};
    auto files = RenderApplication(*p, records->front(), options);
    ASSERT_TRUE(files) << files.error().ToString();
    EXPECT_EQ(files->folder, "4950000020999000/");
    EXPECT_EQ(files->files[1].name, "495000020999000001_01.xml");
    EXPECT_NE(files->files[1].bytes.find("<様式バージョン>0002</様式バージョン>"),
              std::string::npos);
}

TEST(ConfiguredIdentifiers, BadValuesNameTheirPlace) {
    const auto& c = Catalogue::Default();
    EXPECT_EQ(c.WithIdentifiers({{"nope", "4950000020999000", "", ""}}).error().field,
              "catalogue.nope");
    EXPECT_EQ(c.WithIdentifiers({{"koyo_soshitsu", "495000002099900", "", ""}}).error().field,
              "catalogue.koyo_soshitsu.proc_id");
    EXPECT_EQ(c.WithIdentifiers({{"koyo_soshitsu", "", "49500002099900000x", ""}}).error().field,
              "catalogue.koyo_soshitsu.form_id");
    EXPECT_EQ(c.WithIdentifiers({{"koyo_soshitsu", "", "", "1"}}).error().field,
              "catalogue.koyo_soshitsu.form_version");
}

}  // namespace
}  // namespace todoke::forms
