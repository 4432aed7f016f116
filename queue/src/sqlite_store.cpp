// The SQLite backend of the store (security-and-reliability.md §4.3): WAL + synchronous=FULL
// (common/sqlite.hpp), BEGIN IMMEDIATE for every claim and commit, times as milliseconds since
// the epoch (UTC), schema versions in PRAGMA user_version.
#include <algorithm>
#include <set>

#include "sqlite_schema.hpp"
#include "todoke/common/digest.hpp"
#include "todoke/common/seal.hpp"
#include "todoke/common/sqlite.hpp"
#include "todoke/queue/store.hpp"

namespace todoke::queue {
namespace {

using std::chrono::milliseconds;

using detail::FromMs;
using detail::kFilingColumns;
using detail::kMigrations;
using detail::Ms;
using detail::ReadFiling;

Unexpected Stale(std::int64_t id) {
    return Fail(ErrorCode::kConflict,
                "filing " + std::to_string(id) + " was claimed by another worker since",
                "queue.stale_claim");
}

std::string ReconKey(const std::string& proc_id, const std::string& corporation,
                     const std::string& applicant) {
    return proc_id + '\x1f' + corporation + '\x1f' + applicant;
}

// A portal's id for a case as the store keeps it, whatever the portal: 1 to 64 ASCII letters,
// digits or hyphens (each portal's exact shape is its adapter's, e.g. egov::IsArriveId).
bool IsPlainId(std::string_view id) {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
               c == '-';
    });
}

std::string RecordAad(const std::string& tenant, const std::string& key) {
    return "filing-record:" + tenant + "/" + key;
}
std::string PayloadAad(std::int64_t id) { return "filing-payload:" + std::to_string(id); }

void ApplyToSnapshot(Filing& f, const Transition& t, TimePoint now, TimePoint next) {
    f.state = t.to;
    f.next_at = next;
    f.updated_at = now;
    f.failures = t.count_failure ? f.failures + 1 : 0;
    if (!t.keep_lease) {
        f.lease_owner.clear();
        f.lease_until = TimePoint{};
    }
    const auto set = [](std::string& field, const std::optional<std::string>& v) {
        if (v) field = *v;
    };
    set(f.last_error, t.last_error);
    set(f.errors_json, t.errors_json);
    set(f.proc_id, t.proc_id);
    set(f.proc_name, t.proc_name);
    set(f.applicant_name, t.applicant_name);
    set(f.corporation_name, t.corporation_name);
    set(f.arrive_id, t.arrive_id);
    set(f.arrive_date, t.arrive_date);
    set(f.send_number, t.send_number);
    set(f.notice_json, t.notice_json);
    set(f.dead_from, t.dead_from);
    set(f.settled_case, t.settled_case);
    if (t.payload) f.payload_sha256 = Sha256Hex(*t.payload);
    if (t.sent_at) f.sent_at = *t.sent_at;
}

// What an operator's change writes besides the state: a corrected record (sent as `kind`),
// the reason of a 取下げ, the case Settle names (every other change forgets one named before).
struct OperatorChange {
    std::optional<std::string> record;
    ApplyKind kind = ApplyKind::kNew;
    std::optional<std::string> withdraw_reason;
    std::string settled_case;
};

// An operator's change refused because of the filing's state: what it is, and `rule`.
Unexpected StateRefused(const Filing& f, std::string_view rule) {
    std::string state(StateName(f.state));
    if (f.state == FilingState::kDead) state += " (from " + f.dead_from + ")";
    return Fail(ErrorCode::kConflict,
                "filing " + std::to_string(f.id) + " is " + state + "; " + std::string(rule),
                "filing.state");
}

class SqliteStore final : public Store {
  public:
    SqliteStore(SqliteDb db, std::string key, const Clock& clock)
        : db_(std::move(db)), key_(std::move(key)), clock_(clock) {}

    // Each step re-reads the version inside its transaction, so that two processes opening a
    // new store at once do not both apply a migration.
    Result<void> Migrate() {
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

    // A sealed canary tells at open whether the key is the one the data was sealed with.
    Result<void> CheckKey() {
        TODOKE_ASSIGN_OR_RETURN(auto q,
                                db_.Prepare("SELECT value FROM meta WHERE name = 'canary'"));
        TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (row) {
            if (!Unseal(key_, q.Text(0), "store.canary")) {
                return Fail(ErrorCode::kPermissionDenied,
                            "the data key does not open this store (a different key?)",
                            "queue.key");
            }
            return Ok();
        }
        TODOKE_ASSIGN_OR_RETURN(std::string canary, Seal(key_, "todoke", "store.canary"));
        TODOKE_ASSIGN_OR_RETURN(auto put,
                                db_.Prepare("INSERT OR IGNORE INTO meta VALUES ('canary', ?1)"));
        return put.BindBlob(1, canary).Run();
    }

    Result<Enqueued> Enqueue(const NewFiling& n, std::string_view actor) override {
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
            auto insert,
            db_.Prepare("INSERT INTO filings (tenant, idem_key, fingerprint, company, "
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
        TODOKE_RETURN_IF_ERROR(AddHistory(
            id, now, "", StateName(state), actor,
            state == FilingState::kInvalid ? "the record has field errors" : "accepted"));
        TODOKE_RETURN_IF_ERROR(tx.Commit());
        return Enqueued{id, true, state};
    }

    Result<std::optional<Filing>> Find(std::int64_t id) override {
        TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare("SELECT " + std::string(kFilingColumns) +
                                                    " FROM filings WHERE id = ?1"));
        q.Bind(1, id);
        TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) return std::optional<Filing>();
        return std::optional<Filing>(ReadFiling(q));
    }

    Result<std::optional<Filing>> FindByKey(const std::string& tenant,
                                            const std::string& key) override {
        TODOKE_ASSIGN_OR_RETURN(auto q,
                                db_.Prepare("SELECT " + std::string(kFilingColumns) +
                                            " FROM filings WHERE tenant = ?1 AND idem_key = ?2"));
        q.Bind(1, tenant).Bind(2, key);
        TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) return std::optional<Filing>();
        return std::optional<Filing>(ReadFiling(q));
    }

    Result<std::vector<Filing>> List(const ListQuery& query) override {
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

    Result<std::vector<HistoryEntry>> History(std::int64_t id) override {
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

    Result<StoreCounts> Counts() override {
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

    Result<std::string> ReadRecord(std::int64_t id) override {
        TODOKE_ASSIGN_OR_RETURN(
            auto q, db_.Prepare("SELECT f.tenant, f.idem_key, d.record FROM filings f "
                                "JOIN filing_data d ON d.filing_id = f.id WHERE f.id = ?1"));
        q.Bind(1, id);
        TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) return Fail(ErrorCode::kNotFound, "no filing " + std::to_string(id), "filing");
        return Unseal(key_, q.Text(2), RecordAad(q.Text(0), q.Text(1)));
    }

    Result<std::string> ReadPayload(std::int64_t id) override {
        TODOKE_ASSIGN_OR_RETURN(
            auto q, db_.Prepare("SELECT payload FROM filing_data WHERE filing_id = ?1"));
        q.Bind(1, id);
        TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row || q.IsNull(0)) {
            return Fail(ErrorCode::kNotFound, "filing " + std::to_string(id) + " has no package",
                        "filing.payload");
        }
        return Unseal(key_, q.Text(0), PayloadAad(id));
    }

    Result<std::optional<std::int64_t>> CaseOwner(const std::string& arrive_id) override {
        TODOKE_ASSIGN_OR_RETURN(auto q,
                                db_.Prepare("SELECT filing_id FROM cases WHERE arrive_id = ?1"));
        q.Bind(1, arrive_id);
        TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) return std::optional<std::int64_t>();
        return std::optional<std::int64_t>(q.Int64(0));
    }

    Result<std::vector<Claim>> ClaimDue(Stage stage, const std::string& worker, int max,
                                        milliseconds lease) override {
        const std::int64_t now = Ms(clock_.Now());
        std::string where;
        switch (stage) {
            case Stage::kPrepare:
                where = "state = 'received' AND next_at <= ?1 AND lease_until <= ?1";
                break;
            case Stage::kSubmit:
                where =
                    "state = 'prepared' AND next_at <= ?1 AND lease_until <= ?1 AND NOT EXISTS "
                    "(SELECT 1 FROM filings g WHERE g.recon_key = f.recon_key AND g.id <> f.id "
                    "AND (g.state IN ('submitting', 'unknown') OR (g.state = 'prepared' AND "
                    "g.lease_until > ?1)))";
                break;
            case Stage::kReconcile:
                where =
                    "((state = 'unknown' AND next_at <= ?1) OR state = 'submitting') AND "
                    "lease_until <= ?1";
                break;
            case Stage::kTrack:
                where =
                    "state IN ('arrived', 'under_review', 'withdraw_requested', 'withdrawing') "
                    "AND next_at <= ?1 AND lease_until <= ?1";
                break;
            case Stage::kCollect:
                where = "state = 'review_done' AND next_at <= ?1 AND lease_until <= ?1";
                break;
        }
        SqliteDb::Transaction tx(db_);
        TODOKE_RETURN_IF_ERROR(tx.Begin());
        TODOKE_ASSIGN_OR_RETURN(auto pick,
                                db_.Prepare("SELECT id, recon_key FROM filings f WHERE " + where +
                                            " ORDER BY next_at, id LIMIT ?2"));
        // Submit takes one filing per reconciliation key, so it looks further ahead.
        pick.Bind(1, now).Bind(2, std::int64_t{stage == Stage::kSubmit ? max * 4 : max});
        std::vector<std::int64_t> ids;
        std::set<std::string> keys;
        for (;;) {
            TODOKE_ASSIGN_OR_RETURN(bool row, pick.Step());
            if (!row || static_cast<int>(ids.size()) >= max) break;
            if (stage == Stage::kSubmit && !keys.insert(pick.Text(1)).second) continue;
            ids.push_back(pick.Int64(0));
        }
        std::vector<Claim> out;
        if (ids.empty()) {
            return out;
        }
        TODOKE_ASSIGN_OR_RETURN(
            auto take, db_.Prepare("UPDATE filings SET fence = fence + 1, lease_owner = ?2, "
                                   "lease_until = ?3 WHERE id = ?1 RETURNING " +
                                   std::string(kFilingColumns)));
        for (const auto id : ids) {
            take.Reset();
            take.Bind(1, id).Bind(2, worker).Bind(3, now + lease.count());
            TODOKE_ASSIGN_OR_RETURN(bool row, take.Step());
            if (row) {
                out.push_back(Claim{ReadFiling(take), worker});
            }
            TODOKE_ASSIGN_OR_RETURN(bool more, take.Step());
            (void)more;
        }
        TODOKE_RETURN_IF_ERROR(tx.Commit());
        return out;
    }

    Result<std::vector<Result<void>>> CommitAll(std::span<Claim* const> claims,
                                                std::span<const Transition> ts) override {
        const TimePoint now_tp = clock_.Now();
        const std::int64_t now = Ms(now_tp);
        std::vector<std::optional<std::string>> sealed(ts.size());
        for (std::size_t i = 0; i < ts.size(); ++i) {
            if (ts[i].payload) {
                TODOKE_ASSIGN_OR_RETURN(
                    auto s, Seal(key_, *ts[i].payload, PayloadAad(claims[i]->filing.id)));
                sealed[i] = std::move(s);
            }
        }
        SqliteDb::Transaction tx(db_);
        TODOKE_RETURN_IF_ERROR(tx.Begin());
        TODOKE_ASSIGN_OR_RETURN(
            auto update,
            db_.Prepare(
                "UPDATE filings SET state = ?1, next_at = ?2, "
                "lease_owner = CASE WHEN ?3 THEN lease_owner ELSE '' END, "
                "lease_until = CASE WHEN ?3 THEN lease_until ELSE 0 END, "
                "failures = CASE WHEN ?4 THEN failures + 1 ELSE 0 END, updated_at = ?5, "
                "last_error = COALESCE(?6, last_error), errors = COALESCE(?7, errors), "
                "payload_sha256 = COALESCE(?8, payload_sha256), "
                "proc_id = COALESCE(?9, proc_id), proc_name = COALESCE(?10, proc_name), "
                "applicant_name = COALESCE(?11, applicant_name), "
                "corporation_name = COALESCE(?12, corporation_name), "
                "recon_key = COALESCE(?13, recon_key), sent_at = COALESCE(?14, sent_at), "
                "arrive_id = COALESCE(?15, arrive_id), arrive_date = COALESCE(?16, arrive_date), "
                "send_number = COALESCE(?17, send_number), notice = COALESCE(?18, notice), "
                "dead_from = COALESCE(?19, dead_from), "
                "settled_case = COALESCE(?23, settled_case) "
                "WHERE id = ?20 AND fence = ?21 AND state = ?22"));
        TODOKE_ASSIGN_OR_RETURN(
            auto set_payload,
            db_.Prepare("UPDATE filing_data SET payload = ?2 WHERE filing_id = ?1"));
        TODOKE_ASSIGN_OR_RETURN(auto add_case,
                                db_.Prepare("INSERT INTO cases (arrive_id, filing_id, at) VALUES "
                                            "(?1, ?2, ?3) ON CONFLICT (arrive_id) DO UPDATE SET "
                                            "at = at WHERE filing_id = ?2"));
        TODOKE_ASSIGN_OR_RETURN(
            auto add_outbox,
            db_.Prepare("INSERT INTO outbox (kind, filing_id, document_id, company, body, "
                        "created_at, next_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"));
        std::vector<Result<void>> results;
        std::vector<TimePoint> nexts(ts.size());
        for (std::size_t i = 0; i < ts.size(); ++i) {
            const Transition& t = ts[i];
            Filing& f = claims[i]->filing;
            nexts[i] = t.next_at == TimePoint{} ? now_tp : t.next_at;
            const auto bind_opt = [&update](int index, const std::optional<std::string>& v) {
                if (v) {
                    update.Bind(index, *v);
                } else {
                    update.BindNull(index);
                }
            };
            update.Reset();
            update.Bind(1, StateName(t.to))
                .Bind(2, Ms(nexts[i]))
                .Bind(3, std::int64_t{t.keep_lease ? 1 : 0})
                .Bind(4, std::int64_t{t.count_failure ? 1 : 0})
                .Bind(5, now);
            bind_opt(6, t.last_error);
            bind_opt(7, t.errors_json);
            if (sealed[i]) {
                update.Bind(8, Sha256Hex(*t.payload));
            } else {
                update.BindNull(8);
            }
            bind_opt(9, t.proc_id);
            bind_opt(10, t.proc_name);
            bind_opt(11, t.applicant_name);
            bind_opt(12, t.corporation_name);
            if (t.proc_id) {
                update.Bind(13, ReconKey(*t.proc_id, t.corporation_name.value_or(""),
                                         t.applicant_name.value_or("")));
            } else {
                update.BindNull(13);
            }
            if (t.sent_at) {
                update.Bind(14, Ms(*t.sent_at));
            } else {
                update.BindNull(14);
            }
            bind_opt(15, t.arrive_id);
            bind_opt(16, t.arrive_date);
            bind_opt(17, t.send_number);
            bind_opt(18, t.notice_json);
            bind_opt(19, t.dead_from);
            bind_opt(23, t.settled_case);
            update.Bind(20, f.id).Bind(21, f.fence).Bind(22, StateName(f.state));
            TODOKE_RETURN_IF_ERROR(update.Run());
            if (db_.Changes() == 0) {
                results.emplace_back(Stale(f.id));
                continue;
            }
            if (sealed[i]) {
                set_payload.Reset();
                set_payload.Bind(1, f.id).BindBlob(2, *sealed[i]);
                TODOKE_RETURN_IF_ERROR(set_payload.Run());
            }
            if (t.arrive_id && !t.arrive_id->empty()) {
                add_case.Reset();
                add_case.Bind(1, *t.arrive_id).Bind(2, f.id).Bind(3, now);
                TODOKE_RETURN_IF_ERROR(add_case.Run());
                if (db_.Changes() == 0) {
                    // Another filing owns this case: never record one case twice.
                    return Fail(ErrorCode::kConflict,
                                "case " + *t.arrive_id + " already belongs to another filing",
                                "queue.case_owner");
                }
            }
            if (t.to != f.state || t.count_failure || t.actor != "worker") {
                TODOKE_RETURN_IF_ERROR(
                    AddHistory(f.id, now, StateName(f.state), StateName(t.to), t.actor, t.reason));
            }
            for (const auto& o : t.outbox) {
                add_outbox.Reset();
                add_outbox.Bind(1, o.kind)
                    .Bind(2, f.id)
                    .Bind(3, o.document_id)
                    .Bind(4, o.company)
                    .Bind(5, o.body_json)
                    .Bind(6, now);
                TODOKE_RETURN_IF_ERROR(add_outbox.Run());
            }
            results.emplace_back(Ok());
        }
        TODOKE_RETURN_IF_ERROR(tx.Commit());
        for (std::size_t i = 0; i < ts.size(); ++i) {
            if (results[i]) {
                ApplyToSnapshot(claims[i]->filing, ts[i], now_tp, nexts[i]);
            }
        }
        return results;
    }

    Result<void> Release(Claim& claim) override {
        TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare("UPDATE filings SET lease_owner = '', "
                                                    "lease_until = 0 WHERE id = ?1 AND fence = "
                                                    "?2 AND state = ?3"));
        q.Bind(1, claim.filing.id)
            .Bind(2, claim.filing.fence)
            .Bind(3, StateName(claim.filing.state));
        TODOKE_RETURN_IF_ERROR(q.Run());
        if (db_.Changes() == 0) return Stale(claim.filing.id);
        return Ok();
    }

    Result<std::optional<DocumentRecord>> FindDocument(const std::string& arrive_id,
                                                       int notice_sub_id) override {
        TODOKE_ASSIGN_OR_RETURN(auto q,
                                db_.Prepare(std::string(kDocumentSelect) +
                                            " WHERE arrive_id = ?1 AND notice_sub_id = ?2"));
        q.Bind(1, arrive_id).Bind(2, std::int64_t{notice_sub_id});
        TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) return std::optional<DocumentRecord>();
        return std::optional<DocumentRecord>(ReadDocument(q));
    }

    Result<DocumentRecord> AddDocument(Claim& claim, DocumentRecord d) override {
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
            TODOKE_ASSIGN_OR_RETURN(
                auto add_outbox,
                db_.Prepare("INSERT INTO outbox (kind, filing_id, document_id, company, body, "
                            "created_at, next_at) VALUES ('deliver', ?1, ?2, ?3, ?5, ?4, ?4)"));
            add_outbox.Bind(1, claim.filing.id)
                .Bind(2, id)
                .Bind(3, claim.filing.company)
                .Bind(4, now)
                .Bind(5, "{\"sha256\":\"" + d.sha256 + "\"}");
            TODOKE_RETURN_IF_ERROR(add_outbox.Run());
        }
        TODOKE_ASSIGN_OR_RETURN(auto found, FindDocument(d.arrive_id, d.notice_sub_id));
        TODOKE_RETURN_IF_ERROR(tx.Commit());
        if (!found) return Fail(ErrorCode::kInternal, "document row vanished", "queue.document");
        return *found;
    }

    Result<void> MarkAcknowledged(std::int64_t document_id) override {
        TODOKE_ASSIGN_OR_RETURN(
            auto q, db_.Prepare("UPDATE documents SET state = 'acknowledged', acknowledged_at = "
                                "?2 WHERE id = ?1 AND state = 'verified'"));
        return q.Bind(1, document_id).Bind(2, Ms(clock_.Now())).Run();
    }

    Result<std::vector<OutboxEntry>> ClaimOutbox(const std::string& worker, int max,
                                                 milliseconds lease) override {
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

    Result<void> CompleteOutbox(const OutboxEntry& e) override {
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
            TODOKE_ASSIGN_OR_RETURN(
                auto put, db_.Prepare("INSERT INTO mailbox (company, document_id, filing_id, "
                                      "delivered_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
                                      "(company, document_id) DO NOTHING"));
            put.Bind(1, e.company).Bind(2, e.document_id).Bind(3, e.filing_id).Bind(4, now);
            TODOKE_RETURN_IF_ERROR(put.Run());
        }
        return tx.Commit();
    }

    Result<void> RetryOutbox(const OutboxEntry& e, const std::string& error,
                             TimePoint next_at) override {
        TODOKE_ASSIGN_OR_RETURN(
            auto q, db_.Prepare("UPDATE outbox SET failures = failures + 1, last_error = ?3, "
                                "next_at = ?4, lease_owner = '', lease_until = 0 WHERE id = ?1 "
                                "AND fence = ?2 AND done_at = 0"));
        return q.Bind(1, e.id).Bind(2, e.fence).Bind(3, error).Bind(4, Ms(next_at)).Run();
    }

    Result<std::vector<MailboxItem>> Mailbox(const std::string& company) override {
        TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare(std::string(kMailboxSelect) +
                                                    " WHERE m.company = ?1 ORDER BY m.id"));
        q.Bind(1, company);
        std::vector<MailboxItem> out;
        for (;;) {
            TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
            if (!row) break;
            out.push_back(ReadMailbox(q));
        }
        return out;
    }

    Result<std::optional<MailboxItem>> MailboxDocument(std::int64_t document_id) override {
        TODOKE_ASSIGN_OR_RETURN(
            auto q, db_.Prepare(std::string(kMailboxSelect) + " WHERE m.document_id = ?1"));
        q.Bind(1, document_id);
        TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) return std::optional<MailboxItem>();
        return std::optional<MailboxItem>(ReadMailbox(q));
    }

    Result<Filing> Replay(std::int64_t id, std::string_view actor) override {
        return Operator(
            id, actor,
            [](const Filing& f) -> Result<FilingState> {
                if (f.state != FilingState::kDead) {
                    return StateRefused(f, "only a dead filing is replayed");
                }
                const auto from = ParseState(f.dead_from).value_or(FilingState::kReceived);
                // Whatever died while being sent may have arrived: ask the portal first.
                if (from == FilingState::kSubmitting || from == FilingState::kUnknown) {
                    return FilingState::kUnknown;
                }
                return IsFinal(from) ? FilingState::kReceived : from;
            },
            "replayed by an operator");
    }

    Result<Filing> SupplyCorrection(std::int64_t id, const std::string& record_json, ApplyKind kind,
                                    std::string_view actor) override {
        OperatorChange change;
        change.record = record_json;
        change.kind = kind;
        return Operator(
            id, actor,
            [](const Filing& f) -> Result<FilingState> {
                if (f.state != FilingState::kAmendmentRequested) {
                    return StateRefused(f, "not waiting for a 補正");
                }
                return FilingState::kReceived;
            },
            kind == ApplyKind::kAmend ? "corrected record: 部分補正" : "corrected record: 再提出",
            change);
    }

    Result<Filing> RequestWithdrawal(std::int64_t id, const std::string& reason,
                                     std::string_view actor) override {
        if (reason.empty()) {
            return Fail(ErrorCode::kInvalidArgument, "a 取下げ needs its reason (理由)",
                        "withdrawal.reason");
        }
        OperatorChange change;
        change.withdraw_reason = reason;
        return Operator(
            id, actor,
            [](const Filing& f) -> Result<FilingState> {
                switch (f.state) {
                    case FilingState::kArrived:
                    case FilingState::kUnderReview:
                    case FilingState::kAmendmentRequested:
                        return FilingState::kWithdrawRequested;
                    case FilingState::kWithdrawRequested:
                    case FilingState::kWithdrawing:
                        return StateRefused(f, "a 取下げ was already asked for");
                    default:
                        return StateRefused(f,
                                            "only a case that arrived and is not decided yet "
                                            "(arrived, under_review, amendment_requested) can be "
                                            "withdrawn");
                }
            },
            "取下げ requested: " + reason, change);
    }

    Result<Filing> Cancel(std::int64_t id, const std::string& reason,
                          std::string_view actor) override {
        if (reason.empty()) {
            return Fail(ErrorCode::kInvalidArgument, "a cancellation needs its reason",
                        "cancel.reason");
        }
        return Operator(
            id, actor,
            [](const Filing& f) -> Result<FilingState> {
                const bool unsent = f.state == FilingState::kReceived ||
                                    f.state == FilingState::kPrepared ||
                                    (f.state == FilingState::kDead &&
                                     (f.dead_from == "received" || f.dead_from == "prepared"));
                if (!unsent) {
                    return StateRefused(f,
                                        "only a filing nothing of which was sent (received, "
                                        "prepared) is cancelled; an arrived case is withdrawn "
                                        "(todoke withdraw), a send that may have arrived is "
                                        "settled first");
                }
                return FilingState::kCancelled;
            },
            "cancelled: " + reason);
    }

    Result<Filing> Settle(std::int64_t id, const std::optional<std::string>& arrive_id,
                          std::string_view actor) override {
        if (arrive_id && !IsPlainId(*arrive_id)) {
            return Fail(ErrorCode::kInvalidArgument,
                        "a case is named by the portal's id for it (1 to 64 ASCII letters, "
                        "digits or hyphens)",
                        "settle.case");
        }
        // Decided in Operator's transaction, so that no other filing takes the case meanwhile.
        const auto decide = [this, &arrive_id, id](const Filing& f) -> Result<FilingState> {
            const bool may_have_arrived =
                f.state == FilingState::kUnknown ||
                (f.state == FilingState::kDead &&
                 (f.dead_from == "unknown" || f.dead_from == "submitting"));
            if (!may_have_arrived) {
                return StateRefused(f,
                                    "only a filing whose send may or may not have arrived "
                                    "(unknown, or dead in reconciliation) is settled");
            }
            if (f.apply_kind == ApplyKind::kAmend) {
                return StateRefused(f,
                                    "a 部分補正 is reconciled by its case's status; replay it "
                                    "instead");
            }
            if (!arrive_id) {
                return FilingState::kPrepared;
            }
            TODOKE_ASSIGN_OR_RETURN(auto owner, CaseOwner(*arrive_id));
            if (owner && *owner != id) {
                return Fail(
                    ErrorCode::kConflict,
                    "case " + *arrive_id + " already belongs to filing " + std::to_string(*owner),
                    "queue.case_owner");
            }
            return FilingState::kUnknown;
        };
        OperatorChange change;
        change.settled_case = arrive_id.value_or("");
        return Operator(id, actor, decide,
                        arrive_id ? "an operator names case " + *arrive_id +
                                        " as this filing's; reconciliation checks it at the portal"
                                  : std::string("an operator found that none of the portal's "
                                                "cases is this filing's; it is sent again"),
                        change);
    }

  private:
    static constexpr std::string_view kDocumentSelect =
        "SELECT id, filing_id, arrive_id, notice_sub_id, sha256, title, signer, state, "
        "stored_at, acknowledged_at, company FROM documents";
    static constexpr std::string_view kMailboxSelect =
        "SELECT m.document_id, m.company, d.title, d.arrive_id, f.procedure, d.sha256, d.signer, "
        "m.filing_id, d.notice_sub_id, m.delivered_at FROM mailbox m JOIN documents d ON d.id = "
        "m.document_id JOIN filings f ON f.id = m.filing_id";

    static DocumentRecord ReadDocument(const SqliteStatement& q) {
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

    static MailboxItem ReadMailbox(const SqliteStatement& q) {
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

    Result<void> AddHistory(std::int64_t id, std::int64_t at, std::string_view from,
                            std::string_view to, std::string_view actor, std::string_view reason) {
        TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare("INSERT INTO history (filing_id, at, "
                                                    "from_state, to_state, actor, reason) VALUES "
                                                    "(?1, ?2, ?3, ?4, ?5, ?6)"));
        return q.Bind(1, id)
            .Bind(2, at)
            .Bind(3, from)
            .Bind(4, to)
            .Bind(5, actor)
            .Bind(6, reason)
            .Run();
    }

    // An operator's change: decided from the current row, fence raised (any holder is stale).
    template <class Decide>
    Result<Filing> Operator(std::int64_t id, std::string_view actor, Decide decide,
                            std::string_view reason, const OperatorChange& change = {}) {
        const std::int64_t now = Ms(clock_.Now());
        SqliteDb::Transaction tx(db_);
        TODOKE_RETURN_IF_ERROR(tx.Begin());
        TODOKE_ASSIGN_OR_RETURN(auto found, Find(id));
        if (!found) return Fail(ErrorCode::kNotFound, "no filing " + std::to_string(id), "filing");
        TODOKE_ASSIGN_OR_RETURN(FilingState to, decide(*found));
        TODOKE_ASSIGN_OR_RETURN(
            auto q, db_.Prepare("UPDATE filings SET state = ?2, fence = fence + 1, failures = 0, "
                                "next_at = ?3, lease_owner = '', lease_until = 0, updated_at = "
                                "?3, dead_from = '', "
                                "apply_kind = ?4, first_arrive_id = CASE WHEN ?5 THEN arrive_id "
                                "ELSE first_arrive_id END, errors = CASE WHEN ?5 THEN '' ELSE "
                                "errors END, withdraw_reason = COALESCE(?6, withdraw_reason), "
                                "settled_case = ?7 WHERE id = ?1"));
        const bool corrected = change.record.has_value();
        q.Bind(1, id).Bind(2, StateName(to)).Bind(3, now);
        q.Bind(4, ApplyKindName(corrected ? change.kind : found->apply_kind))
            .Bind(5, std::int64_t{corrected ? 1 : 0});
        if (change.withdraw_reason) {
            q.Bind(6, *change.withdraw_reason);
        } else {
            q.BindNull(6);
        }
        q.Bind(7, change.settled_case);
        TODOKE_RETURN_IF_ERROR(q.Run());
        if (corrected) {
            TODOKE_ASSIGN_OR_RETURN(
                std::string sealed,
                Seal(key_, *change.record, RecordAad(found->tenant, found->idempotency_key)));
            TODOKE_ASSIGN_OR_RETURN(
                auto set_record,
                db_.Prepare("UPDATE filing_data SET record = ?2 WHERE filing_id = ?1"));
            set_record.Bind(1, id).BindBlob(2, sealed);
            TODOKE_RETURN_IF_ERROR(set_record.Run());
        }
        TODOKE_RETURN_IF_ERROR(
            AddHistory(id, now, StateName(found->state), StateName(to), actor, reason));
        TODOKE_ASSIGN_OR_RETURN(auto after, Find(id));
        TODOKE_RETURN_IF_ERROR(tx.Commit());
        return *after;
    }

    SqliteDb db_;
    std::string key_;
    const Clock& clock_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::filesystem::path& path, std::string key,
                                               const Clock& clock) {
    if (key.size() != 32) {
        return Fail(ErrorCode::kInvalidArgument, "the data key must be 32 bytes", "queue.key");
    }
    TODOKE_ASSIGN_OR_RETURN(SqliteDb db, SqliteDb::Open(path));
    auto store = std::make_unique<SqliteStore>(std::move(db), std::move(key), clock);
    TODOKE_RETURN_IF_ERROR(store->Migrate());
    return std::unique_ptr<Store>(std::move(store));
}

}  // namespace todoke::queue
