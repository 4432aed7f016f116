// A filing as the store keeps it: its state in the flow of DESIGN.md, the fencing token of its
// current claim, its retry bookkeeping and the portal's ids. Personal data (the record, the
// signed package) is sealed at rest and read only through the store.
//
//   received ─► prepared ─► submitting ─► arrived ─► under_review ─► review_done ─► completed
//      │                        │  ▲                    │    ▲
//      ▼                        ▼  │                    ▼    │
//   invalid                  unknown ─reconcile─►  amendment_requested ─(correction)─► received
//   rejected (the portal refused it), withdrawn, dead (retry budget spent; replay restarts),
//   cancelled (by an operator before anything was sent)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "todoke/common/clock.hpp"

namespace todoke::queue {

enum class FilingState {
    kReceived,            // accepted, not yet validated and packaged
    kPrepared,            // signed package stored, ready to send
    kSubmitting,          // committed before the first byte goes out
    kUnknown,             // the send may or may not have arrived: reconcile first
    kArrived,             // 到達: the portal gave an arrive_id
    kUnderReview,         // 審査中
    kAmendmentRequested,  // 補正: waiting for a corrected record
    kReviewDone,          // 審査終了: official documents to collect
    kWithdrawRequested,   // 取下げ asked for: the 取下げ依頼 is still to be sent
    kWithdrawing,  // 到達（取下げ処理中）: the portal has the 取下げ依頼, not yet decided
    kCompleted,  // documents collected (or none were issued) and the case ended
    kInvalid,    // the record failed validation (field errors kept)
    kRejected,   // the portal refused the package (rows kept)
    kWithdrawn,  // 取下げ sent and accepted
    kDead,       // retries spent or an operator must look; replay restarts it
    kCancelled,  // an operator cancelled it before anything was sent
};

std::string_view StateName(FilingState state);
std::optional<FilingState> ParseState(std::string_view name);
// No worker moves a filing out of these (replay moves a dead one back).
bool IsFinal(FilingState state);
inline constexpr int kStateCount = 16;

// What the next application of a filing is (申請種別).
enum class ApplyKind { kNew, kResubmit, kAmend };
std::string_view ApplyKindName(ApplyKind kind);
std::optional<ApplyKind> ParseApplyKind(std::string_view name);

struct Filing {
    std::int64_t id = 0;
    std::string tenant, idempotency_key, fingerprint;  // fingerprint: SHA-256 of the record
    std::string company, company_name;                 // the client company (its mailbox)
    std::string procedure;                             // catalogue id, e.g. "kenpo_shutoku"
    std::string proc_id, proc_name, applicant_name, corporation_name;  // set by prepare
    FilingState state = FilingState::kReceived;
    std::int64_t fence = 0;  // fencing token: raised by every claim
    int failures = 0;        // consecutive retryable failures in the current state
    TimePoint next_at, created_at, updated_at, sent_at;
    std::string lease_owner;
    TimePoint lease_until;
    std::string last_error;
    std::string errors_json;  // field errors (invalid) or the portal's rows (rejected)
    std::string arrive_id, arrive_date, send_number;
    std::string payload_sha256;
    ApplyKind apply_kind = ApplyKind::kNew;
    std::string first_arrive_id;  // 初回受付番号 of a resubmission or amendment
    std::string notice_json;      // the 補正 notice, while amendment_requested
    std::string dead_from;        // the state a dead filing died in
    std::string withdraw_reason;  // 理由 of the 取下げ依頼, once one was asked for
    // The case an operator named as this filing's when reconciliation could not tell
    // (Store::Settle); the next reconciliation checks it against the portal's list.
    std::string settled_case;
};

struct NewFiling {
    std::string tenant = "default";
    std::string idempotency_key;
    std::string company, company_name, procedure;
    std::string record_json;  // sealed by the store
    // Filings found invalid at intake are stored as invalid with their errors (nothing lost).
    std::string errors_json;
};

struct Enqueued {
    std::int64_t id = 0;
    bool created = false;  // false: the key was known with the same record
    FilingState state = FilingState::kReceived;
};

struct HistoryEntry {
    TimePoint at;
    std::string from, to, actor, reason;
};

// A claim on a filing: the snapshot at claim time with the new fence. Every write made under
// the claim checks the fence and the state it expects; a stale holder writes nothing.
struct Claim {
    Filing filing;
    std::string worker;
};

struct OutboxItem {
    std::string kind;  // "deliver" (a document to a mailbox) or "notify" (an event)
    std::int64_t document_id = 0;
    std::string company;
    std::string body_json;
};

// A "notify" event about a filing, for the company's partner (docs/pipeline.md "deliver"): a
// JSON object {filing, key, tenant, company, event, detail, arrive_id}. The pipeline's workers
// and an operator's changes write it with the state change that causes it.
OutboxItem FilingEvent(const Filing& f, std::string_view event, std::string_view detail);

// An official document (公文書) stored in the vault and verified, written together with the
// state change and its delivery.
struct DocumentRecord {
    std::int64_t id = 0;
    std::int64_t filing_id = 0;
    std::string arrive_id;
    int notice_sub_id = 0;
    std::string sha256, title, signer;
    std::string state;  // "verified", "acknowledged", "quarantined"
    TimePoint stored_at, acknowledged_at;
    std::string company;
};

// What a transition does to a filing's count of failures in a row (the retry budget).
enum class FailureCount {
    kReset = 0,  // anything but a failure starts the count again
    kAdd = 1,    // a failed try
    kKeep = 2,   // no try happened (the circuit breaker kept it back)
};

// One state change (or, with `to` equal to the current state, a reschedule) under a claim.
struct Transition {
    FilingState to = FilingState::kReceived;
    std::string reason;
    std::string actor = "worker";
    TimePoint next_at{};      // when the filing is due again (default: now)
    bool keep_lease = false;  // the claim goes on (submitting before the send)
    FailureCount failures = FailureCount::kReset;
    std::optional<std::string> last_error;
    std::optional<std::string> errors_json;
    std::optional<std::string> payload;  // the signed package (sealed by the store)
    std::optional<std::string> proc_id, proc_name, applicant_name, corporation_name;
    std::optional<TimePoint> sent_at;
    std::optional<std::string> arrive_id, arrive_date, send_number;
    std::optional<std::string> notice_json;
    std::optional<std::string> dead_from;
    std::optional<std::string> settled_case;
    std::vector<OutboxItem> outbox;
};

struct OutboxEntry {
    std::int64_t id = 0;
    std::string kind;
    std::int64_t filing_id = 0, document_id = 0;
    std::string company, body_json;
    std::int64_t fence = 0;
    int failures = 0;
};

struct MailboxItem {
    std::int64_t id = 0;  // the document id
    std::string company, title, arrive_id, procedure, sha256, signer;
    std::int64_t filing_id = 0;
    int notice_sub_id = 0;
    TimePoint delivered_at;
};

}  // namespace todoke::queue
