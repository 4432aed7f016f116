// 賞与支払届 (様式 2265700): 合計 truncated to the thousand yen and capped (forms-and-data.md §4.5,
// §13 item 6).
#include <gtest/gtest.h>

#include "forms_test_util.hpp"
#include "todoke/forms/nenkin_csv.hpp"
#include "todoke/forms/record_validator.hpp"

namespace todoke::forms {
namespace {

class ShoyoTest : public test::SampleRecordTest {
  protected:
    ShoyoTest() : SampleRecordTest("kenpo_shoyo.json", {2025, 7, 15}) {}
};

TEST_F(ShoyoTest, TheSampleIsValidAndRendersTheHandWrittenGolden) {
    for (const auto& e : ValidateRecord(record_, Catalogue::Default(), {2025, 7, 15})) {
        ADD_FAILURE() << FormatError(e);
    }
    const Procedure* p = Catalogue::Default().Find("kenpo_shoyo");
    auto csv = RenderNenkinCsv(*p, record_, {{2025, 7, 15}, 1});
    ASSERT_TRUE(csv) << csv.error().ToString();
    // 523,456 yen -> 合計 0523000; 12,050,000 yen -> 通貨 9999999, 合計 9999000.
    EXPECT_EQ(*csv, test::Golden("kenpo_shoyo_SHFD0006.CSV"));
    EXPECT_TRUE(CheckNenkinCsv(*p, *csv));
}

TEST_F(ShoyoTest, Rules) {
    Person(0)["paid_on"] = "1988-12-10";
    EXPECT_TRUE(Has("persons[0].paid_on:shoyo.era"));
    Person(0)["paid_on"] = "2025-07-16";
    EXPECT_TRUE(Has("persons[0].paid_on:date.after_check_date"));
    Person(1)["first_paid_day"] = "32";
    EXPECT_TRUE(Has("persons[1].first_paid_day:shoyo.first_paid_day"));
    Person(1).erase("insured_number");
    EXPECT_TRUE(Has("persons[1].insured_number:required"));
}

}  // namespace
}  // namespace todoke::forms
