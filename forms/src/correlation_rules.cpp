#include "correlation_rules.hpp"

#include "todoke/forms/identifiers.hpp"
#include "todoke/forms/nendo_koshin.hpp"
#include "todoke/forms/santei.hpp"

namespace todoke::forms::rules {
namespace {

std::optional<std::string> Text(const PersonRef& p, std::string_view field) {
    auto v = GetText(p.person, field);
    if (v && v->empty()) {
        return std::nullopt;
    }
    return v;
}

std::optional<Date> DateOf(const PersonRef& p, std::string_view field) {
    auto text = Text(p, field);
    if (!text) {
        return std::nullopt;
    }
    auto d = ParseIsoDate(*text);
    return d ? std::optional<Date>(*d) : std::nullopt;  // format errors come from the field rule
}

void Hit(std::vector<RuleHit>& out, std::string field, std::string rule, std::string message,
         std::string hint = {}) {
    out.push_back({std::move(field), {std::move(rule), std::move(message), std::move(hint)}});
}

}  // namespace

void ShutokuMyNumberOrAddress(const PersonRef& p, Date, std::vector<RuleHit>& out) {
    if (Text(p, "my_number")) {
        for (const char* f : {"no_address_reason", "postal_code", "address_kana", "address"}) {
            if (Text(p, f)) {
                Hit(out, f, "shutoku.address_with_my_number",
                    "must be empty when 個人番号 is given (items 14, 15, 29–32)",
                    "the 年金機構 takes the address from the 個人番号; remove it");
            }
        }
        return;
    }
    for (const char* f : {"postal_code", "address_kana"}) {
        if (!Text(p, f)) {
            Hit(out, f, "shutoku.address_required",
                "is required when 個人番号 is not given (items 29–31)",
                "give 個人番号, or the postal code and address of the 住民票");
        }
    }
}

void ShutokuDates(const PersonRef& p, Date today, std::vector<RuleHit>& out) {
    const auto birth = DateOf(p, "birth_date");
    const auto acquired = DateOf(p, "acquired_on");
    if (birth && *birth > today) {
        Hit(out, "birth_date", "date.future", "lies in the future");
    }
    if (!acquired) {
        return;
    }
    if (*acquired < Date{1989, 1, 8}) {
        Hit(out, "acquired_on", "shutoku.era", "must be in 平成 or 令和 (era code 7 or 9)");
    }
    if (*acquired > today) {
        Hit(out, "acquired_on", "date.after_check_date",
            "lies after the check date " + FormatIsoDate(today));
    }
    if (birth && *acquired <= *birth) {
        Hit(out, "acquired_on", "shutoku.before_birth", "must be after the birth date");
    }
    if (birth && GetText(p.person, "over70").value_or("0") == "1" &&
        *acquired < AddDays(AddYears(*birth, 70), -1)) {
        Hit(out, "acquired_on", "shutoku.over70",
            "with 70歳以上被用者該当 it may not be before the day before the 70th birthday");
    }
}

void ShutokuPayTotal(const PersonRef& p, Date, std::vector<RuleHit>& out) {
    const auto currency = Text(p, "pay_currency");
    const auto in_kind = Text(p, "pay_in_kind");
    long long total = 0;
    for (const auto& v : {currency, in_kind}) {
        if (!v) {
            continue;
        }
        const auto yen = ParseWholeNumber(*v, 12);
        if (!yen) {
            return;  // the amount's own rule reports it
        }
        total += *yen;
    }
    if (currency && total < 1000) {
        Hit(out, "pay_currency", "shutoku.pay_total",
            "報酬月額 合計 (通貨 + 現物) must be at least 1,000 yen");
    }
}

void NenkinCityCode(const PersonRef& p, Date, std::vector<RuleHit>& out) {
    if (p.index != 0) {
        return;
    }
    const auto city = GetText(p.record.data, "employer.nenkin.city_code");
    if (city && (*city == "00" || *city == "99")) {
        Hit(out, "employer.nenkin.city_code", "nenkin.city_code", "郡市区符号 may not be 00 or 99");
    }
}

void SoshitsuIdentity(const PersonRef& p, Date, std::vector<RuleHit>& out) {
    if (!Text(p, "my_number") && !Text(p, "kiso_nenkin_number")) {
        Hit(out, "kiso_nenkin_number", "soshitsu.identity_required",
            "is required when 個人番号 is not given (items 12–13)");
    }
}

void SoshitsuDates(const PersonRef& p, Date today, std::vector<RuleHit>& out) {
    const auto reason = Text(p, "loss_reason");
    const auto birth = DateOf(p, "birth_date");
    const auto lost = DateOf(p, "lost_on");
    const auto retired = DateOf(p, "retired_on");
    const auto ineligible = DateOf(p, "ineligible_on");
    const bool retirement = reason == "4" || reason == "5";
    const bool over70_only = Text(p, "over70_only").value_or("0") == "1";
    if (retirement && !Text(p, "retired_on")) {
        Hit(out, "retired_on", "soshitsu.retired_on_required",
            "is required for 原因 4 (退職等) and 5 (死亡)");
    }
    if (!retirement && reason && Text(p, "retired_on")) {
        Hit(out, "retired_on", "soshitsu.retired_on_unexpected",
            "is only given for 原因 4 (退職等) and 5 (死亡)");
    }
    if (retirement && retired && lost && !over70_only && *lost != AddDays(*retired, 1)) {
        Hit(out, "lost_on", "soshitsu.day_after_retirement",
            "must be the day after 退職日/死亡日 (" + FormatIsoDate(AddDays(*retired, 1)) + ")",
            "資格喪失年月日 = 退職日 + 1 day");
    }
    if (Text(p, "over70_ineligible").value_or("0") == "1" && !ineligible) {
        Hit(out, "ineligible_on", "soshitsu.ineligible_on_required", "is required with 70歳不該当");
    }
    if (retirement && retired && ineligible && *ineligible != *retired) {
        Hit(out, "ineligible_on", "soshitsu.ineligible_on_retirement",
            "must be 退職日/死亡日 itself (no +1 day, unlike 資格喪失年月日)");
    }
    if (!lost) {
        return;
    }
    if (*lost < Date{1989, 1, 8}) {
        Hit(out, "lost_on", "soshitsu.era", "must be in 平成 or 令和 (era code 7 or 9)");
    }
    if (*lost > today) {
        Hit(out, "lost_on", "date.after_check_date",
            "lies after the check date " + FormatIsoDate(today));
    }
    if (birth && *lost <= *birth) {
        Hit(out, "lost_on", "soshitsu.before_birth", "must be after the birth date");
    }
    if (birth && reason == "7" && *lost < AddYears(*birth, 75)) {
        Hit(out, "lost_on", "soshitsu.age75",
            "for 原因 7 (75歳到達) it must be on or after the 75th birthday");
    }
}

void Santei(const PersonRef& p, Date, std::vector<RuleHit>& out) {
    if (p.index == 0) {
        const auto applies = GetText(p.record.data, "applies_from");
        if (applies && applies->size() == 7 && applies->substr(5) != "09") {
            Hit(out, "record.applies_from", "santei.applies_from",
                "適用年月 of a 算定基礎届 is September of the year (YYYY-09)");
        }
    }
    if (Text(p, "raise_month").has_value() != Text(p, "raise_kind").has_value()) {
        Hit(out, "raise_kind", "santei.raise", "昇(降)給月 and 昇(降)給区分 go together");
    }
    if (Text(p, "retro_month").has_value() != Text(p, "retro_amount").has_value()) {
        Hit(out, "retro_amount", "santei.retro", "遡及支払月 and 遡及支払額 go together");
    }
    for (const char* m : {"april_days", "may_days", "june_days"}) {
        const auto d = Text(p, m);
        if (d && d->size() <= 2 && d->find_first_not_of("0123456789") == std::string::npos &&
            std::stoi(*d) > 31) {
            Hit(out, m, "santei.days", "支払基礎日数 is 0–31");
        }
    }
    if (Text(p, "my_number") && Text(p, "over70").value_or("0") != "1") {
        Hit(out, "my_number", "santei.my_number_over70",
            "個人番号 is written only for 70歳以上被用者 (item 40)", "remove it, or set over70");
    }
    if (const auto r = ComputeSantei(p.person)) {
        if (r->counted_months == 0) {
            Hit(out, "april_days", "santei.no_month_counts",
                "no month reaches the 支払基礎日数 threshold (17; 11 for 短時間労働者)",
                "the 保険者算定 applies; file with the 年金事務所's guidance");
        } else if (r->average < 1000) {
            Hit(out, "april_currency", "santei.average", "the average must be at least 1,000 yen");
        }
    }
}

void Getsuhen(const PersonRef& p, Date, std::vector<RuleHit>& out) {
    // "YYYY-MM" -> months since year 0; nullopt when malformed (the field rule reports it).
    auto month_index = [&](std::string_view field) -> std::optional<int> {
        const auto text = Text(p, field);
        if (!text) {
            return std::nullopt;
        }
        const auto d = ParseIsoDate(*text + "-01");
        return d ? std::optional<int>(d->year * 12 + d->month - 1) : std::nullopt;
    };
    const auto m1 = month_index("month1");
    const auto m2 = month_index("month2");
    const auto m3 = month_index("month3");
    if (m1 && m2 && m3 && (*m2 != *m1 + 1 || *m3 != *m2 + 1)) {
        Hit(out, "month2", "getsuhen.consecutive_months",
            "the three 給与支給月 must be consecutive months",
            "give the month of the wage change and the two after it");
    }
    const auto revision = month_index("revision_month");
    if (m3 && revision && *revision != *m3 + 1) {
        Hit(out, "revision_month", "getsuhen.revision_month",
            "改定年月 is the month after the third 給与支給月");
    }
    if (Text(p, "retro_month").has_value() != Text(p, "retro_amount").has_value()) {
        Hit(out, "retro_amount", "getsuhen.retro", "遡及支払月 and 遡及支払額 go together");
    }
    if (Text(p, "my_number") && Text(p, "over70").value_or("0") != "1") {
        Hit(out, "my_number", "getsuhen.my_number_over70",
            "個人番号 is written only for 70歳以上被用者", "remove it, or set over70");
    }
    const auto r = ComputeSantei(p.person, kGetsuhenMonths);
    if (!r) {
        return;  // missing or malformed month values: the field rules report them
    }
    const bool short_time = Text(p, "short_time").value_or("0") == "1";
    for (std::size_t i = 0; i < 3; ++i) {
        const int days = r->months[i].days;
        if (days > 31 || days < (short_time ? 11 : 17)) {
            Hit(out, "month" + std::to_string(i + 1) + "_days", "getsuhen.days",
                short_time ? "支払基礎日数 of each month is 11–31 for a 短時間労働者"
                           : "支払基礎日数 of each month is 17–31",
                "a 月額変更 needs all three months above the threshold");
        }
    }
    if (r->counted_months == 3 && r->average < 1000) {
        Hit(out, "month1_currency", "getsuhen.average", "the average must be at least 1,000 yen");
    }
}

void Shoyo(const PersonRef& p, Date today, std::vector<RuleHit>& out) {
    if (const auto paid = DateOf(p, "paid_on")) {
        if (*paid < Date{1989, 1, 8}) {
            Hit(out, "paid_on", "shoyo.era", "must be in 平成 or 令和 (era code 7 or 9)");
        }
        if (*paid > today) {
            Hit(out, "paid_on", "date.after_check_date",
                "lies after the check date " + FormatIsoDate(today));
        }
    }
    if (const auto day = Text(p, "first_paid_day");
        day && day->size() <= 2 && day->find_first_not_of("0123456789") == std::string::npos &&
        (std::stoi(*day) < 1 || std::stoi(*day) > 31)) {
        Hit(out, "first_paid_day", "shoyo.first_paid_day", "is a day of the month, 1–31");
    }
}

void KoyoShutoku(const PersonRef& p, Date today, std::vector<RuleHit>& out) {
    if (Text(p, "acquisition_kind") == "2" && !Text(p, "insured_number")) {
        Hit(out, "insured_number", "koyo.insured_number_required",
            "is required for 再取得 (取得区分 2)", "take it from the former 資格喪失確認通知書");
    }
    const auto birth = DateOf(p, "birth_date");
    const auto acquired = DateOf(p, "acquired_on");
    if (acquired && *acquired > today) {
        Hit(out, "acquired_on", "date.after_check_date",
            "lies after the check date " + FormatIsoDate(today));
    }
    if (birth && acquired && *acquired <= *birth) {
        Hit(out, "acquired_on", "koyo.before_birth", "must be after the birth date");
    }
}

void KoyoSoshitsu(const PersonRef& p, Date today, std::vector<RuleHit>& out) {
    const auto birth = DateOf(p, "birth_date");
    const auto acquired = DateOf(p, "acquired_on");
    const auto separated = DateOf(p, "separated_on");
    if (separated && *separated > today) {
        Hit(out, "separated_on", "date.after_check_date",
            "lies after the check date " + FormatIsoDate(today));
    }
    if (acquired && separated && *separated < *acquired) {
        Hit(out, "separated_on", "koyo.separated_before_acquired",
            "離職等年月日 cannot be before the 資格取得年月日");
    }
    if (birth && separated && Text(p, "separation_slip") == "2" &&
        *separated >= AddYears(*birth, 59)) {
        Hit(out, "separation_slip", "koyo.separation_slip_over59",
            "a person aged 59 or more on leaving always gets a 離職票 (交付希望 1)",
            "set separation_slip to 1");
    }
    if (Text(p, "new_name").has_value() != Text(p, "new_name_kana").has_value()) {
        Hit(out, "new_name_kana", "koyo.new_name", "新氏名 and its フリガナ go together");
    }
    if (Text(p, "separation_slip") == "1" && Text(p, "loss_cause") != "1" &&
        !Text(p, "address_after")) {
        Hit(out, "address_after", "koyo.address_after_required",
            "the 離職票 is sent to the person: the 離職後の住所 is required");
    }
}

void NendoKoshin(const Record& r, Date today, std::vector<RuleHit>& out) {
    const std::string year_text = GetText(r.data, "declaration.fiscal_year").value_or("");
    if (year_text.size() == 4 && IsAsciiDigits(year_text)) {
        const int year = std::stoi(year_text);
        // The 保険年度 runs from April: in May 2026 the current one is 2025's.
        const int current = today.month >= 4 ? today.year : today.year - 1;
        if (year < 2020 || year > current + 1) {
            Hit(out, "declaration.fiscal_year", "nendo.fiscal_year",
                "must be a 保険年度 from 2020 (令和2年度) to " + std::to_string(current + 1),
                "the 年度 of the 概算保険料, e.g. 2026 for the 申告 of June–July 2026");
        }
    }
    const auto* declaration = r.data.if_contains("declaration");
    if (declaration == nullptr || !declaration->is_object()) {
        return;  // the field rules report the missing items
    }
    const auto& d = declaration->as_object();
    for (const char* part : {"final", "estimate"}) {
        for (const char* insurance : {"rosai", "koyo"}) {
            const std::string base = std::string(part) + "." + insurance + "_base_thousand_yen";
            const std::string rate = std::string(part) + "." + insurance + "_rate_per_mille";
            const std::string base_text = GetText(d, base).value_or("");
            const bool has_base =
                !base_text.empty() && base_text.find_first_not_of('0') != std::string::npos;
            const std::string rate_text = GetText(d, rate).value_or("");
            if (has_base && rate_text.empty()) {
                Hit(out, "declaration." + rate, "nendo.rate_required",
                    "is required with its 算定基礎額", "the 保険料率 in ‰, e.g. 3 or 15.5");
            }
            if (const auto tenths = ParsePerMilleTenths(rate_text);
                tenths && (*tenths == 0 || *tenths > 1000)) {
                Hit(out, "declaration." + rate, "nendo.rate_range",
                    "must be above 0 and at most 100 ‰",
                    "rates are per thousand: 15.5 means 15.5/1000");
            }
        }
    }
    const auto result = ComputeNendoKoshin(d);
    if (result && result->requested_installments != result->installments) {
        Hit(out, "declaration.installments", "nendo.installments_not_allowed",
            "延納 (3 periods) needs a 概算保険料額 of at least 400,000 yen (200,000 yen with only "
            "労災 or only 雇用); this one is " +
                std::to_string(result->estimate_total) + " yen",
            "set installments to 1");
    }
}

}  // namespace todoke::forms::rules
