// The portal's circuit breaker (security-and-reliability.md §13: "circuit breaker per authority";
// ASVS 16.5.2). When e-Gov stops answering — an outage, an overload at a filing deadline, an
// unannounced maintenance — every due filing would otherwise be tried, fail and spend one of its
// retries, and after `retry.budget` failures (minutes with the default back-off) thousands of
// filings would be dead and need an operator's replay. Instead, after `failures` calls in a row
// that got no answer (transport failure, timeout, 5xx), the breaker opens: the stages that call
// the portal claim nothing and a call that races the opening fails at once without going out.
// After `open_for` one call may go out as a probe (half-open): an answer closes the breaker, a
// failure opens it again for twice as long, up to `open_cap`. A planned maintenance window
// (PipelineConfig::maintenance) holds the breaker open for its length.
//
// Any answer of the portal counts as an answer, a 400 rejection or a 404 too: they say the
// portal is up. The breaker is per process (one `todoke serve`); several processes sharing one
// store would each keep their own (docs/pipeline.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"
#include "todoke/egov/portal.hpp"
#include "todoke/gateway/pipeline.hpp"
#include "todoke/queue/retry.hpp"

namespace todoke::gateway::pipeline {

// The error of a call the open breaker kept from going out: kUnavailable, field
// kCircuitOpenField. Nothing reached the portal, so it is neither a failure of the filing nor
// an unanswered send.
inline constexpr std::string_view kCircuitOpenField = "egov.circuit_open";
bool IsCircuitOpen(const Error& e);

class CircuitBreaker {
  public:
    enum class Gate {
        kClosed,  // claim and call as usual
        kProbe,   // the pause is over: claim one filing; its call is the probe
        kOpen,    // claim nothing
    };
    struct Snapshot {
        bool open = false;
        std::int64_t times_opened = 0;
        TimePoint until{};  // while open: when a probe may go out
    };
    // Told each time the breaker opens or closes (outside its lock): its state after the
    // change, and a sentence for the log.
    using Notify = std::function<void(const Snapshot& state, const std::string& why)>;

    CircuitBreaker(BreakerPolicy policy, const Clock& clock,
                   queue::MaintenanceCalendar maintenance = {}, Notify notify = {});

    // Before claiming work that calls the portal.
    Gate Check();
    // Before one call: false when it must not go out (open, or a probe is already out).
    bool Admit();
    // After a call that was admitted: whether the portal answered (egov::IsUnanswered), and the
    // Retry-After it gave (0: none), which lengthens a pause it starts.
    void Record(bool answered, std::int64_t retry_after_seconds = 0);
    // When a filing whose call was kept back should be tried again.
    TimePoint RetryAt();
    Snapshot State();

  private:
    // Opens it for `pause`; returns what to tell.
    std::string OpenLocked(TimePoint now, std::chrono::milliseconds pause, const std::string& why);
    Snapshot StateLocked() const { return {open_, times_opened_, until_}; }
    Gate GateLocked(TimePoint now) const;

    const BreakerPolicy policy_;
    const Clock& clock_;
    const queue::MaintenanceCalendar maintenance_;
    const Notify notify_;
    std::mutex mu_;
    bool open_ = false;
    bool probe_out_ = false;
    int in_a_row_ = 0;
    std::int64_t times_opened_ = 0;
    std::chrono::milliseconds pause_{0};  // the last pause, doubled by a failed probe
    TimePoint until_{};
};

// The portal as the pipeline's workers call it: every call takes a token from the rate budget
// and passes the breaker, which learns from its outcome.
class GuardedPortal final : public egov::Portal {
  public:
    // Paces calls (a token bucket); defined in pipeline.cpp.
    using Pace = std::function<void()>;
    GuardedPortal(egov::Portal& inner, CircuitBreaker& breaker, Pace pace)
        : inner_(inner), breaker_(breaker), pace_(std::move(pace)) {}

    Result<egov::Submission> Apply(const std::string& proc_id, const std::string& zip,
                                   bool trial) override;
    Result<egov::FormatCheck> Check(const std::string& proc_id, const std::string& zip) override;
    Result<egov::Submission> Amend(const std::string& arrive_id, const std::string& zip) override;
    Result<egov::Submission> Withdraw(const std::string& arrive_id,
                                      const std::string& zip) override;
    Result<egov::Case> GetCase(const std::string& arrive_id) override;
    Result<std::vector<egov::Case>> ListCases(const std::string& from,
                                              const std::string& to) override;
    Result<std::vector<egov::Notice>> ListNotices(const std::string& from,
                                                  const std::string& to) override;
    Result<egov::Notice> GetNotice(const std::string& arrive_id, int notice_sub_id) override;
    Result<egov::DownloadedDocument> DownloadOfficialDocument(const std::string& arrive_id,
                                                              int notice_sub_id) override;
    Result<void> CompleteOfficialDocument(const std::string& arrive_id, int notice_sub_id) override;
    Result<egov::ProcedureSkeleton> GetProcedure(const std::string& proc_id) override;
    Result<egov::BulkSend> BulkApply(const std::string& zip) override;
    Result<egov::BulkReport> GetBulkReport(const std::string& send_number) override;
    Result<std::string> VerifyAtPortal(const std::string& zip,
                                       const std::string& xml_name) override;

  private:
    template <class F>
    auto Guard(F call) -> decltype(call());

    egov::Portal& inner_;
    CircuitBreaker& breaker_;
    Pace pace_;
};

}  // namespace todoke::gateway::pipeline
