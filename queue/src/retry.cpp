#include "todoke/queue/retry.hpp"

#include <algorithm>
#include <cmath>

namespace todoke::queue {

std::chrono::milliseconds RetryPolicy::Delay(int failures, double random) const {
    const int n = std::max(failures, 1) - 1;
    const double base = static_cast<double>(initial.count()) *
                        std::pow(factor, static_cast<double>(std::min(n, 62)));
    const double capped = std::min(base, static_cast<double>(cap.count()));
    const double spread = 1.0 + jitter * (2.0 * std::clamp(random, 0.0, 1.0) - 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(capped * spread));
}

MaintenanceCalendar::MaintenanceCalendar(std::vector<MaintenanceWindow> windows)
    : windows_(std::move(windows)) {
    std::sort(windows_.begin(), windows_.end(),
              [](const auto& a, const auto& b) { return a.start < b.start; });
}

TimePoint MaintenanceCalendar::NextOpen(TimePoint t) const {
    for (const auto& w : windows_) {  // sorted: a window may end inside the next one
        if (t >= w.start && t < w.end) {
            t = w.end;
        }
    }
    return t;
}

TimePoint NextTry(const RetryPolicy& policy, const MaintenanceCalendar& calendar, TimePoint now,
                  int failures, std::int64_t retry_after_seconds, double random) {
    TimePoint next = now + policy.Delay(failures, random);
    next =
        std::max(next, now + std::chrono::seconds(std::max<std::int64_t>(retry_after_seconds, 0)));
    return calendar.NextOpen(next);
}

}  // namespace todoke::queue
