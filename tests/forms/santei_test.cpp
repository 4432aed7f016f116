// 報酬月額算定基礎届 (様式 2225700): averaging and the rules of forms-and-data.md §4.3, §13
// item 12.
#include "todoke/forms/santei.hpp"

#include <gtest/gtest.h>

#include "forms_test_util.hpp"
#include "todoke/forms/nenkin_csv.hpp"
#include "todoke/forms/record_validator.hpp"

namespace todoke::forms {
namespace {

class SanteiTest : public test::SampleRecordTest {
  protected:
    SanteiTest() : SampleRecordTest("kenpo_santei.json", {2025, 7, 10}) {}
};

TEST_F(SanteiTest, TheSampleIsValidAndRendersTheHandWrittenGolden) {
    for (const auto& e : ValidateRecord(record_, Catalogue::Default(), {2025, 7, 10})) {
        ADD_FAILURE() << FormatError(e);
    }
    const Procedure* p = Catalogue::Default().Find("kenpo_santei");
    auto csv = RenderNenkinCsv(*p, record_, {{2025, 7, 10}, 1});
    ASSERT_TRUE(csv) << csv.error().ToString();
    EXPECT_EQ(*csv, test::Golden("kenpo_santei_SHFD0006.CSV"));
    EXPECT_TRUE(CheckNenkinCsv(*p, *csv));
}

TEST_F(SanteiTest, AmountsWrittenAsTextRenderAsNumbersDo) {
    // Offices' CSV intake gives every value as text; the renderer reads numbers without
    // writing them out, and both must come to the same bytes.
    for (auto& person : record_.data["persons"].as_array()) {
        for (auto& [key, value] : person.as_object()) {
            if (value.is_int64()) {
                value = std::to_string(value.as_int64());
            }
        }
    }
    const Procedure* p = Catalogue::Default().Find("kenpo_santei");
    auto csv = RenderNenkinCsv(*p, record_, {{2025, 7, 10}, 1});
    ASSERT_TRUE(csv) << csv.error().ToString();
    EXPECT_EQ(*csv, test::Golden("kenpo_santei_SHFD0006.CSV"));
    Person(0)["april_currency"] = "30万";
    EXPECT_EQ(RenderNenkinCsv(*p, record_, {{2025, 7, 10}, 1}).error().field, "csv.amount");
    Person(0)["april_currency"] = -1;
    EXPECT_FALSE(ComputeSantei(Person(0)));
}

TEST_F(SanteiTest, MonthsBelowTheDayThresholdDoNotCount) {
    auto r = ComputeSantei(Person(1));  // May: 16 days
    ASSERT_TRUE(r);
    EXPECT_EQ(r->counted, (std::array<bool, 3>{true, false, true}));
    EXPECT_EQ(r->sum, 665000);
    EXPECT_EQ(r->average, 332500);
    Person(1)["short_time"] = true;  // 短時間労働者: 11 days suffice
    EXPECT_EQ(ComputeSantei(Person(1))->counted_months, 3);
    Person(1).erase("short_time");
    Person(1)["part_time"] = true;  // パート with a month of 17+ days keeps the 17-day rule
    EXPECT_EQ(ComputeSantei(Person(1))->counted_months, 2);
    Person(1)["april_days"] = 16;
    Person(1)["june_days"] = 15;  // no month reaches 17: 15 days count (16, 16, 15)
    EXPECT_EQ(ComputeSantei(Person(1))->counted_months, 3);
    Person(1)["june_days"] = 14;
    EXPECT_EQ(ComputeSantei(Person(1))->counted_months, 2);
    EXPECT_EQ(ComputeSantei(Person(0))->average, 303333);  // truncated to the yen
}

TEST_F(SanteiTest, Rules) {
    record_.data["applies_from"] = "2025-10";
    EXPECT_TRUE(Has("applies_from:santei.applies_from"));
    Person(0)["raise_month"] = "5";
    EXPECT_TRUE(Has("persons[0].raise_kind:santei.raise"));
    Person(0)["retro_month"] = "07";
    EXPECT_TRUE(Has("persons[0].retro_month:code.unknown"));
    Person(0)["may_days"] = 32;
    EXPECT_TRUE(Has("persons[0].may_days:santei.days"));
    Person(1)["my_number"] = "526018159084";
    EXPECT_TRUE(Has("persons[1].my_number:santei.my_number_over70"));
    Person(1)["april_days"] = 3;
    Person(1)["june_days"] = 3;
    EXPECT_TRUE(Has("persons[1].april_days:santei.no_month_counts"));
    Person(0)["previous_revision"] = "2024-13";
    EXPECT_TRUE(Has("persons[0].previous_revision:date.year_month"));
}

}  // namespace
}  // namespace todoke::forms
