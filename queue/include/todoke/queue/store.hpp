// The durable store and job queue (DESIGN.md "The flow of one filing",
// security-and-reliability.md §4–§5). One Store object is one connection: give each worker
// thread its own (OpenSqliteStore again on the same file); the database serialises writers.
//
// Guarantees:
// - Enqueue is atomic and idempotent per (tenant, key): the same key with the same record
//   returns the same filing forever; with another record it fails kConflict.
// - A claim raises the filing's fence. Every write under a claim is
//   `UPDATE … WHERE id = ? AND fence = ? AND state = ?`; when another worker claimed the filing
//   since (an expired lease), the write changes nothing and fails kConflict (field
//   "queue.stale_claim").
// - `submitting` is never claimed again as "ready to send": once its lease ran out it is
//   handed to reconciliation (Stage::kReconcile), never resent blindly.
// - Side effects (delivery to a mailbox, notifications) are outbox rows written in the same
//   transaction as the state change that causes them; a delivery and its outbox completion
//   commit together, and a mailbox holds a document at most once.
// - The record and the signed package are sealed with AES-256-GCM (common/seal.hpp) under a
//   key the caller passes in (configuration, never beside the data), bound to the filing id.
#pragma once

#include <array>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"
#include "todoke/queue/filing.hpp"

namespace todoke::queue {

// The work a worker pool claims.
enum class Stage {
    kPrepare,    // received
    kSubmit,     // prepared, one per reconciliation key at a time (see ClaimDue)
    kReconcile,  // unknown, and submitting whose lease ran out
    kTrack,      // arrived, under_review, withdraw_requested, withdrawing
    kCollect,    // review_done
};
std::string_view StageName(Stage stage);

struct ListQuery {
    std::optional<FilingState> state;
    std::string tenant;  // empty: all
    std::int64_t after_id = 0;
    int limit = 100;
};

struct StoreCounts {
    std::array<std::int64_t, kStateCount> by_state{};
    std::int64_t outbox_pending = 0;
    std::int64_t documents = 0, delivered = 0, quarantined = 0;
    std::int64_t total() const;
    std::int64_t final() const;  // filings in a final state
};

// What `todoke serve` last said of a portal's health (its circuit breaker), so that an
// operator's `todoke status` can tell why nothing moves: kept in the store at each opening and
// closing of the breaker.
struct PortalHealth {
    std::string portal;   // "egov"
    bool paused = false;  // the breaker is open: the portal stages wait
    std::string reason;   // what the breaker said at the change
    TimePoint changed_at{};
    TimePoint until{};  // while paused: when one call probes the portal
    std::int64_t times_opened = 0;
    std::string process;  // the serve that said it (host/pid)
};

class Store {
  public:
    virtual ~Store() = default;

    // -- intake
    virtual Result<Enqueued> Enqueue(const NewFiling& filing, std::string_view actor) = 0;

    // -- reading
    virtual Result<std::optional<Filing>> Find(std::int64_t id) = 0;
    virtual Result<std::optional<Filing>> FindByKey(const std::string& tenant,
                                                    const std::string& key) = 0;
    virtual Result<std::vector<Filing>> List(const ListQuery& query) = 0;
    virtual Result<std::vector<HistoryEntry>> History(std::int64_t id) = 0;
    virtual Result<StoreCounts> Counts() = 0;
    virtual Result<std::string> ReadRecord(std::int64_t id) = 0;   // the record JSON
    virtual Result<std::string> ReadPayload(std::int64_t id) = 0;  // the signed package
    // The filing that owns a portal case (arrive_id), if any.
    virtual Result<std::optional<std::int64_t>> CaseOwner(const std::string& arrive_id) = 0;

    // -- work
    // Up to `max` due filings of the stage, each with a lease of `lease` and a raised fence.
    // kSubmit skips a filing while another filing with the same reconciliation key (procedure,
    // corporation, applicant) is being sent or is unknown: reconciliation can then tell the
    // cases of one key apart by time alone (security-and-reliability.md §5).
    virtual Result<std::vector<Claim>> ClaimDue(Stage stage, const std::string& worker, int max,
                                                std::chrono::milliseconds lease) = 0;
    // Applies each transition under its claim in one transaction; per item: ok, or kConflict
    // "queue.stale_claim" when the claim was lost (nothing of that item is written). On success
    // the claim's snapshot follows the new state.
    virtual Result<std::vector<Result<void>>> CommitAll(
        std::span<Claim* const> claims, std::span<const Transition> transitions) = 0;
    Result<void> Commit(Claim& claim, const Transition& transition);
    // Ends the lease without another change (graceful shutdown); the filing is due at once.
    virtual Result<void> Release(Claim& claim) = 0;
    // The heartbeat of a long batch: the leases of `claims` still held (fence and state as
    // claimed; an expired lease no other worker took is still held) run until now + `lease`,
    // in one transaction. Per claim whether it is still held; a lost one is left as it is.
    virtual Result<std::vector<bool>> Renew(std::span<Claim* const> claims,
                                            std::chrono::milliseconds lease) = 0;

    // -- the portals' health (PortalHealth)
    virtual Result<void> SetPortalHealth(const PortalHealth& health) = 0;
    virtual Result<std::optional<PortalHealth>> GetPortalHealth(const std::string& portal) = 0;

    // -- official documents
    virtual Result<std::optional<DocumentRecord>> FindDocument(const std::string& arrive_id,
                                                               int notice_sub_id) = 0;
    // Records a document stored in the vault, under the claim (fenced). A verified document
    // also gets its "deliver" outbox row in the same transaction. Known (arrive_id,
    // notice_sub_id): the existing row is returned unchanged.
    virtual Result<DocumentRecord> AddDocument(Claim& claim, DocumentRecord document) = 0;
    virtual Result<void> MarkAcknowledged(std::int64_t document_id) = 0;

    // -- the outbox
    virtual Result<std::vector<OutboxEntry>> ClaimOutbox(const std::string& worker, int max,
                                                         std::chrono::milliseconds lease) = 0;
    // Done: a "deliver" entry puts its document into the company's mailbox in the same
    // transaction (at most once per mailbox). Fenced like filings.
    virtual Result<void> CompleteOutbox(const OutboxEntry& entry) = 0;
    virtual Result<void> RetryOutbox(const OutboxEntry& entry, const std::string& error,
                                     TimePoint next_at) = 0;

    // -- mailboxes
    virtual Result<std::vector<MailboxItem>> Mailbox(const std::string& company) = 0;
    virtual Result<std::optional<MailboxItem>> MailboxDocument(std::int64_t document_id) = 0;

    // -- operators
    // A dead filing goes back to where it died; one that died being sent goes to
    // reconciliation (unknown), never straight to a resend. Failures reset, same key.
    virtual Result<Filing> Replay(std::int64_t id, std::string_view actor) = 0;
    // A corrected record for a filing waiting for 補正: sealed, and the filing goes back to
    // received to be prepared as a 部分補正 (kAmend) or 再提出 (kResubmit) of its case.
    virtual Result<Filing> SupplyCorrection(std::int64_t id, const std::string& record_json,
                                            ApplyKind kind, std::string_view actor) = 0;
    // 取下げ of a case that arrived and is not decided (arrived, under_review,
    // amendment_requested): the filing becomes withdraw_requested with the reason, fence raised;
    // a track worker sends the 取下げ依頼 (looking at the case first, so never twice).
    virtual Result<Filing> RequestWithdrawal(std::int64_t id, const std::string& reason,
                                             std::string_view actor) = 0;
    // Cancels a filing nothing of which was sent: received, prepared, or dead in either. Fence
    // raised, so a worker that claimed it to send it writes `submitting` over nothing and sends
    // nothing. The reason goes into the history. kConflict (filing.state) otherwise: a send
    // that may have arrived is settled or reconciled, an arrived case is withdrawn (取下げ).
    virtual Result<Filing> Cancel(std::int64_t id, const std::string& reason,
                                  std::string_view actor) = 0;
    // An operator settles a send that may or may not have arrived (unknown, or dead in
    // reconciliation, e.g. several unclaimed cases matched). With `arrive_id` (the portal's id
    // of a case no other filing owns) the filing goes back to unknown with that case named:
    // the next reconciliation takes it only if the portal lists it among the filing's
    // unclaimed matching cases, else the filing is dead again with the reason. Without, the
    // operator has found that the portal has none of its cases: the filing goes to prepared
    // and is sent again. kConflict (filing.state) from any other state and for a 部分補正
    // (reconciled by its case's status); kConflict (queue.case_owner) for a case another
    // filing owns; kInvalidArgument (settle.case) for an id that is not 1–64 ASCII letters,
    // digits or hyphens (each portal's exact shape is checked by its adapter's callers).
    virtual Result<Filing> Settle(std::int64_t id, const std::optional<std::string>& arrive_id,
                                  std::string_view actor) = 0;
};

// The SQLite backend: WAL, synchronous=FULL, migrations applied at open (schema version in
// PRAGMA user_version). `key` is the 32-byte sealing key.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::filesystem::path& path, std::string key,
                                               const Clock& clock);

}  // namespace todoke::queue
