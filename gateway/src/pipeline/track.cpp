// track: follow a case at the configured pace (egov-api.md §7, §15): 到達 → 審査中 → 審査終了
// (公文書 to collect) or 補正 (the notice is kept and the filing waits for a corrected record);
// 手続終了 without anything to collect completes it. 取下げ: a requested one is sent from here
// (the case is looked at first), then followed until its 取下げ notice grants it (withdrawn)
// or refuses it (the case goes on).
#include <boost/json.hpp>

#include "crash_points.hpp"
#include "todoke/forms/package.hpp"
#include "todoke/forms/wareki.hpp"
#include "todoke/gateway/package_builder.hpp"
#include "worker.hpp"

namespace todoke::gateway::pipeline {
namespace {

using queue::FilingState;

// The case's newest notice of a type (補正, 取下げ), if any.
const egov::NoticeRef* LatestNotice(const egov::Case& k, std::string_view type) {
    const egov::NoticeRef* latest = nullptr;
    for (const auto& n : k.notices) {
        if (n.type == type && (latest == nullptr || n.notice_sub_id > latest->notice_sub_id)) {
            latest = &n;
        }
    }
    return latest;
}

// The newest 取下げ notice. Whether it grants or refuses is read from its title (承認 / 却下):
// the notes give the sandbox outcomes "取下げが承認される" / "取下げが却下される" but no field
// for them (egov-api.md §7; unconfirmed).
const egov::NoticeRef* WithdrawalNotice(const egov::Case& k) { return LatestNotice(k, "取下げ"); }

bool Pending(const egov::Case& k) { return k.status.find("取下げ") != std::string::npos; }

// A 取下げ that cannot go out (not possible now, not buildable, refused by the portal): the
// filing goes back to being followed at once, the operator told why.
queue::Transition BackToFollowing(Worker& w, const queue::Filing& f, std::string reason,
                                  std::string last_error) {
    queue::Transition t;
    t.to = FilingState::kUnderReview;
    t.next_at = w.Now();
    t.reason = std::move(reason);
    t.last_error = std::move(last_error);
    t.outbox.push_back(queue::FilingEvent(f, "withdrawal_refused", t.reason));
    return t;
}

// withdraw_requested: never sent twice. The case tells whether an earlier attempt (before a
// crash or a lost answer) reached the portal; only when it did not, and the portal allows a
// 取下げ now (withdraw_flag), is the signed 取下げ依頼 sent.
queue::Transition SendWithdrawal(Worker& w, const queue::Filing& f, const egov::Case& k) {
    queue::Transition t;
    t.last_error = "";
    t.next_at = w.NextPoll(f);
    if (Pending(k) || WithdrawalNotice(k) != nullptr) {
        t.to = FilingState::kWithdrawing;
        t.reason = "the 取下げ依頼 had reached the portal (" + k.status + ")";
        return t;
    }
    if (!k.withdraw_possible) {
        const std::string why = "取下げ not possible now: the portal reports " + k.status;
        return BackToFollowing(w, f, why, why);
    }
    forms::WithdrawalRequest request;
    request.arrive_id = f.arrive_id;
    request.proc_name = !k.proc_name.empty() ? k.proc_name : f.proc_name;
    request.applicant_name = !k.applicant_name.empty() ? k.applicant_name : f.applicant_name;
    request.reason = f.withdraw_reason;
    request.requested_on = forms::DateInJapan(w.Now());
    auto files = forms::RenderWithdrawal(request);
    if (!files) {
        // `todoke withdraw` checks the reason's characters; this is the backstop: an operator
        // must ask again; the case goes on being followed.
        return BackToFollowing(w, f, "取下げ依頼 not built: " + files.error().message,
                               files.error().ToString());
    }
    auto zip = SignAndZip(std::move(*files), w.shared.deps.keys, w.Now());
    if (!zip) {
        return w.RetryLater(f, zip.error(), "signing the 取下げ依頼");
    }
    auto sent = w.Portal().Withdraw(f.arrive_id, *zip);
    if (!sent) {
        // Unanswered or a server error: it may have arrived; the next try looks first.
        return w.RetryLater(f, sent.error(), "sending the 取下げ依頼");
    }
    MaybeCrash("after_withdraw_answer");  // the portal has it; the filing does not know yet
    if (sent->rejected()) {
        std::string rows;
        for (const auto& r : sent->rejection) {
            rows += (rows.empty() ? "" : "; ") + r.item + ": " + r.content;
        }
        const std::string why = "the portal refused the 取下げ依頼: " + rows;
        return BackToFollowing(w, f, why, why);
    }
    t.to = FilingState::kWithdrawing;
    t.reason = "取下げ依頼 received by the portal " + sent->arrive_date;
    t.outbox.push_back(queue::FilingEvent(f, "withdrawing", t.reason));
    return t;
}

bool HasUncollected(const egov::Case& c) {
    for (const auto& d : c.documents) {
        if (d.downloaded.empty()) return true;
    }
    return false;
}

// The state the case's status leads to (not a 取下げ).
queue::Transition FollowStatus(Worker& w, const queue::Filing& f, const egov::Case& k,
                               queue::Transition t) {
    const TimePoint now = w.Now();
    if (k.status == "審査中（補正待ち）") {
        const egov::NoticeRef* latest = LatestNotice(k, "補正");
        if (latest == nullptr) {
            t.to = FilingState::kUnderReview;  // the notice is not listed yet
            return t;
        }
        auto notice = w.Portal().GetNotice(f.arrive_id, latest->notice_sub_id);
        if (!notice) {
            return w.RetryLater(f, notice.error(), "reading the 補正 notice");
        }
        t.to = FilingState::kAmendmentRequested;
        t.notice_json = boost::json::serialize(
            boost::json::object{{"notice_sub_id", notice->notice_sub_id},
                                {"title", notice->title},
                                {"sentence", notice->sentence},
                                {"correct_type", notice->correct_type},
                                {"correct_deadline", notice->correct_deadline},
                                {"issued", notice->issued}});
        t.reason = "補正 requested (" + notice->correct_type + ", by " + notice->correct_deadline +
                   "): " + notice->title;
        t.outbox.push_back(queue::FilingEvent(f, "amendment_requested", t.reason));
    } else if (k.status == "審査終了" || (k.status == "手続終了" && HasUncollected(k))) {
        t.to = FilingState::kReviewDone;
        t.next_at = now;
        t.reason = "審査終了: " + std::to_string(k.documents.size()) + " official document(s)";
    } else if (k.status == "手続終了") {
        t.to = FilingState::kCompleted;
        t.reason = "手続終了 without an official document to collect";
        t.outbox.push_back(queue::FilingEvent(f, "completed", t.reason));
    } else if (k.status == "到達") {
        t.to = FilingState::kArrived;
    } else {
        t.to = FilingState::kUnderReview;  // 審査中, and anything this version does not know
        t.reason = "the portal reports " + k.status;
    }
    return t;
}

queue::Transition Follow(Worker& w, const queue::Filing& f) {
    auto found = w.Portal().GetCase(f.arrive_id);
    queue::Transition t;
    if (!found) {
        if (found.error().code == ErrorCode::kNotFound) {
            t.to = FilingState::kDead;
            t.dead_from = std::string(queue::StateName(f.state));
            t.reason = "the portal does not know case " + f.arrive_id;
            t.last_error = t.reason;
            t.outbox.push_back(queue::FilingEvent(f, "dead", t.reason));
            return t;
        }
        return w.RetryLater(f, found.error(), "following the case");
    }
    const egov::Case& k = *found;
    if (f.state == FilingState::kWithdrawRequested) {
        return SendWithdrawal(w, f, k);
    }
    t.next_at = w.NextPoll(f);
    t.last_error = "";
    const egov::NoticeRef* withdrawal = WithdrawalNotice(k);
    if (withdrawal != nullptr && withdrawal->title.find("承認") != std::string::npos) {
        t.to = FilingState::kWithdrawn;
        t.reason = "取下げ granted: " + withdrawal->title + " (" + withdrawal->issued + ")";
        t.outbox.push_back(queue::FilingEvent(f, "withdrawn", t.reason));
        return t;
    }
    if (Pending(k)) {
        t.to = FilingState::kWithdrawing;  // 到達（取下げ処理中）, also for one sent by hand
        if (f.state != FilingState::kWithdrawing) {
            t.reason = "the portal reports " + k.status;
        }
        return t;
    }
    std::string refused;
    if (f.state == FilingState::kWithdrawing) {
        // Decided and not granted: the case goes on as its status says.
        refused = withdrawal != nullptr
                      ? "取下げ refused: " + withdrawal->title + "; the case goes on"
                      : "取下げ no longer pending (" + k.status + "); the case goes on";
        t.outbox.push_back(queue::FilingEvent(f, "withdrawal_refused", refused));
    }
    t = FollowStatus(w, f, k, std::move(t));
    if (!refused.empty()) {
        t.reason = refused + (t.reason.empty() ? "" : "; " + t.reason);
    }
    return t;
}

}  // namespace

Result<void> Track(Worker& w, std::vector<queue::Claim>& claims) {
    TransitionEach(w, claims, [&w](queue::Claim& c) { return Follow(w, c.filing); });
    return Ok();
}

}  // namespace todoke::gateway::pipeline
