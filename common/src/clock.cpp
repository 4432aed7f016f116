#include "todoke/common/clock.hpp"

#include <ctime>

namespace todoke {
namespace {

std::string Format(TimePoint t, std::chrono::seconds offset, const char* pattern) {
    const std::time_t secs =
        std::chrono::system_clock::to_time_t(t) + static_cast<std::time_t>(offset.count());
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    const std::size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
    return std::string(buf, n);
}

}  // namespace

std::string FormatIsoUtc(TimePoint t) {
    return Format(t, std::chrono::seconds(0), "%Y-%m-%dT%H:%M:%SZ");
}

std::string FormatJstCompact(TimePoint t) {
    return Format(t, std::chrono::hours(9), "%Y%m%d%H%M%S");
}

std::string FormatJstDateTime(TimePoint t) {
    return Format(t, std::chrono::hours(9), "%Y-%m-%d %H:%M:%S");
}

std::string FormatJstDate(TimePoint t) { return Format(t, std::chrono::hours(9), "%Y-%m-%d"); }

}  // namespace todoke
