// 公文書 (official documents), the outbox of side effects, and the client companies' mailboxes.
#include "sqlite_store.hpp"

namespace todoke::queue::detail {
namespace {

constexpr std::string_view kDocumentSelect =
    "SELECT id, filing_id, arrive_id, notice_sub_id, sha256, title, signer, state, "
    "stored_at, acknowledged_at, company FROM documents";
constexpr std::string_view kMailboxSelect =
    "SELECT m.document_id, m.company, d.title, d.arrive_id, f.procedure, d.sha256, d.signer, "
    "m.filing_id, d.notice_sub_id, m.delivered_at FROM mailbox m JOIN documents d ON d.id = "
    "m.document_id JOIN filings f ON f.id = m.filing_id";

DocumentRecord ReadDocument(const SqliteStatement& q) {
    DocumentRecord d;
    d.id = q.Int64(0);
    d.filing_id = q.Int64(1);
    d.arrive_id = q.Text(2);
    d.notice_sub_id = static_cast<int>(q.Int64(3));
    d.sha256 = q.Text(4);
    d.title = q.Text(5);
    d.signer = q.Text(6);
    d.state = q.Text(7);
    d.stored_at = FromMs(q.Int64(8));
    d.acknowledged_at = FromMs(q.Int64(9));
    d.company = q.Text(10);
    return d;
}

MailboxItem ReadMailbox(const SqliteStatement& q) {
    MailboxItem m;
    m.id = q.Int64(0);
    m.company = q.Text(1);
    m.title = q.Text(2);
    m.arrive_id = q.Text(3);
    m.procedure = q.Text(4);
    m.sha256 = q.Text(5);
    m.signer = q.Text(6);
    m.filing_id = q.Int64(7);
    m.notice_sub_id = static_cast<int>(q.Int64(8));
    m.delivered_at = FromMs(q.Int64(9));
    return m;
}

}  // namespace

Result<std::optional<DocumentRecord>> SqliteStore::FindDocument(const std::string& arrive_id,
                                                                int notice_sub_id) {
    TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare(std::string(kDocumentSelect) +
                                                " WHERE arrive_id = ?1 AND notice_sub_id = ?2"));
    q.Bind(1, arrive_id).Bind(2, std::int64_t{notice_sub_id});
    TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return std::optional<DocumentRecord>();
    return std::optional<DocumentRecord>(ReadDocument(q));
}

Result<DocumentRecord> SqliteStore::AddDocument(Claim& claim, DocumentRecord d) {
    const std::int64_t now = Ms(clock_.Now());
    SqliteDb::Transaction tx(db_);
    TODOKE_RETURN_IF_ERROR(tx.Begin());
    TODOKE_ASSIGN_OR_RETURN(auto held, db_.Prepare("SELECT 1 FROM filings WHERE id = ?1 AND "
                                                   "fence = ?2 AND state = ?3"));
    held.Bind(1, claim.filing.id)
        .Bind(2, claim.filing.fence)
        .Bind(3, StateName(claim.filing.state));
    TODOKE_ASSIGN_OR_RETURN(bool ok, held.Step());
    if (!ok) return Stale(claim.filing.id);
    TODOKE_ASSIGN_OR_RETURN(
        auto insert,
        db_.Prepare("INSERT INTO documents (filing_id, arrive_id, notice_sub_id, sha256, "
                    "title, signer, state, company, stored_at) VALUES (?1, ?2, ?3, ?4, ?5, "
                    "?6, ?7, ?8, ?9) ON CONFLICT (arrive_id, notice_sub_id) DO NOTHING"));
    insert.Bind(1, claim.filing.id)
        .Bind(2, d.arrive_id)
        .Bind(3, std::int64_t{d.notice_sub_id})
        .Bind(4, d.sha256)
        .Bind(5, d.title)
        .Bind(6, d.signer)
        .Bind(7, d.state)
        .Bind(8, claim.filing.company)
        .Bind(9, now);
    TODOKE_RETURN_IF_ERROR(insert.Run());
    if (db_.Changes() == 1 && d.state == "verified") {
        const std::int64_t id = db_.LastInsertRowId();
        TODOKE_RETURN_IF_ERROR(AddOutbox(
            claim.filing.id,
            {"deliver", id, claim.filing.company, "{\"sha256\":\"" + d.sha256 + "\"}"}, now));
    }
    TODOKE_ASSIGN_OR_RETURN(auto found, FindDocument(d.arrive_id, d.notice_sub_id));
    TODOKE_RETURN_IF_ERROR(tx.Commit());
    if (!found) return Fail(ErrorCode::kInternal, "document row vanished", "queue.document");
    return *found;
}

Result<void> SqliteStore::MarkAcknowledged(std::int64_t document_id) {
    TODOKE_ASSIGN_OR_RETURN(
        auto q, db_.Prepare("UPDATE documents SET state = 'acknowledged', acknowledged_at = "
                            "?2 WHERE id = ?1 AND state = 'verified'"));
    return q.Bind(1, document_id).Bind(2, Ms(clock_.Now())).Run();
}

Result<std::vector<OutboxEntry>> SqliteStore::ClaimOutbox(const std::string& worker, int max,
                                                          std::chrono::milliseconds lease) {
    const std::int64_t now = Ms(clock_.Now());
    SqliteDb::Transaction tx(db_);
    TODOKE_RETURN_IF_ERROR(tx.Begin());
    TODOKE_ASSIGN_OR_RETURN(
        auto take,
        db_.Prepare("UPDATE outbox SET fence = fence + 1, lease_owner = ?2, lease_until = ?3 "
                    "WHERE id IN (SELECT id FROM outbox WHERE done_at = 0 AND next_at <= ?1 "
                    "AND lease_until <= ?1 ORDER BY id LIMIT ?4) RETURNING id, kind, "
                    "filing_id, document_id, company, body, fence, failures"));
    take.Bind(1, now).Bind(2, worker).Bind(3, now + lease.count()).Bind(4, std::int64_t{max});
    std::vector<OutboxEntry> out;
    for (;;) {
        TODOKE_ASSIGN_OR_RETURN(bool row, take.Step());
        if (!row) break;
        out.push_back({take.Int64(0), take.Text(1), take.Int64(2), take.Int64(3), take.Text(4),
                       take.Text(5), take.Int64(6), static_cast<int>(take.Int64(7))});
    }
    TODOKE_RETURN_IF_ERROR(tx.Commit());
    return out;
}

Result<void> SqliteStore::CompleteOutbox(const OutboxEntry& e) {
    const std::int64_t now = Ms(clock_.Now());
    SqliteDb::Transaction tx(db_);
    TODOKE_RETURN_IF_ERROR(tx.Begin());
    TODOKE_ASSIGN_OR_RETURN(auto done, db_.Prepare("UPDATE outbox SET done_at = ?3, "
                                                   "lease_owner = '', lease_until = 0 WHERE "
                                                   "id = ?1 AND fence = ?2 AND done_at = 0"));
    done.Bind(1, e.id).Bind(2, e.fence).Bind(3, now);
    TODOKE_RETURN_IF_ERROR(done.Run());
    if (db_.Changes() == 0) {
        return Fail(ErrorCode::kConflict,
                    "outbox entry " + std::to_string(e.id) + " was claimed again since",
                    "queue.stale_claim");
    }
    if (e.kind == "deliver") {
        TODOKE_ASSIGN_OR_RETURN(auto put,
                                db_.Prepare("INSERT INTO mailbox (company, document_id, filing_id, "
                                            "delivered_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
                                            "(company, document_id) DO NOTHING"));
        put.Bind(1, e.company).Bind(2, e.document_id).Bind(3, e.filing_id).Bind(4, now);
        TODOKE_RETURN_IF_ERROR(put.Run());
    }
    return tx.Commit();
}

Result<void> SqliteStore::RetryOutbox(const OutboxEntry& e, const std::string& error,
                                      TimePoint next_at) {
    TODOKE_ASSIGN_OR_RETURN(
        auto q, db_.Prepare("UPDATE outbox SET failures = failures + 1, last_error = ?3, "
                            "next_at = ?4, lease_owner = '', lease_until = 0 WHERE id = ?1 "
                            "AND fence = ?2 AND done_at = 0"));
    return q.Bind(1, e.id).Bind(2, e.fence).Bind(3, error).Bind(4, Ms(next_at)).Run();
}

Result<std::vector<MailboxItem>> SqliteStore::Mailbox(const std::string& company) {
    TODOKE_ASSIGN_OR_RETURN(
        auto q, db_.Prepare(std::string(kMailboxSelect) + " WHERE m.company = ?1 ORDER BY m.id"));
    q.Bind(1, company);
    std::vector<MailboxItem> out;
    for (;;) {
        TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) break;
        out.push_back(ReadMailbox(q));
    }
    return out;
}

Result<std::optional<MailboxItem>> SqliteStore::MailboxDocument(std::int64_t document_id) {
    TODOKE_ASSIGN_OR_RETURN(auto q,
                            db_.Prepare(std::string(kMailboxSelect) + " WHERE m.document_id = ?1"));
    q.Bind(1, document_id);
    TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return std::optional<MailboxItem>();
    return std::optional<MailboxItem>(ReadMailbox(q));
}

}  // namespace todoke::queue::detail
