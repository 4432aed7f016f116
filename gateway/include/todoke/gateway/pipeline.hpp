// The pipeline (DESIGN.md "The flow of one filing"): worker pools per stage that claim filings
// from the store, do one step each and commit its result, fenced by the claim.
//
//   prepare    received → prepared (validated, rendered, signed; the package sealed in the
//              store) | invalid (every field error kept)
//   submit     prepared → submitting (committed before the first byte) → arrived | rejected |
//              unknown (no answer: the case may exist)
//   reconcile  unknown, and submitting whose worker died → arrived (the case was found) |
//              prepared (the portal provably has none: send again) | dead (ambiguous)
//   track      arrived / under_review → under_review | amendment_requested (補正 notice) |
//              review_done (公文書 issued) | completed; polled at the configured pace
//   collect    review_done → completed: download, verify the 官職 signature, store sealed and
//              content-addressed, record with its delivery (outbox) in one transaction, then
//              取得完了; a document that fails verification is quarantined and never delivered
//   deliver    the outbox: documents into the company's mailbox, events to events.jsonl
//
// Transport failures back off (queue/retry.hpp) and honour Retry-After and maintenance
// windows; every portal call takes a token from one rate budget and passes a circuit breaker
// that pauses the portal stages while the portal gives no answer. Stop() lets each worker finish
// the filing in hand and releases the rest of its claims.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>

#include "todoke/common/clock.hpp"
#include "todoke/common/log.hpp"
#include "todoke/common/result.hpp"
#include "todoke/egov/portal.hpp"
#include "todoke/forms/catalogue.hpp"
#include "todoke/queue/retry.hpp"
#include "todoke/queue/store.hpp"
#include "todoke/signing/key_store.hpp"
#include "todoke/signing/trust_store.hpp"

namespace todoke::gateway {

struct StageWorkers {
    int prepare = 1, submit = 2, reconcile = 1, track = 1, collect = 1, deliver = 1;
};

// The portal's circuit breaker (src/pipeline/breaker.hpp): after `failures` calls in a row that
// got no answer, portal calls pause for `open_for`; then one call probes, and each failed probe
// doubles the pause up to `open_cap`. The filings wait without spending their retries.
struct BreakerPolicy {
    int failures = 5;
    std::chrono::milliseconds open_for{30000};
    std::chrono::milliseconds open_cap{10 * 60000};
};

struct PipelineConfig {
    std::filesystem::path data_dir;  // todoke.db, documents/, quarantine/, events.jsonl
    std::string data_key;            // 32 bytes: seals records, packages and documents
    StageWorkers workers;
    int batch = 16;  // filings per claim
    // A claim of the other stages: at least twice the e-Gov client's timeout, since a batch renews
    // its leases between portal calls (docs/pipeline.md).
    std::chrono::milliseconds lease{120000};
    // Held while a package is being sent: longer than the client's timeout, so that a slow
    // answer is not taken for a dead worker.
    std::chrono::milliseconds submit_lease{120000};
    // How long after the send an unknown filing waits before it may conclude "not arrived".
    std::chrono::milliseconds reconcile_after{60000};
    std::chrono::milliseconds poll_interval{600000};  // track: how often to ask about a case
    // The pace of a procedure whose cases move slower or faster (catalogue id -> interval;
    // egov-api.md §15: statuses move over hours to weeks). Others use poll_interval.
    std::map<std::string, std::chrono::milliseconds, std::less<>> poll_interval_by_procedure;
    // Each wait is spread by up to ± this fraction, so cases sent together are not all asked
    // about in the same second.
    double poll_jitter = 0.1;
    std::chrono::milliseconds idle{250};  // a worker's sleep when nothing is due
    double portal_calls_per_second = 20;  // the rate budget for the whole pipeline
    queue::RetryPolicy retry;
    queue::MaintenanceCalendar maintenance;
    BreakerPolicy breaker;
    std::string worker_prefix;  // e.g. "host/pid"; each worker adds "/stage/n"
};

struct PipelineDeps {
    const Clock& clock;
    egov::Portal& portal;  // thread-safe
    const forms::Catalogue& catalogue;
    std::span<const signing::SigningKey> keys;
    const signing::TrustStore& government_ca;  // 公文書 signers
    Logger* log = nullptr;                     // ids, states and reasons; never personal data
};

class Pipeline {
  public:
    static Result<std::unique_ptr<Pipeline>> Create(PipelineConfig config, PipelineDeps deps);
    ~Pipeline();
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    void Start();
    void Stop();  // graceful; also done by the destructor

    // One pass of one stage over what is due, in the calling thread (tests, bench): the number
    // of filings (outbox entries for deliver) handled.
    Result<int> RunOnce(queue::Stage stage);
    Result<int> RunDeliverOnce();

    struct Impl;

  private:
    explicit Pipeline(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The store file inside a data folder.
std::filesystem::path StorePath(const std::filesystem::path& data_dir);

}  // namespace todoke::gateway
