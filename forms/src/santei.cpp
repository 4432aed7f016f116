#include "todoke/forms/santei.hpp"

#include <string>

#include "todoke/forms/record.hpp"

namespace todoke::forms {
namespace {

// A person's field (a plain key, never a path).
std::optional<std::string_view> Field(const boost::json::object& o, std::string_view key,
                                      std::string& scratch) {
    const auto it = o.find(key);
    return it == o.end() ? std::nullopt : ValueText(it->value(), scratch);
}

std::optional<long long> Number(const boost::json::object& o, const std::string& field) {
    std::string scratch;
    const auto text = Field(o, field, scratch);
    if (!text || text->empty() || text->size() > 12) {
        return std::nullopt;
    }
    long long v = 0;
    for (char c : *text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        v = v * 10 + (c - '0');
    }
    return v;
}

}  // namespace

std::optional<SanteiResult> ComputeSantei(const boost::json::object& person,
                                          std::string_view months) {
    SanteiResult r;
    for (std::size_t i = 0; i < 3; ++i) {
        const std::size_t comma = months.find(',');
        const std::string m(months.substr(0, comma));
        months = comma == std::string_view::npos ? std::string_view() : months.substr(comma + 1);
        const auto days = Number(person, m + "_days");
        const auto currency = Number(person, m + "_currency");
        if (!days || !currency) {
            return std::nullopt;
        }
        r.months[i] = {static_cast<int>(*days), *currency,
                       Number(person, m + "_in_kind").value_or(0)};
    }
    std::string scratch;
    const bool short_time = Field(person, "short_time", scratch).value_or("0") == "1";
    const bool part_time = Field(person, "part_time", scratch).value_or("0") == "1";
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
