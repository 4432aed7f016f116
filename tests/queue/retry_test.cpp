// The back-off schedule: ×factor from the initial delay, capped, jitter within its bounds,
// Retry-After and maintenance windows respected, the budget ends it.
#include "todoke/queue/retry.hpp"

#include <gtest/gtest.h>

namespace todoke::queue {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RetryTest, DoublesFromTheInitialDelayUpToTheCap) {
    RetryPolicy p;
    p.initial = milliseconds(2000);
    p.factor = 2.0;
    p.cap = milliseconds(60000);
    p.jitter = 0;
    const std::int64_t expected[] = {2000, 4000, 8000, 16000, 32000, 60000, 60000};
    for (int n = 1; n <= 7; ++n) {
        EXPECT_EQ(p.Delay(n, 0.5).count(), expected[n - 1]) << "failure " << n;
    }
    EXPECT_EQ(p.Delay(500, 0.5).count(), 60000);  // no overflow far out
}

TEST(RetryTest, JitterStaysWithinItsShare) {
    RetryPolicy p;
    p.initial = milliseconds(10000);
    p.jitter = 0.2;
    EXPECT_EQ(p.Delay(1, 0.0).count(), 8000);
    EXPECT_EQ(p.Delay(1, 0.5).count(), 10000);
    EXPECT_NEAR(static_cast<double>(p.Delay(1, 0.999999).count()), 12000.0, 1.0);
}

TEST(RetryTest, TheBudgetEndsIt) {
    RetryPolicy p;
    p.budget = 3;
    EXPECT_FALSE(p.Exhausted(2));
    EXPECT_TRUE(p.Exhausted(3));
}

TEST(RetryTest, RetryAfterAndMaintenanceWindowsPushTheNextTry) {
    RetryPolicy p;
    p.initial = milliseconds(1000);
    p.jitter = 0;
    const TimePoint now = std::chrono::system_clock::from_time_t(1'800'000'000);
    EXPECT_EQ(NextTry(p, {}, now, 1, 0, 0.5), now + seconds(1));
    EXPECT_EQ(NextTry(p, {}, now, 1, 120, 0.5), now + seconds(120));  // the server said so
    // Two windows back to back: the try waits for the end of both.
    MaintenanceCalendar calendar(
        {{now + seconds(3600), now + seconds(7200)}, {now, now + seconds(3600)}});
    EXPECT_EQ(NextTry(p, calendar, now, 1, 0, 0.5), now + seconds(7200));
    EXPECT_EQ(calendar.NextOpen(now + seconds(9000)), now + seconds(9000));
}

}  // namespace
}  // namespace todoke::queue
