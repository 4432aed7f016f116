// The SQLite backend of the store (security-and-reliability.md §4.3): WAL + synchronous=FULL
// (common/sqlite.hpp), BEGIN IMMEDIATE for every claim and commit, times as milliseconds since
// the epoch (UTC), schema versions in PRAGMA user_version. Internal to queue/.
//
// One class, defined in four files by responsibility:
//   sqlite_store.cpp      opening (migrations, the key canary), intake and reading filings
//   sqlite_claims.cpp     the workers' claims: leases, fenced commits, release
//   sqlite_documents.cpp  公文書, the outbox and the mailboxes
//   sqlite_operator.cpp   an operator's changes: replay, correction, 取下げ, cancel, settle
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "sqlite_schema.hpp"
#include "todoke/common/sqlite.hpp"
#include "todoke/queue/store.hpp"

namespace todoke::queue::detail {

// A commit refused because another worker claimed the filing since.
Unexpected Stale(std::int64_t id);

// The associated data that binds a sealed record to its filing, and a sealed package to its.
std::string RecordAad(const std::string& tenant, const std::string& key);
std::string PayloadAad(std::int64_t id);

// What an operator's change writes besides the state: a corrected record (sent as `kind`),
// the reason of a 取下げ, the case Settle names (every other change forgets one named before).
struct OperatorChange {
    std::optional<std::string> record;
    ApplyKind kind = ApplyKind::kNew;
    std::optional<std::string> withdraw_reason;
    std::string settled_case;
};

class SqliteStore final : public Store {
  public:
    SqliteStore(SqliteDb db, std::string key, const Clock& clock)
        : db_(std::move(db)), key_(std::move(key)), clock_(clock) {}

    // Each step re-reads the version inside its transaction, so that two processes opening a
    // new store at once do not both apply a migration.
    Result<void> Migrate();

    // Intake and reading (sqlite_store.cpp).
    Result<Enqueued> Enqueue(const NewFiling& n, std::string_view actor) override;
    Result<std::optional<Filing>> Find(std::int64_t id) override;
    Result<std::optional<Filing>> FindByKey(const std::string& tenant,
                                            const std::string& key) override;
    Result<std::vector<Filing>> List(const ListQuery& query) override;
    Result<std::vector<HistoryEntry>> History(std::int64_t id) override;
    Result<StoreCounts> Counts() override;
    Result<std::string> ReadRecord(std::int64_t id) override;
    Result<std::string> ReadPayload(std::int64_t id) override;
    Result<std::optional<std::int64_t>> CaseOwner(const std::string& arrive_id) override;
    Result<void> SetPortalHealth(const PortalHealth& health) override;
    Result<std::optional<PortalHealth>> GetPortalHealth(const std::string& portal) override;

    // Claims (sqlite_claims.cpp).
    Result<std::vector<Claim>> ClaimDue(Stage stage, const std::string& worker, int max,
                                        std::chrono::milliseconds lease) override;
    Result<std::vector<Result<void>>> CommitAll(std::span<Claim* const> claims,
                                                std::span<const Transition> ts) override;
    Result<void> Release(Claim& claim) override;
    Result<std::vector<bool>> Renew(std::span<Claim* const> claims,
                                    std::chrono::milliseconds lease) override;

    // Documents, outbox, mailboxes (sqlite_documents.cpp).
    Result<std::optional<DocumentRecord>> FindDocument(const std::string& arrive_id,
                                                       int notice_sub_id) override;
    Result<DocumentRecord> AddDocument(Claim& claim, DocumentRecord d) override;
    Result<void> MarkAcknowledged(std::int64_t document_id) override;
    Result<std::vector<OutboxEntry>> ClaimOutbox(const std::string& worker, int max,
                                                 std::chrono::milliseconds lease) override;
    Result<void> CompleteOutbox(const OutboxEntry& e) override;
    Result<void> RetryOutbox(const OutboxEntry& e, const std::string& error,
                             TimePoint next_at) override;
    Result<std::vector<MailboxItem>> Mailbox(const std::string& company) override;
    Result<std::optional<MailboxItem>> MailboxDocument(std::int64_t document_id) override;

    // An operator's changes (sqlite_operator.cpp).
    Result<Filing> Replay(std::int64_t id, std::string_view actor) override;
    Result<Filing> SupplyCorrection(std::int64_t id, const std::string& record_json, ApplyKind kind,
                                    std::string_view actor) override;
    Result<Filing> RequestWithdrawal(std::int64_t id, const std::string& reason,
                                     std::string_view actor) override;
    Result<Filing> Cancel(std::int64_t id, const std::string& reason,
                          std::string_view actor) override;
    Result<Filing> Settle(std::int64_t id, const std::optional<std::string>& arrive_id,
                          std::string_view actor) override;

  private:
    // A sealed canary tells at open whether the key is the one the data was sealed with.
    Result<void> CheckKey();

    Result<void> AddHistory(std::int64_t id, std::int64_t at, std::string_view from,
                            std::string_view to, std::string_view actor, std::string_view reason);
    // Queues a side effect of filing `id`, inside the caller's transaction.
    Result<void> AddOutbox(std::int64_t id, const OutboxItem& o, std::int64_t at);

    // An operator's change: decided from the current row, fence raised (any holder is stale),
    // and `event` queued for the company's partner with the reason as its detail.
    template <class Decide>
    Result<Filing> Operator(std::int64_t id, std::string_view actor, std::string_view event,
                            Decide decide, std::string_view reason,
                            const OperatorChange& change = {});

    SqliteDb db_;
    std::string key_;
    const Clock& clock_;
};

}  // namespace todoke::queue::detail
