#include "todoke/forms/wareki.hpp"

#include <array>
#include <cstdio>

namespace todoke::forms {
namespace {

struct EraInfo {
    Era era;
    Date first_day;
    std::string_view kanji;
    int nenkin_code;
    int hotei_code;
};

// Newest first, so that the first era whose first day is not after the date is the one.
constexpr std::array<EraInfo, 5> kEras{{
    {Era::kReiwa, {2019, 5, 1}, "令和", 9, 5},
    {Era::kHeisei, {1989, 1, 8}, "平成", 7, 4},
    {Era::kShowa, {1926, 12, 25}, "昭和", 5, 1},
    {Era::kTaisho, {1912, 7, 30}, "大正", 3, 2},
    {Era::kMeiji, {1868, 10, 23}, "明治", 1, 3},
}};

const EraInfo& Info(Era era) {
    for (const auto& e : kEras) {
        if (e.era == era) {
            return e;
        }
    }
    return kEras.front();
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
    static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && IsLeap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

// Days since 1970-01-01 (Howard Hinnant's civil-from-days algorithm, proleptic Gregorian).
long DaysFromCivil(Date d) {
    const int y = d.year - (d.month <= 2 ? 1 : 0);
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Date CivilFromDays(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
    return {year, month, day};
}

}  // namespace

bool IsRealDate(Date d) {
    return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= DaysInMonth(d.year, d.month);
}

Result<Date> ParseIsoDate(std::string_view text) {
    const auto digits = [&](std::size_t from, std::size_t n, int& out) {
        out = 0;
        for (std::size_t i = from; i < from + n; ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return false;
            }
            out = out * 10 + (text[i] - '0');
        }
        return true;
    };
    Date d;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(0, 4, d.year) ||
        !digits(5, 2, d.month) || !digits(8, 2, d.day)) {
        return Fail(ErrorCode::kInvalidArgument, "a date must be written YYYY-MM-DD",
                    "date.format");
    }
    if (!IsRealDate(d)) {
        return Fail(ErrorCode::kInvalidArgument, "not a real calendar date", "date.invalid");
    }
    return d;
}

std::string FormatIsoDate(Date d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

Date DateInJapan(TimePoint t) {
    const auto days = std::chrono::floor<std::chrono::days>(t + std::chrono::hours(9));
    return CivilFromDays(static_cast<long>(days.time_since_epoch().count()));
}

Date AddDays(Date d, int days) { return CivilFromDays(DaysFromCivil(d) + days); }

Date AddYears(Date d, int years) {
    Date out{d.year + years, d.month, d.day};
    if (!IsRealDate(out)) {
        out = {out.year, 3, 1};  // Feb 29 in a common year
    }
    return out;
}

Result<Wareki> ToWareki(Date d) {
    for (const auto& e : kEras) {
        if (d >= e.first_day) {
            return Wareki{e.era, d.year - e.first_day.year + 1, d.month, d.day};
        }
    }
    return Fail(ErrorCode::kInvalidArgument, "dates before 明治 (1868-10-23) have no era here",
                "date.before_meiji");
}

std::string_view EraKanji(Era era) { return Info(era).kanji; }
int NenkinEraCode(Era era) { return Info(era).nenkin_code; }
int HoteiChoshoEraCode(Era era) { return Info(era).hotei_code; }

std::string NenkinYymmdd(const Wareki& w) {
    const int parts[3] = {w.year % 100, w.month, w.day};
    std::string out(6, '0');
    for (int i = 0; i < 3; ++i) {
        out[static_cast<std::size_t>(2 * i)] = static_cast<char>('0' + parts[i] / 10 % 10);
        out[static_cast<std::size_t>(2 * i + 1)] = static_cast<char>('0' + parts[i] % 10);
    }
    return out;
}

}  // namespace todoke::forms
