// The workers' claims on filings: leases with a fencing token, commits that a stale holder
// cannot make, and releases.
#include <set>

#include "sqlite_store.hpp"
#include "todoke/common/digest.hpp"
#include "todoke/common/seal.hpp"

namespace todoke::queue::detail {
namespace {

std::string ReconKey(const std::string& proc_id, const std::string& corporation,
                     const std::string& applicant) {
    return proc_id + '\x1f' + corporation + '\x1f' + applicant;
}

// `payload_sha256`: the digest of t.payload, when it has one (made once, in CommitAll).
void ApplyToSnapshot(Filing& f, const Transition& t, TimePoint now, TimePoint next,
                     const std::optional<std::string>& payload_sha256) {
    f.state = t.to;
    f.next_at = next;
    f.updated_at = now;
    f.failures = t.failures == FailureCount::kAdd    ? f.failures + 1
                 : t.failures == FailureCount::kKeep ? f.failures
                                                     : 0;
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
    set(f.payload_sha256, payload_sha256);
    if (t.sent_at) f.sent_at = *t.sent_at;
}

}  // namespace

Result<std::vector<Claim>> SqliteStore::ClaimDue(Stage stage, const std::string& worker, int max,
                                                 std::chrono::milliseconds lease) {
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
    TODOKE_ASSIGN_OR_RETURN(auto pick, db_.Prepare("SELECT id, recon_key FROM filings f WHERE " +
                                                   where + " ORDER BY next_at, id LIMIT ?2"));
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
    TODOKE_ASSIGN_OR_RETURN(auto take,
                            db_.Prepare("UPDATE filings SET fence = fence + 1, lease_owner = ?2, "
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

Result<std::vector<Result<void>>> SqliteStore::CommitAll(std::span<Claim* const> claims,
                                                         std::span<const Transition> ts) {
    const TimePoint now_tp = clock_.Now();
    const std::int64_t now = Ms(now_tp);
    std::vector<std::optional<std::string>> sealed(ts.size());
    std::vector<std::optional<std::string>> digests(ts.size());  // of the payloads
    for (std::size_t i = 0; i < ts.size(); ++i) {
        if (ts[i].payload) {
            TODOKE_ASSIGN_OR_RETURN(auto s,
                                    Seal(key_, *ts[i].payload, PayloadAad(claims[i]->filing.id)));
            sealed[i] = std::move(s);
            digests[i] = Sha256Hex(*ts[i].payload);
        }
    }
    SqliteDb::Transaction tx(db_);
    TODOKE_RETURN_IF_ERROR(tx.Begin());
    // failures: ?4 is a FailureCount (0 reset, 1 add, 2 keep).
    TODOKE_ASSIGN_OR_RETURN(
        auto update,
        db_.Prepare(
            "UPDATE filings SET state = ?1, next_at = ?2, "
            "lease_owner = CASE WHEN ?3 THEN lease_owner ELSE '' END, "
            "lease_until = CASE WHEN ?3 THEN lease_until ELSE 0 END, "
            "failures = CASE ?4 WHEN 1 THEN failures + 1 WHEN 2 THEN failures ELSE 0 END, "
            "updated_at = ?5, "
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
        auto set_payload, db_.Prepare("UPDATE filing_data SET payload = ?2 WHERE filing_id = ?1"));
    TODOKE_ASSIGN_OR_RETURN(auto add_case,
                            db_.Prepare("INSERT INTO cases (arrive_id, filing_id, at) VALUES "
                                        "(?1, ?2, ?3) ON CONFLICT (arrive_id) DO UPDATE SET "
                                        "at = at WHERE filing_id = ?2"));
    std::vector<Result<void>> results;
    std::vector<TimePoint> nexts(ts.size());
    for (std::size_t i = 0; i < ts.size(); ++i) {
        const Transition& t = ts[i];
        Filing& f = claims[i]->filing;
        nexts[i] = t.next_at == TimePoint{} ? now_tp : t.next_at;
        const auto bind_opt = [&update](int index, const auto& v) {  // absent: NULL, kept
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
            .Bind(4, static_cast<std::int64_t>(t.failures))  // the values the CASE reads
            .Bind(5, now);
        bind_opt(6, t.last_error);
        bind_opt(7, t.errors_json);
        bind_opt(8, digests[i]);
        bind_opt(9, t.proc_id);
        bind_opt(10, t.proc_name);
        bind_opt(11, t.applicant_name);
        bind_opt(12, t.corporation_name);
        bind_opt(13, t.proc_id ? std::optional(ReconKey(*t.proc_id, t.corporation_name.value_or(""),
                                                        t.applicant_name.value_or("")))
                               : std::nullopt);
        bind_opt(14, t.sent_at ? std::optional(Ms(*t.sent_at)) : std::nullopt);
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
        if (t.to != f.state || t.failures == FailureCount::kAdd || t.actor != "worker") {
            TODOKE_RETURN_IF_ERROR(
                AddHistory(f.id, now, StateName(f.state), StateName(t.to), t.actor, t.reason));
        }
        for (const auto& o : t.outbox) {
            TODOKE_RETURN_IF_ERROR(AddOutbox(f.id, o, now));
        }
        results.emplace_back(Ok());
    }
    TODOKE_RETURN_IF_ERROR(tx.Commit());
    for (std::size_t i = 0; i < ts.size(); ++i) {
        if (results[i]) {
            ApplyToSnapshot(claims[i]->filing, ts[i], now_tp, nexts[i], digests[i]);
        }
    }
    return results;
}

Result<void> SqliteStore::Release(Claim& claim) {
    TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare("UPDATE filings SET lease_owner = '', "
                                                "lease_until = 0 WHERE id = ?1 AND fence = "
                                                "?2 AND state = ?3"));
    q.Bind(1, claim.filing.id).Bind(2, claim.filing.fence).Bind(3, StateName(claim.filing.state));
    TODOKE_RETURN_IF_ERROR(q.Run());
    if (db_.Changes() == 0) return Stale(claim.filing.id);
    return Ok();
}

Result<std::vector<bool>> SqliteStore::Renew(std::span<Claim* const> claims,
                                             std::chrono::milliseconds lease) {
    const TimePoint until = clock_.Now() + lease;
    std::vector<bool> held;
    SqliteDb::Transaction tx(db_);
    TODOKE_RETURN_IF_ERROR(tx.Begin());
    TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare("UPDATE filings SET lease_until = ?4 WHERE id = "
                                                "?1 AND fence = ?2 AND state = ?3"));
    for (Claim* c : claims) {
        q.Reset();
        q.Bind(1, c->filing.id)
            .Bind(2, c->filing.fence)
            .Bind(3, StateName(c->filing.state))
            .Bind(4, Ms(until));
        TODOKE_RETURN_IF_ERROR(q.Run());
        held.push_back(db_.Changes() != 0);
    }
    TODOKE_RETURN_IF_ERROR(tx.Commit());
    for (std::size_t i = 0; i < claims.size(); ++i) {
        if (held[i]) claims[i]->filing.lease_until = FromMs(Ms(until));
    }
    return held;
}

}  // namespace todoke::queue::detail
