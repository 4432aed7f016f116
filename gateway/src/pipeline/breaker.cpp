#include "breaker.hpp"

#include <algorithm>

namespace todoke::gateway::pipeline {

bool IsCircuitOpen(const Error& e) {
    return e.code == ErrorCode::kUnavailable && e.field == kCircuitOpenField;
}

CircuitBreaker::CircuitBreaker(BreakerPolicy policy, const Clock& clock,
                               queue::MaintenanceCalendar maintenance, Notify notify)
    : policy_(policy),
      clock_(clock),
      maintenance_(std::move(maintenance)),
      notify_(std::move(notify)) {}

CircuitBreaker::Gate CircuitBreaker::GateLocked(TimePoint now) const {
    if (maintenance_.NextOpen(now) != now) {
        return Gate::kOpen;  // a planned maintenance window
    }
    if (!open_) {
        return Gate::kClosed;
    }
    return now < until_ || probe_out_ ? Gate::kOpen : Gate::kProbe;
}

CircuitBreaker::Gate CircuitBreaker::Check() {
    const TimePoint now = clock_.Now();
    std::lock_guard lock(mu_);
    return GateLocked(now);
}

bool CircuitBreaker::Admit() {
    const TimePoint now = clock_.Now();
    std::lock_guard lock(mu_);
    const Gate gate = GateLocked(now);
    if (gate == Gate::kProbe) {
        probe_out_ = true;  // this call is the probe
    }
    return gate != Gate::kOpen;
}

void CircuitBreaker::Record(bool answered, std::int64_t retry_after_seconds) {
    const TimePoint now = clock_.Now();
    std::string told;  // a change to tell, once the lock is released
    Snapshot state;
    {
        std::lock_guard lock(mu_);
        if (answered) {
            in_a_row_ = 0;
            if (open_) {
                open_ = false;
                probe_out_ = false;
                pause_ = std::chrono::milliseconds(0);
                told = "e-Gov answers again: portal calls resume";
            }
        } else if (open_) {
            if (probe_out_) {  // the probe failed: twice as long, up to the cap
                probe_out_ = false;
                const auto longer = std::min(pause_ * 2, policy_.open_cap);
                const auto pause =
                    std::max(longer, std::chrono::milliseconds(retry_after_seconds * 1000));
                told = OpenLocked(now, pause, "e-Gov still gives no answer (the probe failed)");
            }
            // else: a call admitted before the opening; the pause already runs
        } else if (++in_a_row_ >= policy_.failures) {
            const auto pause =
                std::max(policy_.open_for, std::chrono::milliseconds(retry_after_seconds * 1000));
            told = OpenLocked(
                now, pause,
                "e-Gov gave no answer to " + std::to_string(in_a_row_) + " calls in a row");
        }
        state = StateLocked();
    }
    if (!told.empty() && notify_) {
        notify_(state, told);
    }
}

std::string CircuitBreaker::OpenLocked(TimePoint now, std::chrono::milliseconds pause,
                                       const std::string& why) {
    open_ = true;
    ++times_opened_;
    pause_ = std::max(pause, std::chrono::milliseconds(1));
    until_ = now + pause_;
    return why + ": portal calls paused for " + std::to_string(pause_.count()) +
           " ms, then one call tries";
}

TimePoint CircuitBreaker::RetryAt() {
    const TimePoint now = clock_.Now();
    std::lock_guard lock(mu_);
    const TimePoint after = open_ ? std::max(now, until_) : now;
    return maintenance_.NextOpen(after);
}

CircuitBreaker::Snapshot CircuitBreaker::State() {
    std::lock_guard lock(mu_);
    return StateLocked();
}

template <class F>
auto GuardedPortal::Guard(F call) -> decltype(call()) {
    if (!breaker_.Admit()) {
        return Fail(ErrorCode::kUnavailable,
                    "e-Gov is not answering (circuit open): the call was not made",
                    std::string(kCircuitOpenField));
    }
    if (pace_) {
        pace_();
    }
    auto result = call();
    if (result) {
        breaker_.Record(true);
    } else {
        breaker_.Record(!egov::IsUnanswered(result.error()), result.error().retry_after_seconds);
    }
    return result;
}

Result<egov::Submission> GuardedPortal::Apply(const std::string& proc_id, const std::string& zip,
                                              bool trial) {
    return Guard([&] { return inner_.Apply(proc_id, zip, trial); });
}
Result<egov::FormatCheck> GuardedPortal::Check(const std::string& proc_id, const std::string& zip) {
    return Guard([&] { return inner_.Check(proc_id, zip); });
}
Result<egov::Submission> GuardedPortal::Amend(const std::string& arrive_id,
                                              const std::string& zip) {
    return Guard([&] { return inner_.Amend(arrive_id, zip); });
}
Result<egov::Submission> GuardedPortal::Withdraw(const std::string& arrive_id,
                                                 const std::string& zip) {
    return Guard([&] { return inner_.Withdraw(arrive_id, zip); });
}
Result<egov::Case> GuardedPortal::GetCase(const std::string& arrive_id) {
    return Guard([&] { return inner_.GetCase(arrive_id); });
}
Result<std::vector<egov::Case>> GuardedPortal::ListCases(const std::string& from,
                                                         const std::string& to) {
    return Guard([&] { return inner_.ListCases(from, to); });
}
Result<std::vector<egov::Notice>> GuardedPortal::ListNotices(const std::string& from,
                                                             const std::string& to) {
    return Guard([&] { return inner_.ListNotices(from, to); });
}
Result<egov::Notice> GuardedPortal::GetNotice(const std::string& arrive_id, int notice_sub_id) {
    return Guard([&] { return inner_.GetNotice(arrive_id, notice_sub_id); });
}
Result<egov::DownloadedDocument> GuardedPortal::DownloadOfficialDocument(
    const std::string& arrive_id, int notice_sub_id) {
    return Guard([&] { return inner_.DownloadOfficialDocument(arrive_id, notice_sub_id); });
}
Result<void> GuardedPortal::CompleteOfficialDocument(const std::string& arrive_id,
                                                     int notice_sub_id) {
    return Guard([&] { return inner_.CompleteOfficialDocument(arrive_id, notice_sub_id); });
}
Result<egov::ProcedureSkeleton> GuardedPortal::GetProcedure(const std::string& proc_id) {
    return Guard([&] { return inner_.GetProcedure(proc_id); });
}
Result<egov::BulkSend> GuardedPortal::BulkApply(const std::string& zip) {
    return Guard([&] { return inner_.BulkApply(zip); });
}
Result<egov::BulkReport> GuardedPortal::GetBulkReport(const std::string& send_number) {
    return Guard([&] { return inner_.GetBulkReport(send_number); });
}
Result<std::string> GuardedPortal::VerifyAtPortal(const std::string& zip,
                                                  const std::string& xml_name) {
    return Guard([&] { return inner_.VerifyAtPortal(zip, xml_name); });
}

}  // namespace todoke::gateway::pipeline
