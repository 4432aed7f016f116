// When to try again (security-and-reliability.md §5.7, §11): exponential back-off ×factor from
// `initial`, capped, with ±jitter, never sooner than the server's Retry-After, never inside a
// planned maintenance window; after `budget` consecutive failures the filing is dead and an
// operator replays it. Business rejections never come here.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "todoke/common/clock.hpp"

namespace todoke::queue {

struct RetryPolicy {
    std::chrono::milliseconds initial{2000};
    double factor = 2.0;
    std::chrono::milliseconds cap{3600 * 1000};
    double jitter = 0.2;  // ± this share of the delay
    int budget = 8;       // failures before dead

    // Delay before try number failures + 1 (failures ≥ 1), jittered by `random` in [0, 1).
    std::chrono::milliseconds Delay(int failures, double random) const;
    bool Exhausted(int failures) const { return failures >= budget; }
};

// Planned maintenance windows of a portal ([start, end), UTC).
struct MaintenanceWindow {
    TimePoint start, end;
};

class MaintenanceCalendar {
  public:
    MaintenanceCalendar() = default;
    explicit MaintenanceCalendar(std::vector<MaintenanceWindow> windows);
    // `t` when no window holds it; otherwise the end of the (chained) windows around it.
    TimePoint NextOpen(TimePoint t) const;
    bool empty() const { return windows_.empty(); }

  private:
    std::vector<MaintenanceWindow> windows_;
};

// The time of the next try after a retryable failure: back-off, Retry-After, maintenance.
TimePoint NextTry(const RetryPolicy& policy, const MaintenanceCalendar& calendar, TimePoint now,
                  int failures, std::int64_t retry_after_seconds, double random);

}  // namespace todoke::queue
