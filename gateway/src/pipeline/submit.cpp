// submit and reconcile (security-and-reliability.md §5): `submitting` is committed with the send
// time before any byte goes out; an answer is committed fenced; no answer makes the filing
// `unknown`, and only the portal's case list decides whether it arrived or is sent again.
#include <algorithm>
#include <boost/json.hpp>
#include <future>

#include "crash_points.hpp"
#include "worker.hpp"

namespace todoke::gateway::pipeline {
namespace {

using queue::ApplyKind;
using queue::FilingState;

std::string RowsJson(const std::vector<egov::ReportRow>& rows) {
    boost::json::array out;
    for (const auto& r : rows) {
        out.push_back(boost::json::object{{"form_name", r.form_name},
                                          {"attached_file_name", r.attached_file_name},
                                          {"file_name", r.file_name},
                                          {"item", r.item},
                                          {"content", r.content}});
    }
    return boost::json::serialize(out);
}

// The answer to a send, as the next state.
queue::Transition Answered(Worker& w, const queue::Filing& f, const Result<egov::Submission>& s) {
    queue::Transition t;
    if (s && !s->rejected()) {
        if (f.apply_kind == ApplyKind::kAmend) {
            t.to = FilingState::kUnderReview;
            t.reason = "部分補正 arrived for case " + f.first_arrive_id;
            t.notice_json = "";
        } else {
            t.to = FilingState::kArrived;
            t.arrive_id = s->arrive_id;
            t.arrive_date = s->arrive_date;
            t.notice_json = "";
            t.reason = "arrived as " + s->arrive_id;
        }
        t.next_at = w.NextPoll(f);
        t.last_error = "";
        return t;
    }
    if (s) {  // a business rejection: final, never retried
        t.errors_json = RowsJson(s->rejection);
        t.last_error =
            "the portal refused the package (" + std::to_string(s->rejection.size()) + " row(s))";
        if (f.apply_kind == ApplyKind::kNew) {
            t.to = FilingState::kRejected;
            t.reason = *t.last_error;
            t.outbox.push_back(queue::FilingEvent(f, "rejected", *t.last_error));
        } else {
            t.to = FilingState::kAmendmentRequested;  // the correction needs correcting
            t.reason = "the correction was refused: " + *t.last_error;
            t.outbox.push_back(queue::FilingEvent(f, "amendment_requested", t.reason));
        }
        return t;
    }
    const Error& e = s.error();
    if (e.code == ErrorCode::kPermissionDenied || IsCircuitOpen(e)) {
        // Nothing went out: no token (backed off; a person must log in), or the circuit breaker
        // kept it back (it waits for the breaker). Prepared again, not unknown.
        queue::Filing as_prepared = f;
        as_prepared.state = FilingState::kPrepared;
        return w.RetryLater(as_prepared, e,
                            IsCircuitOpen(e) ? "sending" : "sending (e-Gov login needed)");
    }
    if (e.code == ErrorCode::kInvalidArgument) {
        t.to = FilingState::kDead;
        t.dead_from = "prepared";
        t.reason = "the client refused to send: " + e.message;
        t.last_error = e.ToString();
        return t;
    }
    t.to = FilingState::kUnknown;
    t.last_error = e.ToString();
    t.reason = "no answer (" + e.message + "): reconcile before any resend";
    t.next_at = f.sent_at + w.shared.config.reconcile_after;
    return t;
}

}  // namespace

Result<void> Submit(Worker& w, std::vector<queue::Claim>& claims) {
    // 1. The packages, then `submitting` for all of them in one transaction.
    std::vector<queue::Claim*> sending;
    std::vector<queue::Transition> marks;
    std::vector<std::string> zips;
    const TimePoint now = w.Now();
    for (auto& c : claims) {
        if (w.shared.stopping.load()) {
            (void)w.store->Release(c);
            continue;
        }
        auto zip = w.store->ReadPayload(c.filing.id);
        if (!zip) {
            w.Commit(c, w.RetryLater(c.filing, zip.error(), "reading the package"));
            continue;
        }
        queue::Transition t;
        t.to = FilingState::kSubmitting;
        t.keep_lease = true;
        t.sent_at = now;
        t.reason = "sending (claim " + std::to_string(c.filing.fence) + ")";
        sending.push_back(&c);
        marks.push_back(std::move(t));
        zips.push_back(std::move(*zip));
    }
    const std::vector<bool> marked = w.CommitBatch(sending, marks);
    MaybeCrash("after_submitting_commit");

    // 2. The sends, side by side on the kept send threads (the client is thread-safe; the rate
    // budget paces them).
    std::vector<std::future<Result<egov::Submission>>> answers(sending.size());
    for (std::size_t i = 0; i < sending.size(); ++i) {
        if (!marked[i]) continue;
        const queue::Filing& f = sending[i]->filing;
        answers[i] = w.shared.sends.Run([&w, &f, zip = &zips[i]] {
            egov::Portal& portal = w.Portal();
            return f.apply_kind == ApplyKind::kAmend ? portal.Amend(f.first_arrive_id, *zip)
                                                     : portal.Apply(f.proc_id, *zip);
        });
    }
    std::vector<queue::Claim*> answered;
    std::vector<queue::Transition> results;
    for (std::size_t i = 0; i < sending.size(); ++i) {
        if (!marked[i]) continue;
        const Result<egov::Submission> s = answers[i].get();
        results.push_back(Answered(w, sending[i]->filing, s));
        answered.push_back(sending[i]);
    }
    MaybeCrash("after_portal_answer");
    w.CommitBatch(answered, results);
    return Ok();
}

Result<void> Reconcile(Worker& w, std::vector<queue::Claim>& claims) {
    for (std::size_t i = 0; i < claims.size(); ++i) {
        queue::Claim& c = claims[i];
        if (w.shared.stopping.load()) {
            (void)w.store->Release(c);
            continue;
        }
        if (!w.KeepLease(claims, i)) continue;
        if (c.filing.state == FilingState::kSubmitting) {
            queue::Transition t;
            t.to = FilingState::kUnknown;
            t.keep_lease = true;
            t.reason = "the worker sending it stopped (lease ran out): reconcile before any resend";
            if (!w.Commit(c, t)) continue;
        }
        const queue::Filing& f = c.filing;
        const TimePoint now = w.Now();
        if (now < f.sent_at + w.shared.config.reconcile_after) {
            queue::Transition t;  // too early to tell "not arrived" from "not listed yet"
            t.to = FilingState::kUnknown;
            t.next_at = f.sent_at + w.shared.config.reconcile_after;
            w.Commit(c, t);
            continue;
        }
        queue::Transition t;
        if (f.apply_kind == ApplyKind::kAmend) {
            auto found = w.Portal().GetCase(f.first_arrive_id);
            if (!found) {
                w.Commit(c, w.RetryLater(f, found.error(), "reconciliation"));
                continue;
            }
            if (found->status == "審査中（補正待ち）") {
                t.to = FilingState::kPrepared;
                t.reason = "reconciled: the portal still waits for the 補正, so it is sent again";
            } else {
                t.to = FilingState::kUnderReview;
                t.reason = "reconciled: the 部分補正 of " + f.first_arrive_id + " arrived";
                t.next_at = w.NextPoll(f);
                t.notice_json = "";
            }
            w.Commit(c, t);
            continue;
        }
        auto cases = egov::FindArrivedCases(w.Portal(), f.proc_name, f.applicant_name,
                                            f.corporation_name, f.sent_at, now);
        if (!cases) {
            w.Commit(c, w.RetryLater(f, cases.error(), "reconciliation"));
            continue;
        }
        // The cases of this procedure, corporation and applicant since the send (each listed
        // once), less the case a resubmission answers and the cases of other filings.
        std::vector<const egov::Case*> mine;
        bool lookup_failed = false;
        for (const auto& k : *cases) {
            if (k.arrive_id == f.first_arrive_id) {
                continue;
            }
            auto owner = w.store->CaseOwner(k.arrive_id);
            if (!owner) {
                lookup_failed = true;
                break;
            }
            if (!owner->has_value() || **owner == f.id) {
                mine.push_back(&k);
            }
        }
        if (lookup_failed) continue;  // the lease runs out; tried again
        const auto arrived = [&t, &w, &f](const egov::Case& k, std::string reason) {
            t.to = FilingState::kArrived;
            t.arrive_id = k.arrive_id;
            t.arrive_date = k.arrive_date;
            t.next_at = w.NextPoll(f);
            t.last_error = "";
            t.reason = std::move(reason);
        };
        const auto dead = [&t, &f](std::string reason) {
            t.to = FilingState::kDead;
            t.dead_from = "unknown";
            t.reason = std::move(reason);
            t.last_error = t.reason;
            t.outbox.push_back(queue::FilingEvent(f, "dead", t.reason));
        };
        std::string listed;  // the matching cases, for the operator who must choose
        for (const auto* k : mine) listed += (listed.empty() ? "" : ", ") + k->arrive_id;
        if (!f.settled_case.empty()) {
            // An operator named the case (Store::Settle): taken only if the portal lists it
            // among this filing's unclaimed matches, and used once either way.
            t.settled_case = "";
            const auto named = std::find_if(mine.begin(), mine.end(), [&f](const egov::Case* k) {
                return k->arrive_id == f.settled_case;
            });
            if (named != mine.end()) {
                arrived(**named, "reconciled: case " + f.settled_case +
                                     ", named by an operator, is listed by the portal");
            } else {
                dead("case " + f.settled_case +
                     ", named by an operator, is not among the unclaimed cases of this "
                     "procedure and applicant since the send (" +
                     (listed.empty() ? std::string("none") : listed) + "); settle again");
            }
        } else if (mine.empty()) {
            t.to = FilingState::kPrepared;
            t.reason = "reconciled: the portal has no case for it, so it is sent again";
        } else if (mine.size() == 1) {
            arrived(*mine.front(), "reconciled: found at the portal as " + mine.front()->arrive_id);
        } else {
            dead("reconciliation is ambiguous: " + std::to_string(mine.size()) +
                 " unclaimed cases match (" + listed +
                 "); an operator must decide: todoke settle " + std::to_string(f.id) +
                 " --case ARRIVE_ID, or --not-arrived");
        }
        w.Commit(c, t);
    }
    return Ok();
}

}  // namespace todoke::gateway::pipeline
