#include "todoke/forms/nendo_koshin.hpp"

#include <string>

#include "todoke/forms/identifiers.hpp"
#include "todoke/forms/record.hpp"

namespace todoke::forms {
namespace {

std::optional<long long> Whole(const boost::json::object& o, std::string_view path) {
    const auto text = GetText(o, path);
    if (!text || text->empty()) {
        return 0LL;  // an absent line (e.g. no 雇用保険) counts as nothing
    }
    return ParseWholeNumber(*text, 12);
}

std::optional<PremiumLine> Line(const boost::json::object& o, std::string_view base,
                                std::string_view rate) {
    const auto b = Whole(o, base);
    if (!b) {
        return std::nullopt;
    }
    PremiumLine line;
    line.base_thousand_yen = *b;
    const auto rate_text = GetText(o, rate).value_or("");
    if (rate_text.empty()) {
        if (*b != 0) {
            return std::nullopt;  // a base without its rate
        }
        return line;
    }
    const auto r = ParsePerMilleTenths(rate_text);
    if (!r) {
        return std::nullopt;
    }
    line.rate_tenths = *r;
    // 千円 × (tenths of ‰) / 10 = yen; the remainder below one yen is dropped.
    line.premium = line.base_thousand_yen * line.rate_tenths / 10;
    return line;
}

// 徴収法: the 確定 base replaces a 見込額 within 50 %–200 % of it.
PremiumLine EstimateLine(PremiumLine estimate, const PremiumLine& last, bool& from_final) {
    from_final = last.base_thousand_yen > 0 &&
                 estimate.base_thousand_yen * 2 >= last.base_thousand_yen &&
                 estimate.base_thousand_yen <= last.base_thousand_yen * 2;
    if (from_final) {
        estimate.base_thousand_yen = last.base_thousand_yen;
    }
    estimate.premium = estimate.base_thousand_yen * estimate.rate_tenths / 10;
    return estimate;
}

}  // namespace

std::optional<int> ParsePerMilleTenths(std::string_view text) {
    const auto dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction =
        dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    if (whole.empty() || whole.size() > 3 ||
        (dot != std::string_view::npos && fraction.size() != 1)) {
        return std::nullopt;
    }
    int value = 0;
    for (char c : whole) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    value *= 10;
    if (!fraction.empty()) {
        if (fraction[0] < '0' || fraction[0] > '9') {
            return std::nullopt;
        }
        value += fraction[0] - '0';
    }
    return value;
}

std::optional<NendoKoshinResult> ComputeNendoKoshin(const boost::json::object& d) {
    NendoKoshinResult r;
    const auto final_rosai = Line(d, "final.rosai_base_thousand_yen", "final.rosai_rate_per_mille");
    const auto final_koyo = Line(d, "final.koyo_base_thousand_yen", "final.koyo_rate_per_mille");
    const auto est_rosai =
        Line(d, "estimate.rosai_base_thousand_yen", "estimate.rosai_rate_per_mille");
    const auto est_koyo =
        Line(d, "estimate.koyo_base_thousand_yen", "estimate.koyo_rate_per_mille");
    const auto paid = Whole(d, "paid_estimate_yen");
    if (!final_rosai || !final_koyo || !est_rosai || !est_koyo || !paid) {
        return std::nullopt;
    }
    r.final_rosai = *final_rosai;
    r.final_koyo = *final_koyo;
    r.final_total = r.final_rosai.premium + r.final_koyo.premium;
    r.estimate_rosai = EstimateLine(*est_rosai, r.final_rosai, r.estimate_rosai_from_final);
    r.estimate_koyo = EstimateLine(*est_koyo, r.final_koyo, r.estimate_koyo_from_final);
    r.estimate_total = r.estimate_rosai.premium + r.estimate_koyo.premium;
    r.contribution = r.final_rosai.base_thousand_yen * 1000 * kContributionPer100000 / 100'000;
    r.paid_estimate = *paid;
    if (r.final_total >= r.paid_estimate) {
        r.shortfall = r.final_total - r.paid_estimate;
    } else {
        r.surplus = r.paid_estimate - r.final_total;
    }
    const bool both =
        r.estimate_rosai.base_thousand_yen > 0 && r.estimate_koyo.base_thousand_yen > 0;
    r.installments_allowed =
        r.estimate_total >= (both ? kInstallmentMinimum : kInstallmentMinimumOneInsurance);
    r.requested_installments = GetText(d, "installments").value_or("1") == "3" ? 3 : 1;
    r.installments = r.installments_allowed ? r.requested_installments : 1;
    const int periods = r.installments;
    const long long third = r.estimate_total / 3;
    for (int i = 0; i < periods; ++i) {
        auto& p = r.periods[static_cast<std::size_t>(i)];
        p.estimate =
            periods == 1 ? r.estimate_total : (i == 0 ? r.estimate_total - 2 * third : third);
    }
    r.periods[0].shortfall = r.shortfall;
    r.periods[0].contribution = r.contribution;
    const bool refund = GetText(d, "surplus").value_or("apply") == "refund";
    long long left = refund ? 0 : r.surplus;
    for (int i = 0; i < periods; ++i) {
        auto& p = r.periods[static_cast<std::size_t>(i)];
        const long long due = p.estimate + p.shortfall + p.contribution;
        p.applied = left < due ? left : due;
        left -= p.applied;
        r.applied += p.applied;
        p.payable = due - p.applied;
    }
    r.refund = r.surplus - r.applied;
    return r;
}

}  // namespace todoke::forms
