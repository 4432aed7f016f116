// Records -> application files (kousei.xml, 申請書XML, attachments), checked against the schemas.
#include "todoke/forms/package.hpp"

#include <gtest/gtest.h>

#include "forms_test_util.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/forms/record_validator.hpp"
#include "xsd.hpp"

namespace todoke::forms {
namespace {

class KoyoPackageTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto records = ParseJsonRecords(test::Sample("koyo_shutoku.json"), "koyo_shutoku.json");
        ASSERT_TRUE(records) << records.error().ToString();
        record_ = std::move(records->front());
        procedure_ = Catalogue::Default().Find("koyo_shutoku");
        ASSERT_NE(procedure_, nullptr);
        options_.submitted_on = {2026, 4, 5};
        options_.attachments.push_back(
            {"提出代行に関する証明書", "teishutsudaiko.pdf", "%PDF-1.4\n"});
    }
    boost::json::object& Person() { return record_.data["persons"].as_array()[0].as_object(); }
    std::vector<std::string> Errors() {
        std::vector<std::string> out;
        for (const auto& e : ValidateRecord(record_, Catalogue::Default(), {2026, 11, 22})) {
            out.push_back(e.field + ":" + e.rule);
        }
        return out;
    }
    Record record_;
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

TEST(CsvPackage, IsRefusedUntilTheSokatsuhyoExists) {
    auto records = ParseJsonRecords(test::Sample("kenpo_shutoku.json"), "x");
    const Procedure* p = Catalogue::Default().Find("kenpo_shutoku");
    PackageOptions options;
    options.submitted_on = {2025, 4, 1};
    EXPECT_EQ(RenderApplication(*p, records->front(), options).error().field, "procedure");
}

}  // namespace
}  // namespace todoke::forms
