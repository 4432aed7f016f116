// 資格喪失届 (様式 2201700): the date rules of forms-and-data.md §4.2 and §13 item 5.
#include <gtest/gtest.h>

#include "forms_test_util.hpp"
#include "todoke/forms/nenkin_csv.hpp"
#include "todoke/forms/record_validator.hpp"

namespace todoke::forms {
namespace {

class SoshitsuTest : public test::SampleRecordTest {
  protected:
    SoshitsuTest() : SampleRecordTest("kenpo_soshitsu.json", {2025, 7, 10}) {}
};

TEST_F(SoshitsuTest, TheSampleIsValidAndRendersTheHandWrittenGolden) {
    const auto errors = ValidateRecord(record_, Catalogue::Default(), {2025, 7, 10});
    for (const auto& e : errors) ADD_FAILURE() << FormatError(e);
    const Procedure* p = Catalogue::Default().Find("kenpo_soshitsu");
    auto csv = RenderNenkinCsv(*p, record_, {{2025, 7, 10}, 1});
    ASSERT_TRUE(csv) << csv.error().ToString();
    EXPECT_EQ(*csv, test::Golden("kenpo_soshitsu_SHFD0006.CSV"));
    EXPECT_TRUE(CheckNenkinCsv(*p, *csv));
}

TEST_F(SoshitsuTest, LossDateIsTheDayAfterRetirement) {
    Person(0)["lost_on"] = "2025-06-30";
    EXPECT_TRUE(Has("persons[0].lost_on:soshitsu.day_after_retirement"));
}

TEST_F(SoshitsuTest, IneligibleDateIsRetirementItself) {
    Person(1)["ineligible_on"] = "2025-07-01";
    EXPECT_TRUE(Has("persons[1].ineligible_on:soshitsu.ineligible_on_retirement"));
}

TEST_F(SoshitsuTest, RetirementDateExactlyForReasonsFourAndFive) {
    Person(0).erase("retired_on");
    EXPECT_TRUE(Has("persons[0].retired_on:soshitsu.retired_on_required"));
    Person(1)["loss_reason"] = "9";
    EXPECT_TRUE(Has("persons[1].retired_on:soshitsu.retired_on_unexpected"));
    Person(1)["loss_reason"] = "6";
    EXPECT_TRUE(Has("persons[1].loss_reason:code.unknown"));
}

TEST_F(SoshitsuTest, Reason7NeedsThe75thBirthday) {
    Person(1)["loss_reason"] = "7";
    Person(1).erase("retired_on");
    Person(1).erase("ineligible_on");
    Person(1).erase("over70_ineligible");
    EXPECT_TRUE(Has("persons[1].lost_on:soshitsu.age75"));  // born 1955: 75 only in 2030
    Person(1)["birth_date"] = "1950-06-30";
    EXPECT_FALSE(Has("persons[1].lost_on:soshitsu.age75"));
}

TEST_F(SoshitsuTest, WithoutMyNumberTheKisoNenkinNumberIsRequired) {
    Person(1).erase("kiso_nenkin_number");
    EXPECT_TRUE(Has("persons[1].kiso_nenkin_number:soshitsu.identity_required"));
}

}  // namespace
}  // namespace todoke::forms
