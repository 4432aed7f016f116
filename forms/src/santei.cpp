#include "todoke/forms/santei.hpp"

#include <algorithm>
#include <string>

#include "todoke/forms/identifiers.hpp"
#include "todoke/forms/record.hpp"

namespace todoke::forms {
namespace {

// The whole number in person.{prefix}{suffix}; the key is put together on the stack (a
// 50-person 算定 reads 450 of them).
std::optional<long long> Number(const boost::json::object& o, std::string_view prefix,
                                std::string_view suffix) {
    char key[64];
    if (prefix.size() + suffix.size() > sizeof key) {
        return std::nullopt;
    }
    std::copy(prefix.begin(), prefix.end(), key);
    std::copy(suffix.begin(), suffix.end(), key + prefix.size());
    const boost::json::value* v =
        o.if_contains(std::string_view(key, prefix.size() + suffix.size()));
    return v == nullptr ? std::nullopt : WholeNumberOf(*v, 12);
}

}  // namespace

std::optional<SanteiResult> ComputeSantei(const boost::json::object& person,
                                          std::string_view months) {
    SanteiResult r;
    for (std::size_t i = 0; i < 3; ++i) {
        const std::size_t comma = months.find(',');
        const std::string_view m = months.substr(0, comma);
        months = comma == std::string_view::npos ? std::string_view() : months.substr(comma + 1);
        const auto days = Number(person, m, "_days");
        const auto currency = Number(person, m, "_currency");
        if (!days || !currency) {
            return std::nullopt;
        }
        r.months[i] = {static_cast<int>(*days), *currency,
                       Number(person, m, "_in_kind").value_or(0)};
    }
    std::string scratch;
    const bool short_time = GetTextView(person, "short_time", scratch).value_or("0") == "1";
    const bool part_time = GetTextView(person, "part_time", scratch).value_or("0") == "1";
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
