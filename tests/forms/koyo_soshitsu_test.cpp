// 雇用保険 被保険者資格喪失届 (forms-and-data.md §4.8): rules and the form XML (element names
// unconfirmed; the golden file pins what todoke writes today).
#include <gtest/gtest.h>

#include "forms_test_util.hpp"
#include "todoke/forms/package.hpp"
#include "todoke/forms/record_validator.hpp"

namespace todoke::forms {
namespace {

class KoyoSoshitsuTest : public test::SampleRecordTest {
  protected:
    KoyoSoshitsuTest() : SampleRecordTest("koyo_soshitsu.json", {2026, 11, 22}) {}
    void SetUp() override {
        SampleRecordTest::SetUp();
        procedure_ = Catalogue::Default().Find("koyo_soshitsu");
        ASSERT_NE(procedure_, nullptr);
    }
    const Procedure* procedure_ = nullptr;
};

TEST_F(KoyoSoshitsuTest, TheSampleIsValidAndRendersTheGolden) {
    EXPECT_EQ(Errors(), std::vector<std::string>{});
    EXPECT_FALSE(procedure_->confirmed);  // placeholders until configured
    PackageOptions options;
    options.submitted_on = {2026, 10, 5};
    auto files = RenderApplication(*procedure_, record_, options);
    ASSERT_TRUE(files) << files.error().ToString();
    ASSERT_EQ(files->files.size(), 2u);
    // 離職等年月日 令和8年9月30日 -> 資格喪失年月日 令和8年10月1日 (the day after).
    EXPECT_EQ(files->files[1].bytes, test::Golden("koyo_soshitsu_495000020326029841_01.xml"));
    EXPECT_NE(files->files[1].bytes.find("<資格喪失年月日>\r\n<年号>令和</年号>\r\n<年>8</年>\r\n"
                                         "<月>10</月>\r\n<日>1</日>"),
              std::string::npos);
}

TEST_F(KoyoSoshitsuTest, DatesAndTheSeparationSlipRules) {
    Person()["separated_on"] = "2014-03-31";
    EXPECT_TRUE(Has("persons[0].separated_on:koyo.separated_before_acquired"));
    Person()["separated_on"] = "2026-11-23";
    EXPECT_TRUE(Has("persons[0].separated_on:date.after_check_date"));
    // 59 or older on leaving: the 離職票 is always issued.
    Person()["birth_date"] = "1967-09-30";
    Person()["separated_on"] = "2026-09-30";
    Person()["separation_slip"] = "2";
    EXPECT_TRUE(Has("persons[0].separation_slip:koyo.separation_slip_over59"));
    Person()["birth_date"] = "1967-10-01";  // 58 on that day
    EXPECT_FALSE(Has("persons[0].separation_slip:koyo.separation_slip_over59"));
}

TEST_F(KoyoSoshitsuTest, AllErrorsOfTheRecordInOnePass) {
    Person()["loss_cause"] = "4";
    Person()["new_name"] = "見本　次子";
    Person().erase("address_after");
    Person()["my_number"] = "123456789019";
    const auto all = Errors();
    for (const char* expected :
         {"persons[0].loss_cause:code.unknown", "persons[0].new_name_kana:koyo.new_name",
          "persons[0].address_after:koyo.address_after_required",
          "persons[0].my_number:my_number.check_digit"}) {
        EXPECT_NE(std::find(all.begin(), all.end(), expected), all.end()) << expected;
    }
}

}  // namespace
}  // namespace todoke::forms
