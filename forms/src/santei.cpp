#include "todoke/forms/santei.hpp"

#include <string>

#include "todoke/forms/identifiers.hpp"
#include "todoke/forms/record.hpp"

namespace todoke::forms {
namespace {

constexpr std::array<std::string_view, 3> kMonthSuffixes{"_days", "_currency", "_in_kind"};

std::optional<long long> Number(const boost::json::value* v) {
    return v == nullptr ? std::nullopt : WholeNumberOf(*v, 12);
}

bool Flag(const boost::json::value* v) {
    std::string scratch;
    return v != nullptr && ValueText(*v, scratch).value_or("0") == "1";
}

}  // namespace

std::array<std::string, kSanteiKeyCount> SanteiKeys(std::string_view months) {
    std::array<std::string, kSanteiKeyCount> keys;
    for (std::size_t i = 0; i < 3; ++i) {
        const std::size_t comma = months.find(',');
        const std::string_view m = months.substr(0, comma);
        months = comma == std::string_view::npos ? std::string_view() : months.substr(comma + 1);
        for (std::size_t k = 0; k < kMonthSuffixes.size(); ++k) {
            keys[3 * i + k] = std::string(m) + std::string(kMonthSuffixes[k]);
        }
    }
    keys[9] = "short_time";
    keys[10] = "part_time";
    return keys;
}

std::optional<SanteiResult> ComputeSantei(const boost::json::object& person,
                                          std::string_view months) {
    std::array<const boost::json::value*, kSanteiKeyCount> values{};
    const auto keys = SanteiKeys(months);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        values[i] = person.if_contains(keys[i]);
    }
    return ComputeSantei(values);
}

std::optional<SanteiResult> ComputeSantei(
    const std::array<const boost::json::value*, kSanteiKeyCount>& values) {
    SanteiResult r;
    for (std::size_t i = 0; i < 3; ++i) {
        const auto days = Number(values[3 * i]);
        const auto currency = Number(values[3 * i + 1]);
        if (!days || !currency) {
            return std::nullopt;
        }
        r.months[i] = {static_cast<int>(*days), *currency, Number(values[3 * i + 2]).value_or(0)};
    }
    const bool short_time = Flag(values[9]);
    const bool part_time = Flag(values[10]);
    int threshold = short_time ? 11 : 17;
    if (part_time && !short_time) {
        bool any17 = false;
        for (const auto& m : r.months) {
            any17 = any17 || m.days >= 17;
        }
        if (!any17) {
            threshold = 15;
        }
    }
    for (std::size_t i = 0; i < 3; ++i) {
        r.counted[i] = r.months[i].days >= threshold;
        if (r.counted[i]) {
            r.sum += r.months[i].total();
            ++r.counted_months;
        }
    }
    r.average = r.counted_months > 0 ? r.sum / r.counted_months : 0;
    return r;
}

}  // namespace todoke::forms
