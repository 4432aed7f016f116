// 報酬月額算定基礎届 arithmetic (forms-and-data.md §4.3): which of April, May and June count,
// their 総計 and the average. A month counts when its 支払基礎日数 is at least 17 (11 for a
// 短時間労働者 at a 特定適用事業所; for a part-timer 17, or 15 when no month reaches 17).
#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace todoke::forms {

struct SanteiMonth {
    int days = 0;
    long long currency = 0;
    long long in_kind = 0;
    long long total() const { return currency + in_kind; }
};

struct SanteiResult {
    std::array<SanteiMonth, 3> months;  // April, May, June
    std::array<bool, 3> counted{};
    long long sum = 0;      // 総計 of the counted months
    long long average = 0;  // floor(sum / counted months); 0 when none counts
    int counted_months = 0;
};

// The month-field prefixes of the 算定基礎届 and of the 月額変更届 (forms-and-data.md §4.4:
// the three months after the change of the fixed wage, each needing 17 days, 11 for a
// 短時間労働者; a month below the threshold is not counted and the rule refuses the filing).
inline constexpr std::string_view kSanteiMonths = "april,may,june";
inline constexpr std::string_view kGetsuhenMonths = "month1,month2,month3";

// From a person's {prefix}_days, _currency and _in_kind fields for the three comma-separated
// prefixes in `months`, and its short_time / part_time flags; nullopt when a month's values
// are missing or not whole numbers.
std::optional<SanteiResult> ComputeSantei(const boost::json::object& person,
                                          std::string_view months = kSanteiMonths);

// The same from values already found: SanteiKeys(months) names the person's fields the
// arithmetic reads, and `values[i]` is the value of key i (nullptr when absent). For a
// caller that reads a person's fields in one pass (the 年金機構 CSV's MemberIndex).
inline constexpr std::size_t kSanteiKeyCount = 11;
std::array<std::string, kSanteiKeyCount> SanteiKeys(std::string_view months);
std::optional<SanteiResult> ComputeSantei(
    const std::array<const boost::json::value*, kSanteiKeyCount>& values);

}  // namespace todoke::forms
