// What the stages of the pipeline share: the configuration and dependencies (read-only), the
// vault, the portal's rate budget and circuit breaker; and per worker thread its own store
// connection, id and random source.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "breaker.hpp"
#include "task_pool.hpp"
#include "todoke/gateway/pipeline.hpp"
#include "todoke/queue/vault.hpp"

namespace todoke::gateway::pipeline {

// A token bucket on the steady clock: Acquire() waits until a call may go out.
class RateLimiter {
  public:
    explicit RateLimiter(double per_second);
    void Acquire();

  private:
    std::mutex mu_;
    double per_second_;
    double tokens_;
    std::chrono::steady_clock::time_point last_;
};

struct Shared {
    // `senders`: the submit stage's sends that may be in flight at once.
    Shared(PipelineConfig c, PipelineDeps d, std::size_t senders);

    PipelineConfig config;
    PipelineDeps deps;
    queue::DocumentVault vault;
    RateLimiter limiter;
    CircuitBreaker breaker;
    GuardedPortal portal;  // deps.portal paced by `limiter`, through `breaker`
    TaskPool sends;        // the submit stage's sends side by side
    // Where the breaker's changes are kept for `todoke status` (PortalHealth); its own
    // connection, since the breaker changes in whichever worker's call.
    std::mutex health_mu;
    std::unique_ptr<queue::Store> health;
    std::mutex events_mu;
    std::atomic<bool> stopping{false};

    void Log(LogLevel level, const std::string& message) const;
    // Logs a change of the breaker and keeps it in the store.
    void BreakerChanged(const CircuitBreaker::Snapshot& state, const std::string& why);
};

struct Worker {
    Shared& shared;
    std::unique_ptr<queue::Store> store;
    std::string id;
    std::mt19937_64 rng;

    TimePoint Now() const { return shared.deps.clock.Now(); }
    double Random() { return std::uniform_real_distribution<double>(0, 1)(rng); }
    egov::Portal& Portal() { return shared.portal; }
    // The same state again after a retryable failure, backed off; dead once the budget is spent.
    // A call the open circuit breaker kept back is no failure of the filing: it waits for the
    // breaker, its budget untouched.
    queue::Transition RetryLater(const queue::Filing& f, const Error& e, const std::string& what);
    // When to ask the portal about the filing's case next: its procedure's pace, jittered, out
    // of maintenance windows.
    TimePoint NextPoll(const queue::Filing& f);
    // The heartbeat of a batch, at the start of filing `i`: when less than half of its lease
    // is left, the leases of the whole batch are renewed (Store::Renew; its results are
    // committed together at the end). False when filing i's claim was lost (its lease ran out
    // and another worker has it): it must be left alone.
    bool KeepLease(std::vector<queue::Claim>& claims, std::size_t i);
    // Commits and logs a stale claim (another worker has the filing now); true when written.
    bool Commit(queue::Claim& claim, const queue::Transition& t);
    // Per item: whether it was written.
    std::vector<bool> CommitBatch(std::vector<queue::Claim*>& claims,
                                  std::vector<queue::Transition>& ts);
};

// The common shape of a stage: one transition per claim, committed together; claims not
// started when the pipeline stops are released.
void TransitionEach(Worker& w, std::vector<queue::Claim>& claims,
                    const std::function<queue::Transition(queue::Claim&)>& step);

// The stages: each handles the claims it was given and commits every result.
Result<void> Prepare(Worker& w, std::vector<queue::Claim>& claims);
Result<void> Submit(Worker& w, std::vector<queue::Claim>& claims);
Result<void> Reconcile(Worker& w, std::vector<queue::Claim>& claims);
Result<void> Track(Worker& w, std::vector<queue::Claim>& claims);
Result<void> Collect(Worker& w, std::vector<queue::Claim>& claims);
Result<int> Deliver(Worker& w, int max);

}  // namespace todoke::gateway::pipeline
