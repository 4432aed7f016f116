// Opening the SQLite store (migrations, the key canary), intake of filings and reading them
// (sqlite_store.hpp says where the rest of the class is).
#include "sqlite_store.hpp"

#include <boost/json.hpp>

#include "todoke/common/digest.hpp"
#include "todoke/common/seal.hpp"

namespace todoke::queue {
namespace detail {

Unexpected Stale(std::int64_t id) {
    return Fail(ErrorCode::kConflict,
                "filing " + std::to_string(id) + " was claimed by another worker since",
                "queue.stale_claim");
}

std::string RecordAad(const std::string& tenant, const std::string& key) {
    return "filing-record:" + tenant + "/" + key;
}
std::string PayloadAad(std::int64_t id) { return "filing-payload:" + std::to_string(id); }

Result<void> SqliteStore::Migrate() {
    const auto latest = static_cast<std::int64_t>(std::size(kMigrations));
    for (;;) {
        SqliteDb::Transaction tx(db_);
        TODOKE_RETURN_IF_ERROR(tx.Begin());
        TODOKE_ASSIGN_OR_RETURN(auto v, db_.Prepare("PRAGMA user_version"));
        TODOKE_ASSIGN_OR_RETURN(bool row, v.Step());
        const std::int64_t have = row ? v.Int64(0) : 0;
        if (have > latest) {
            return Fail(ErrorCode::kInternal,
                        "the store has schema version " + std::to_string(have) +
                            ", newer than this todoke knows (" + std::to_string(latest) + ")",
                        "queue.schema");
        }
        if (have == latest) {
            break;
        }
        TODOKE_RETURN_IF_ERROR(db_.Exec(kMigrations[have]));
        TODOKE_RETURN_IF_ERROR(db_.Exec("PRAGMA user_version = " + std::to_string(have + 1)));
        TODOKE_RETURN_IF_ERROR(tx.Commit());
    }
    return CheckKey();
}

Result<void> SqliteStore::CheckKey() {
    TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare("SELECT value FROM meta WHERE name = 'canary'"));
    TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (row) {
        if (!Unseal(key_, q.Text(0), "store.canary")) {
            return Fail(ErrorCode::kPermissionDenied,
                        "the data key does not open this store (a different key?)", "queue.key");
        }
        return Ok();
    }
    TODOKE_ASSIGN_OR_RETURN(std::string canary, Seal(key_, "todoke", "store.canary"));
    TODOKE_ASSIGN_OR_RETURN(auto put,
                            db_.Prepare("INSERT OR IGNORE INTO meta VALUES ('canary', ?1)"));
    return put.BindBlob(1, canary).Run();
}

Result<Enqueued> SqliteStore::Enqueue(const NewFiling& n, std::string_view actor) {
    if (n.idempotency_key.empty() || n.tenant.empty()) {
        return Fail(ErrorCode::kInvalidArgument, "a filing needs a tenant and a key",
                    "queue.idempotency_key");
    }
    const std::string fingerprint = Sha256Hex(n.record_json);
    TODOKE_ASSIGN_OR_RETURN(std::string sealed,
                            Seal(key_, n.record_json, RecordAad(n.tenant, n.idempotency_key)));
    const std::int64_t now = Ms(clock_.Now());
    SqliteDb::Transaction tx(db_);
    TODOKE_RETURN_IF_ERROR(tx.Begin());
    TODOKE_ASSIGN_OR_RETURN(auto find, db_.Prepare("SELECT id, fingerprint, state FROM filings "
                                                   "WHERE tenant = ?1 AND idem_key = ?2"));
    find.Bind(1, n.tenant).Bind(2, n.idempotency_key);
    TODOKE_ASSIGN_OR_RETURN(bool found, find.Step());
    if (found) {
        if (find.Text(1) != fingerprint) {
            return Fail(ErrorCode::kConflict,
                        "the key \"" + n.idempotency_key + "\" was used for filing " +
                            std::to_string(find.Int64(0)) + " with another record",
                        "queue.idempotency_key");
        }
        return Enqueued{find.Int64(0), false,
                        ParseState(find.Text(2)).value_or(FilingState::kDead)};
    }
    const FilingState state =
        n.errors_json.empty() ? FilingState::kReceived : FilingState::kInvalid;
    TODOKE_ASSIGN_OR_RETURN(
        auto insert, db_.Prepare("INSERT INTO filings (tenant, idem_key, fingerprint, company, "
                                 "company_name, procedure, state, next_at, created_at, updated_at, "
                                 "errors) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?8, ?9)"));
    insert.Bind(1, n.tenant)
        .Bind(2, n.idempotency_key)
        .Bind(3, fingerprint)
        .Bind(4, n.company)
        .Bind(5, n.company_name)
        .Bind(6, n.procedure)
        .Bind(7, StateName(state))
        .Bind(8, now)
        .Bind(9, n.errors_json);
    TODOKE_RETURN_IF_ERROR(insert.Run());
    const std::int64_t id = db_.LastInsertRowId();
    TODOKE_ASSIGN_OR_RETURN(
        auto data, db_.Prepare("INSERT INTO filing_data (filing_id, record) VALUES (?1, ?2)"));
    data.Bind(1, id).BindBlob(2, sealed);
    TODOKE_RETURN_IF_ERROR(data.Run());
    TODOKE_RETURN_IF_ERROR(
        AddHistory(id, now, "", StateName(state), actor,
                   state == FilingState::kInvalid ? "the record has field errors" : "accepted"));
    TODOKE_RETURN_IF_ERROR(tx.Commit());
    return Enqueued{id, true, state};
}

Result<std::optional<Filing>> SqliteStore::Find(std::int64_t id) {
    TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare("SELECT " + std::string(kFilingColumns) +
                                                " FROM filings WHERE id = ?1"));
    q.Bind(1, id);
    TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return std::optional<Filing>();
    return std::optional<Filing>(ReadFiling(q));
}

Result<std::optional<Filing>> SqliteStore::FindByKey(const std::string& tenant,
                                                     const std::string& key) {
    TODOKE_ASSIGN_OR_RETURN(auto q,
                            db_.Prepare("SELECT " + std::string(kFilingColumns) +
                                        " FROM filings WHERE tenant = ?1 AND idem_key = ?2"));
    q.Bind(1, tenant).Bind(2, key);
    TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return std::optional<Filing>();
    return std::optional<Filing>(ReadFiling(q));
}

Result<std::vector<Filing>> SqliteStore::List(const ListQuery& query) {
    TODOKE_ASSIGN_OR_RETURN(
        auto q, db_.Prepare("SELECT " + std::string(kFilingColumns) +
                            " FROM filings WHERE (?1 = '' OR state = ?1) AND "
                            "(?2 = '' OR tenant = ?2) AND id > ?3 ORDER BY id LIMIT ?4"));
    const std::string state(query.state ? StateName(*query.state) : "");
    q.Bind(1, state)
        .Bind(2, query.tenant)
        .Bind(3, query.after_id)
        .Bind(4, std::int64_t{query.limit});
    std::vector<Filing> out;
    for (;;) {
        TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) break;
        out.push_back(ReadFiling(q));
    }
    return out;
}

Result<std::vector<HistoryEntry>> SqliteStore::History(std::int64_t id) {
    TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare("SELECT at, from_state, to_state, actor, "
                                                "reason FROM history WHERE filing_id = ?1 "
                                                "ORDER BY id"));
    q.Bind(1, id);
    std::vector<HistoryEntry> out;
    for (;;) {
        TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) break;
        out.push_back({FromMs(q.Int64(0)), q.Text(1), q.Text(2), q.Text(3), q.Text(4)});
    }
    return out;
}

Result<StoreCounts> SqliteStore::Counts() {
    StoreCounts c;
    TODOKE_ASSIGN_OR_RETURN(auto q,
                            db_.Prepare("SELECT state, COUNT(*) FROM filings GROUP BY state"));
    for (;;) {
        TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) break;
        if (auto s = ParseState(q.Text(0))) {
            c.by_state.at(static_cast<std::size_t>(*s)) = q.Int64(1);
        }
    }
    TODOKE_ASSIGN_OR_RETURN(
        auto o, db_.Prepare("SELECT (SELECT COUNT(*) FROM outbox WHERE done_at = 0), "
                            "(SELECT COUNT(*) FROM documents WHERE state <> 'quarantined'), "
                            "(SELECT COUNT(*) FROM mailbox), "
                            "(SELECT COUNT(*) FROM documents WHERE state = 'quarantined')"));
    TODOKE_ASSIGN_OR_RETURN(bool row, o.Step());
    if (row) {
        c.outbox_pending = o.Int64(0);
        c.documents = o.Int64(1);
        c.delivered = o.Int64(2);
        c.quarantined = o.Int64(3);
    }
    return c;
}

Result<std::string> SqliteStore::ReadRecord(std::int64_t id) {
    TODOKE_ASSIGN_OR_RETURN(
        auto q, db_.Prepare("SELECT f.tenant, f.idem_key, d.record FROM filings f "
                            "JOIN filing_data d ON d.filing_id = f.id WHERE f.id = ?1"));
    q.Bind(1, id);
    TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return Fail(ErrorCode::kNotFound, "no filing " + std::to_string(id), "filing");
    return Unseal(key_, q.Text(2), RecordAad(q.Text(0), q.Text(1)));
}

Result<std::string> SqliteStore::ReadPayload(std::int64_t id) {
    TODOKE_ASSIGN_OR_RETURN(auto q,
                            db_.Prepare("SELECT payload FROM filing_data WHERE filing_id = ?1"));
    q.Bind(1, id);
    TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row || q.IsNull(0)) {
        return Fail(ErrorCode::kNotFound, "filing " + std::to_string(id) + " has no package",
                    "filing.payload");
    }
    return Unseal(key_, q.Text(0), PayloadAad(id));
}

Result<std::optional<std::int64_t>> SqliteStore::CaseOwner(const std::string& arrive_id) {
    TODOKE_ASSIGN_OR_RETURN(auto q,
                            db_.Prepare("SELECT filing_id FROM cases WHERE arrive_id = ?1"));
    q.Bind(1, arrive_id);
    TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(q.Int64(0));
}

Result<void> SqliteStore::AddHistory(std::int64_t id, std::int64_t at, std::string_view from,
                                     std::string_view to, std::string_view actor,
                                     std::string_view reason) {
    TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare("INSERT INTO history (filing_id, at, "
                                                "from_state, to_state, actor, reason) VALUES "
                                                "(?1, ?2, ?3, ?4, ?5, ?6)"));
    return q.Bind(1, id).Bind(2, at).Bind(3, from).Bind(4, to).Bind(5, actor).Bind(6, reason).Run();
}

Result<void> SqliteStore::AddOutbox(std::int64_t id, const OutboxItem& o, std::int64_t at) {
    TODOKE_ASSIGN_OR_RETURN(
        auto q, db_.Prepare("INSERT INTO outbox (kind, filing_id, document_id, company, body, "
                            "created_at, next_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"));
    return q.Bind(1, o.kind)
        .Bind(2, id)
        .Bind(3, o.document_id)
        .Bind(4, o.company)
        .Bind(5, o.body_json)
        .Bind(6, at)
        .Run();
}

// Kept as JSON in the meta table under "portal_health:<portal>" (no personal data in it).
Result<void> SqliteStore::SetPortalHealth(const PortalHealth& h) {
    const boost::json::object o{{"paused", h.paused},
                                {"reason", h.reason},
                                {"changed_at", Ms(h.changed_at)},
                                {"until", Ms(h.until)},
                                {"times_opened", h.times_opened},
                                {"process", h.process}};
    TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare("INSERT OR REPLACE INTO meta VALUES (?1, ?2)"));
    q.Bind(1, "portal_health:" + h.portal).Bind(2, boost::json::serialize(o));
    return q.Run();
}

Result<std::optional<PortalHealth>> SqliteStore::GetPortalHealth(const std::string& portal) {
    TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare("SELECT value FROM meta WHERE name = ?1"));
    q.Bind(1, "portal_health:" + portal);
    TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) {
        return std::optional<PortalHealth>();
    }
    boost::system::error_code ec;
    const auto v = boost::json::parse(q.Text(0), ec);
    const auto* o = !ec ? v.if_object() : nullptr;
    if (o == nullptr) {
        return Fail(ErrorCode::kInternal, "the stored health of " + portal + " is unreadable",
                    "queue.portal_health");
    }
    const auto text = [o](std::string_view k) {
        const auto* x = o->if_contains(k);
        return x != nullptr && x->is_string() ? std::string(x->as_string()) : std::string();
    };
    const auto number = [o](std::string_view k) {
        const auto* x = o->if_contains(k);
        return x != nullptr && x->is_int64() ? x->as_int64() : std::int64_t{0};
    };
    PortalHealth h;
    h.portal = portal;
    const auto* paused = o->if_contains("paused");
    h.paused = paused != nullptr && paused->is_bool() && paused->as_bool();
    h.reason = text("reason");
    h.changed_at = FromMs(number("changed_at"));
    h.until = FromMs(number("until"));
    h.times_opened = number("times_opened");
    h.process = text("process");
    return std::optional<PortalHealth>(std::move(h));
}

}  // namespace detail

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::filesystem::path& path, std::string key,
                                               const Clock& clock) {
    if (key.size() != 32) {
        return Fail(ErrorCode::kInvalidArgument, "the data key must be 32 bytes", "queue.key");
    }
    TODOKE_ASSIGN_OR_RETURN(SqliteDb db, SqliteDb::Open(path));
    auto store = std::make_unique<detail::SqliteStore>(std::move(db), std::move(key), clock);
    TODOKE_RETURN_IF_ERROR(store->Migrate());
    return std::unique_ptr<Store>(std::move(store));
}

}  // namespace todoke::queue
