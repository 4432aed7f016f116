// Dates and 和暦 (Japanese eras), forms-and-data.md §7.6.
//
// Records carry ISO dates (YYYY-MM-DD); each target writes them in its own era scheme, and the
// three numeric code schemes disagree, which is why they live here side by side:
//   era   first day    年金機構 CSV  法定調書 CSV  e-Gov XML 年号
//   明治  1868-10-23   1             3             明治
//   大正  1912-07-30   3             2             大正
//   昭和  1926-12-25   5             1             昭和
//   平成  1989-01-08   7             4             平成
//   令和  2019-05-01   9             5             令和
// Thread-safe, pure functions.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"

namespace todoke::forms {

struct Date {
    int year = 0;
    int month = 0;
    int day = 0;
    auto operator<=>(const Date&) const = default;  // NOLINT(modernize-use-nullptr): tidy 14 bug
};

// "2025-04-01" -> Date; fails (field "date.format" / "date.invalid") for anything that is not
// exactly YYYY-MM-DD or is not a real calendar date (令和7年2月29日 = 2025-02-29 is not).
Result<Date> ParseIsoDate(std::string_view text);
std::string FormatIsoDate(Date d);
bool IsRealDate(Date d);
// The calendar date in Japan (UTC+9) at `t`: the portals' check dates are Japanese dates.
Date DateInJapan(TimePoint t);
Date AddDays(Date d, int days);
// The same month and day `years` later (Feb 29 becomes Mar 1 in a common year, as 年齢計算
// ニ関スル法律 counts ages).
Date AddYears(Date d, int years);

enum class Era { kMeiji, kTaisho, kShowa, kHeisei, kReiwa };

struct Wareki {
    Era era = Era::kReiwa;
    int year = 0;  // 1 for 元年
    int month = 0;
    int day = 0;
};

// Fails (field "date.before_meiji") for dates before 1868-10-23.
Result<Wareki> ToWareki(Date d);

std::string_view EraKanji(Era era);  // "令和"
int NenkinEraCode(Era era);          // 1/3/5/7/9
int HoteiChoshoEraCode(Era era);     // 3/2/1/4/5
// 年金機構 YYMMDD: the two-digit era year, month and day, e.g. 昭和60年5月15日 -> "600515".
std::string NenkinYymmdd(const Wareki& w);

}  // namespace todoke::forms
