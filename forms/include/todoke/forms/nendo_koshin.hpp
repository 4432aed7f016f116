// 労働保険 年度更新 arithmetic: the 労働保険概算・確定保険料申告書 (継続事業, 一元適用) of one
// 事業場 for one 保険年度. forms-and-data.md §2.2 gives only the 様式ID and 手続ID of this form;
// the rules below are the published rules of the 徴収法 as todoke knows them (UNCONFIRMED by the
// domain notes; each is named where it is applied):
//   - a premium is 算定基礎額 (in 千円, the yen below a thousand dropped) × 保険料率 (‰),
//     yen below one dropped; 労災 and 雇用 are computed line by line and added;
//   - the 概算 of the new year uses the 確定 base of the last year when the 見込額 lies within
//     50 %–200 % of it, else the 見込額;
//   - 一般拠出金 = the 労災 確定 base × 0.02 ‰ (石綿健康被害救済法), paid with the first period;
//   - 延納 (three periods) needs a 概算保険料額 of at least 400,000 yen, or 200,000 yen when
//     only one of 労災 and 雇用 is covered; the first period takes what does not divide by 3;
//   - a 確定 below the 申告済概算 leaves a surplus that todoke applies (充当) to the periods in
//     order, or refunds (還付) when the record asks for it; a 確定 above it adds the shortfall
//     (不足額) to the first period.
// 労働保険事務組合 filings (延納 whatever the amount) and the 建設/林業 variants are not covered.
#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

namespace todoke::forms {

// One line of the 算定内訳: base in 千円, rate in tenths of a per mille (15.5 ‰ = 155).
struct PremiumLine {
    long long base_thousand_yen = 0;
    int rate_tenths = 0;
    long long premium = 0;  // yen
};

struct NendoPeriod {
    long long estimate = 0;      // 概算保険料 of the period
    long long applied = 0;       // 充当額 taken from last year's surplus
    long long shortfall = 0;     // 不足額 (first period only)
    long long contribution = 0;  // 一般拠出金 (first period only)
    long long payable = 0;       // 納付額 = estimate + shortfall + contribution - applied
};

struct NendoKoshinResult {
    PremiumLine final_rosai;
    PremiumLine final_koyo;
    long long final_total = 0;
    PremiumLine estimate_rosai;
    PremiumLine estimate_koyo;
    bool estimate_rosai_from_final = false;  // the 50 %–200 % rule chose the 確定 base
    bool estimate_koyo_from_final = false;
    long long estimate_total = 0;
    long long contribution = 0;   // 一般拠出金
    long long paid_estimate = 0;  // 申告済概算保険料額
    long long shortfall = 0;      // 不足額
    long long surplus = 0;        // 確定 below the paid 概算
    long long applied = 0;        // 充当額 (the part of the surplus applied)
    long long refund = 0;         // 還付額
    bool installments_allowed = false;
    int requested_installments = 1;      // what the record asks for (1 or 3)
    int installments = 1;                // what is granted: 3 only when allowed
    std::array<NendoPeriod, 3> periods;  // only the first `installments` are used
};

// The 一般拠出金 rate in tenths of a per mille is not a whole number: 0.02 ‰ = 2 / 100,000.
inline constexpr long long kContributionPer100000 = 2;
inline constexpr long long kInstallmentMinimum = 400'000;
inline constexpr long long kInstallmentMinimumOneInsurance = 200'000;

// "15.5" -> 155, "3" -> 30; nullopt unless 0–999.9 with at most one decimal.
std::optional<int> ParsePerMilleTenths(std::string_view text);

// From a record's "declaration" object (docs/records.md "労働保険 年度更新"); nullopt when an
// amount or rate is missing or malformed (the field rules report those). `installments` asks
// for 3 periods even when they are not allowed: the result says so, the rule refuses it.
std::optional<NendoKoshinResult> ComputeNendoKoshin(const boost::json::object& declaration);

}  // namespace todoke::forms
