// An operator's changes to a filing: replay, a corrected record, 取下げ, cancel, settle. Each
// is decided from the current row inside one transaction and raises the fence.
#include <algorithm>

#include "sqlite_store.hpp"
#include "todoke/common/seal.hpp"

namespace todoke::queue::detail {
namespace {

// A portal's id for a case as the store keeps it, whatever the portal: 1 to 64 ASCII letters,
// digits or hyphens (each portal's exact shape is its adapter's, e.g. egov::IsArriveId).
bool IsPlainId(std::string_view id) {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
               c == '-';
    });
}

// An operator's change refused because of the filing's state: what it is, and `rule`.
Unexpected StateRefused(const Filing& f, std::string_view rule) {
    std::string state(StateName(f.state));
    if (f.state == FilingState::kDead) state += " (from " + f.dead_from + ")";
    return Fail(ErrorCode::kConflict,
                "filing " + std::to_string(f.id) + " is " + state + "; " + std::string(rule),
                "filing.state");
}

}  // namespace

template <class Decide>
Result<Filing> SqliteStore::Operator(std::int64_t id, std::string_view actor,
                                     std::string_view event, Decide decide, std::string_view reason,
                                     const OperatorChange& change) {
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
    if (!after) return Fail(ErrorCode::kInternal, "filing row vanished", "filing");
    TODOKE_RETURN_IF_ERROR(AddOutbox(id, FilingEvent(*after, event, reason), now));
    TODOKE_RETURN_IF_ERROR(tx.Commit());
    return *after;
}

Result<Filing> SqliteStore::Replay(std::int64_t id, std::string_view actor) {
    return Operator(
        id, actor, "replayed",
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

Result<Filing> SqliteStore::SupplyCorrection(std::int64_t id, const std::string& record_json,
                                             ApplyKind kind, std::string_view actor) {
    OperatorChange change;
    change.record = record_json;
    change.kind = kind;
    return Operator(
        id, actor, "corrected",
        [](const Filing& f) -> Result<FilingState> {
            if (f.state != FilingState::kAmendmentRequested) {
                return StateRefused(f, "not waiting for a 補正");
            }
            return FilingState::kReceived;
        },
        kind == ApplyKind::kAmend ? "corrected record: 部分補正" : "corrected record: 再提出",
        change);
}

Result<Filing> SqliteStore::RequestWithdrawal(std::int64_t id, const std::string& reason,
                                              std::string_view actor) {
    if (reason.empty()) {
        return Fail(ErrorCode::kInvalidArgument, "a 取下げ needs its reason (理由)",
                    "withdrawal.reason");
    }
    OperatorChange change;
    change.withdraw_reason = reason;
    return Operator(
        id, actor, "withdraw_requested",
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

Result<Filing> SqliteStore::Cancel(std::int64_t id, const std::string& reason,
                                   std::string_view actor) {
    if (reason.empty()) {
        return Fail(ErrorCode::kInvalidArgument, "a cancellation needs its reason",
                    "cancel.reason");
    }
    return Operator(
        id, actor, "cancelled",
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

Result<Filing> SqliteStore::Settle(std::int64_t id, const std::optional<std::string>& arrive_id,
                                   std::string_view actor) {
    if (arrive_id && !IsPlainId(*arrive_id)) {
        return Fail(ErrorCode::kInvalidArgument,
                    "a case is named by the portal's id for it (1 to 64 ASCII letters, "
                    "digits or hyphens)",
                    "settle.case");
    }
    // Decided in Operator's transaction, so that no other filing takes the case meanwhile.
    const auto decide = [this, &arrive_id, id](const Filing& f) -> Result<FilingState> {
        const bool may_have_arrived = f.state == FilingState::kUnknown ||
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
    return Operator(id, actor, "settled", decide,
                    arrive_id ? "an operator names case " + *arrive_id +
                                    " as this filing's; reconciliation checks it at the portal"
                              : std::string("an operator found that none of the portal's "
                                            "cases is this filing's; it is sent again"),
                    change);
}

}  // namespace todoke::queue::detail
