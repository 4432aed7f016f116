#include "todoke/gateway/pipeline.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <condition_variable>
#include <thread>

#include "todoke/common/runtime.hpp"
#include "worker.hpp"

namespace todoke::gateway {

namespace fs = std::filesystem;
using pipeline::Shared;
using pipeline::Worker;

fs::path StorePath(const fs::path& data_dir) { return data_dir / "todoke.db"; }

namespace pipeline {

RateLimiter::RateLimiter(double per_second)
    : per_second_(per_second),
      tokens_(std::max(per_second, 1.0)),
      last_(std::chrono::steady_clock::now()) {}

void RateLimiter::Acquire() {
    if (per_second_ <= 0) {
        return;  // no budget configured
    }
    for (;;) {
        std::chrono::duration<double> wait{};
        {
            std::lock_guard lock(mu_);
            const auto now = std::chrono::steady_clock::now();
            tokens_ = std::min(
                std::max(per_second_, 1.0),
                tokens_ + std::chrono::duration<double>(now - last_).count() * per_second_);
            last_ = now;
            if (tokens_ >= 1.0) {
                tokens_ -= 1.0;
                return;
            }
            wait = std::chrono::duration<double>((1.0 - tokens_) / per_second_);
        }
        std::this_thread::sleep_for(wait);
    }
}

Shared::Shared(PipelineConfig c, PipelineDeps d, std::size_t senders)
    : config(std::move(c)),
      deps(d),
      vault(config.data_dir, config.data_key),
      limiter(config.portal_calls_per_second),
      breaker(config.breaker, deps.clock, config.maintenance,
              [this](const CircuitBreaker::Snapshot& state, const std::string& why) {
                  BreakerChanged(state, why);
              }),
      portal(deps.portal, breaker, [this] { limiter.Acquire(); }),
      sends(senders, "submit-send") {}

void Shared::BreakerChanged(const CircuitBreaker::Snapshot& state, const std::string& why) {
    Log(state.open ? LogLevel::kWarn : LogLevel::kInfo, why);
    std::lock_guard lock(health_mu);
    if (!health) return;
    queue::PortalHealth h;
    h.portal = "egov";
    h.paused = state.open;
    h.reason = why;
    h.changed_at = deps.clock.Now();
    h.until = state.open ? state.until : TimePoint{};
    h.times_opened = state.times_opened;
    h.process = config.worker_prefix;
    if (auto kept = health->SetPortalHealth(h); !kept) {
        Log(LogLevel::kError, "cannot keep e-Gov's health: " + kept.error().ToString());
    }
}

void Shared::Log(LogLevel level, const std::string& message) const {
    if (deps.log != nullptr) {
        deps.log->Log(level, message);
    }
}

TimePoint Worker::NextPoll(const queue::Filing& f) {
    const auto& config = shared.config;
    const auto pace = config.poll_interval_by_procedure.find(f.procedure);
    const auto interval =
        pace != config.poll_interval_by_procedure.end() ? pace->second : config.poll_interval;
    const double spread = 1.0 + config.poll_jitter * (2.0 * Random() - 1.0);
    const auto wait = std::chrono::milliseconds(
        static_cast<std::int64_t>(static_cast<double>(interval.count()) * spread));
    return config.maintenance.NextOpen(Now() + wait);
}

queue::Transition Worker::RetryLater(const queue::Filing& f, const Error& e,
                                     const std::string& what) {
    queue::Transition t;
    if (IsCircuitOpen(e)) {  // not tried at all: no failure, it waits for the breaker
        t.to = f.state;
        t.next_at = shared.breaker.RetryAt();
        t.failures = queue::FailureCount::kKeep;
        t.reason = what + " not done: " + e.message;
        return t;
    }
    const int failures = f.failures + 1;
    if (shared.config.retry.Exhausted(failures)) {
        t.to = queue::FilingState::kDead;
        t.dead_from = std::string(queue::StateName(f.state));
        t.reason = what + ": retries spent (" + std::to_string(failures) + "): " + e.message;
        t.last_error = e.ToString();
        t.failures = queue::FailureCount::kAdd;
        t.outbox.push_back(queue::FilingEvent(f, "dead", t.reason));
        return t;
    }
    t.to = f.state;
    t.failures = queue::FailureCount::kAdd;
    t.last_error = e.ToString();
    t.reason = what + " failed (try " + std::to_string(failures) + "): " + e.message;
    t.next_at = queue::NextTry(shared.config.retry, shared.config.maintenance, Now(), failures,
                               e.retry_after_seconds, Random());
    return t;
}

bool Worker::KeepLease(std::vector<queue::Claim>& claims, std::size_t i) {
    const auto lease = shared.config.lease;
    if (claims[i].filing.lease_until - Now() > lease / 2) {
        return true;
    }
    // The whole batch: the filings done so far are committed together at its end.
    std::vector<queue::Claim*> all;
    for (auto& c : claims) all.push_back(&c);
    auto held = store->Renew(all, lease);
    if (!held) {
        shared.Log(LogLevel::kError, id + ": renewing leases failed: " + held.error().ToString());
        return false;  // its lease may run out while it is worked on: leave it
    }
    if (!(*held)[i]) {
        shared.Log(LogLevel::kWarn, id + ": filing " + std::to_string(claims[i].filing.id) +
                                        ": claim lost before its turn (lease ran out), left alone");
    }
    return (*held)[i];
}

bool Worker::Commit(queue::Claim& claim, const queue::Transition& t) {
    std::vector<queue::Claim*> one{&claim};
    std::vector<queue::Transition> ts{t};
    return CommitBatch(one, ts).front();
}

std::vector<bool> Worker::CommitBatch(std::vector<queue::Claim*>& claims,
                                      std::vector<queue::Transition>& ts) {
    std::vector<bool> written(claims.size(), false);
    if (claims.empty()) {
        return written;
    }
    std::vector<queue::FilingState> before;
    for (const auto* c : claims) before.push_back(c->filing.state);
    auto results = store->CommitAll(claims, ts);
    if (!results) {
        shared.Log(LogLevel::kError, id + ": commit failed: " + results.error().ToString());
        return written;  // the leases run out and the work is done again
    }
    for (std::size_t i = 0; i < results->size(); ++i) {
        const auto& f = claims[i]->filing;
        written[i] = (*results)[i].has_value();
        if (!(*results)[i]) {
            shared.Log(LogLevel::kWarn, id + ": filing " + std::to_string(f.id) +
                                            ": claim lost, result dropped (" +
                                            (*results)[i].error().message + ")");
        } else if (!ts[i].reason.empty() &&
                   (ts[i].failures == queue::FailureCount::kAdd || ts[i].to != before[i])) {
            shared.Log(ts[i].to == queue::FilingState::kDead ? LogLevel::kWarn : LogLevel::kInfo,
                       "filing " + std::to_string(f.id) + " → " +
                           std::string(queue::StateName(ts[i].to)) + ": " + ts[i].reason);
        }
    }
    return written;
}

void TransitionEach(Worker& w, std::vector<queue::Claim>& claims,
                    const std::function<queue::Transition(queue::Claim&)>& step) {
    std::vector<queue::Claim*> done;
    std::vector<queue::Transition> ts;
    for (std::size_t i = 0; i < claims.size(); ++i) {
        if (w.shared.stopping.load()) {
            (void)w.store->Release(claims[i]);
            continue;
        }
        if (!w.KeepLease(claims, i)) continue;
        ts.push_back(step(claims[i]));
        done.push_back(&claims[i]);
    }
    w.CommitBatch(done, ts);
}

}  // namespace pipeline

struct Pipeline::Impl {
    std::unique_ptr<Shared> shared;
    std::vector<std::thread> threads;
    std::mutex mu;
    std::condition_variable wake;
    std::unique_ptr<Worker> inline_worker;  // RunOnce

    Result<std::unique_ptr<Worker>> MakeWorker(const std::string& name) {
        TODOKE_ASSIGN_OR_RETURN(
            auto store, queue::OpenSqliteStore(StorePath(shared->config.data_dir),
                                               shared->config.data_key, shared->deps.clock));
        const std::string id = shared->config.worker_prefix + "/" + name;
        return std::make_unique<Worker>(
            Worker{*shared, std::move(store), id, std::mt19937_64(std::hash<std::string>{}(id))});
    }

    Result<int> Pass(Worker& w, queue::Stage stage) {
        const auto lease =
            stage == queue::Stage::kSubmit ? shared->config.submit_lease : shared->config.lease;
        int batch = shared->config.batch;
        if (stage != queue::Stage::kPrepare) {  // the stages that call the portal
            switch (shared->breaker.Check()) {
                case pipeline::CircuitBreaker::Gate::kOpen:
                    return 0;  // nothing claimed: the filings keep their retries
                case pipeline::CircuitBreaker::Gate::kProbe:
                    batch = 1;
                    break;
                case pipeline::CircuitBreaker::Gate::kClosed:
                    break;
            }
        }
        TODOKE_ASSIGN_OR_RETURN(auto claims, w.store->ClaimDue(stage, w.id, batch, lease));
        if (claims.empty()) {
            return 0;
        }
        Result<void> done = Ok();
        switch (stage) {
            case queue::Stage::kPrepare:
                done = pipeline::Prepare(w, claims);
                break;
            case queue::Stage::kSubmit:
                done = pipeline::Submit(w, claims);
                break;
            case queue::Stage::kReconcile:
                done = pipeline::Reconcile(w, claims);
                break;
            case queue::Stage::kTrack:
                done = pipeline::Track(w, claims);
                break;
            case queue::Stage::kCollect:
                done = pipeline::Collect(w, claims);
                break;
        }
        TODOKE_RETURN_IF_ERROR(done);
        return static_cast<int>(claims.size());
    }

    void Loop(std::unique_ptr<Worker> w, std::optional<queue::Stage> stage) {
        while (!shared->stopping.load()) {
            Result<int> n = stage ? Pass(*w, *stage) : pipeline::Deliver(*w, shared->config.batch);
            if (!n) {
                shared->Log(LogLevel::kError, w->id + ": " + n.error().ToString());
            }
            if (!n || *n == 0) {
                std::unique_lock lock(mu);
                wake.wait_for(lock, shared->config.idle,
                              [this] { return shared->stopping.load(); });
            }
        }
    }
};

Pipeline::Pipeline(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pipeline::~Pipeline() { Stop(); }

Result<std::unique_ptr<Pipeline>> Pipeline::Create(PipelineConfig config, PipelineDeps deps) {
    std::error_code ec;
    fs::create_directories(config.data_dir, ec);
    if (ec) {
        return Fail(ErrorCode::kUnavailable,
                    "cannot make " + config.data_dir.string() + ": " + ec.message(), "data_dir");
    }
    if (config.worker_prefix.empty()) {
        config.worker_prefix = "todoke";
    }
    auto impl = std::make_unique<Impl>();
    // Every package a submit worker's claim holds may be in flight at once.
    const auto senders = static_cast<std::size_t>(std::max(1, config.workers.submit)) *
                         static_cast<std::size_t>(std::max(1, config.batch));
    impl->shared = std::make_unique<Shared>(std::move(config), deps, senders);
    // Opening once applies the migrations and checks the key before any thread starts.
    TODOKE_ASSIGN_OR_RETURN(impl->inline_worker, impl->MakeWorker("inline"));
    TODOKE_ASSIGN_OR_RETURN(
        impl->shared->health,
        queue::OpenSqliteStore(StorePath(impl->shared->config.data_dir),
                               impl->shared->config.data_key, impl->shared->deps.clock));
    return std::unique_ptr<Pipeline>(new Pipeline(std::move(impl)));
}

void Pipeline::Start() {
    Impl& m = *impl_;
    // A pause kept by a process that died (kill -9, a crash) ended with it; this one starts
    // with its breaker closed.
    if (auto kept = m.shared->health->GetPortalHealth("egov"); kept && *kept && (*kept)->paused) {
        m.shared->BreakerChanged(
            m.shared->breaker.State(),
            "todoke serve started; the pause kept by " + (*kept)->process + " ended with it");
    }
    const StageWorkers& n = m.shared->config.workers;
    const std::pair<std::optional<queue::Stage>, int> pools[] = {
        {queue::Stage::kPrepare, n.prepare},     {queue::Stage::kSubmit, n.submit},
        {queue::Stage::kReconcile, n.reconcile}, {queue::Stage::kTrack, n.track},
        {queue::Stage::kCollect, n.collect},     {std::nullopt, n.deliver}};
    for (const auto& [stage, count] : pools) {
        for (int i = 0; i < count; ++i) {
            const std::string name =
                std::string(stage ? queue::StageName(*stage) : "deliver") + "/" + std::to_string(i);
            auto w = m.MakeWorker(name);
            if (!w) {
                m.shared->Log(LogLevel::kError, name + ": " + w.error().ToString());
                continue;
            }
            m.threads.emplace_back([&m, stage, name, w = std::move(*w)]() mutable {
                NameThisThread(name);
                m.Loop(std::move(w), stage);
            });
        }
    }
}

void Pipeline::Stop() {
    if (!impl_) {
        return;
    }
    bool stopped_before = false;
    {
        std::lock_guard lock(impl_->mu);
        stopped_before = impl_->shared->stopping.exchange(true);
    }
    impl_->wake.notify_all();
    for (auto& t : impl_->threads) {
        t.join();
    }
    impl_->threads.clear();
    // A pause said in the store would outlive this process: say that it ended with it.
    Shared& shared = *impl_->shared;
    if (const auto state = shared.breaker.State(); state.open && !stopped_before) {
        auto closed = state;
        closed.open = false;
        shared.BreakerChanged(closed, "the pipeline stopped while e-Gov was paused");
    }
}

Result<int> Pipeline::RunOnce(queue::Stage stage) {
    return impl_->Pass(*impl_->inline_worker, stage);
}

Result<int> Pipeline::RunDeliverOnce() {
    return pipeline::Deliver(*impl_->inline_worker, impl_->shared->config.batch);
}

}  // namespace todoke::gateway
