// Clock: the one source of "now" for code that must be testable with simulated time.
// SystemClock reads the wall clock; FakeClock is set and advanced by tests (thread-safe).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

namespace todoke {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
  public:
    virtual ~Clock() = default;
    virtual TimePoint Now() const = 0;
};
using ClockPtr = std::shared_ptr<const Clock>;

class SystemClock final : public Clock {
  public:
    TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

class FakeClock final : public Clock {
  public:
    explicit FakeClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
    TimePoint Now() const override { return TimePoint(TimePoint::duration(now_.load())); }
    void Set(TimePoint t) { now_.store(t.time_since_epoch().count()); }
    void Advance(std::chrono::nanoseconds d) {
        now_.fetch_add(std::chrono::duration_cast<TimePoint::duration>(d).count());
    }

  private:
    std::atomic<TimePoint::rep> now_;
};

// UTC "2026-11-22T13:04:05Z".
std::string FormatIsoUtc(TimePoint t);
// Japan time (UTC+9, no daylight saving) as "yyyyMMddHHmmss", the form e-Gov uses in ids.
std::string FormatJstCompact(TimePoint t);
// Japan time as "YYYY-MM-DD HH:MM:SS", e-Gov API v2's datetime format (egov-api.md §3.4).
std::string FormatJstDateTime(TimePoint t);
// Japan time as "YYYY-MM-DD".
std::string FormatJstDate(TimePoint t);

}  // namespace todoke
