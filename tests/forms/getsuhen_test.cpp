// 月額変更届 (様式 2221700): three consecutive months, 改定年月 the month after them, every month
// above the 支払基礎日数 threshold (forms-and-data.md §4.4, §13 item 12).
#include <gtest/gtest.h>

#include "forms_test_util.hpp"
#include "todoke/forms/nenkin_csv.hpp"
#include "todoke/forms/record_validator.hpp"

namespace todoke::forms {
namespace {

class GetsuhenTest : public test::SampleRecordTest {
  protected:
    GetsuhenTest() : SampleRecordTest("kenpo_getsuhen.json", {2025, 10, 10}) {}
};

TEST_F(GetsuhenTest, TheSampleIsValidAndRendersTheCheckedGolden) {
    EXPECT_EQ(Errors(), std::vector<std::string>{});
    const Procedure* p = Catalogue::Default().Find("kenpo_getsuhen");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->csv_columns.size(), 49u);
    auto csv = RenderNenkinCsv(*p, record_, {{2025, 7, 10}, 1});
    ASSERT_TRUE(csv) << csv.error().ToString();
    // Checked by hand: 改定年月 令和7年10月 -> 9,07,10; months 07/08/09; person 1: 合計 of the
    // third month 381,000 + 5,000 = 0386000, 総計 1151000, 平均 floor(1151000 / 3) = 0383666;
    // person 2 (born 昭和28, 70歳以上) carries its 個人番号 and the 70歳以上被用者 flag.
    EXPECT_EQ(*csv, test::Golden("kenpo_getsuhen_SHFD0006.CSV"));
    EXPECT_NE(csv->find(",07,08,09,31,31,30,0380000,0385000,0381000,0000000,0000000,0005000,"
                        "0380000,0385000,0386000,1151000,0383666,"),
              std::string::npos);
    EXPECT_TRUE(CheckNenkinCsv(*p, *csv));
}

TEST_F(GetsuhenTest, MonthsMustBeConsecutiveAndEndTheMonthBeforeTheRevision) {
    Person(0)["month2"] = "2025-09";
    EXPECT_TRUE(Has("persons[0].month2:getsuhen.consecutive_months"));
    Person(0)["month2"] = "2025-08";
    Person(0)["revision_month"] = "2025-11";
    EXPECT_TRUE(Has("persons[0].revision_month:getsuhen.revision_month"));
    EXPECT_FALSE(Has("persons[0].month2:getsuhen.consecutive_months"));
}

TEST_F(GetsuhenTest, EveryMonthNeeds17DaysOr11ForShortTimeWorkers) {
    Person(1)["month2_days"] = 16;
    EXPECT_TRUE(Has("persons[1].month2_days:getsuhen.days"));
    Person(1)["short_time"] = true;
    EXPECT_FALSE(Has("persons[1].month2_days:getsuhen.days"));
    Person(1)["month2_days"] = 10;
    EXPECT_TRUE(Has("persons[1].month2_days:getsuhen.days"));
}

TEST_F(GetsuhenTest, OtherRulesAndAllErrorsInOnePass) {
    Person(0)["my_number"] = "123456789018";  // not 70歳以上
    Person(0)["retro_month"] = "8";           // without 遡及支払額
    Person(0).erase("raise_kind");            // required for a 月額変更
    Person(0)["month1_currency"] = 100;
    Person(0)["month2_currency"] = 100;
    Person(0)["month3_currency"] = 100;
    Person(0)["month3_in_kind"] = 0;
    const auto all = Errors();
    for (const char* expected :
         {"persons[0].my_number:getsuhen.my_number_over70",
          "persons[0].retro_amount:getsuhen.retro", "persons[0].raise_kind:required",
          "persons[0].month1_currency:getsuhen.average"}) {
        EXPECT_NE(std::find(all.begin(), all.end(), expected), all.end()) << expected;
    }
}

}  // namespace
}  // namespace todoke::forms
