// track: follow a case at the configured pace (egov-api.md §7, §15): 到達 → 審査中 → 審査終了
// (公文書 to collect) or 補正 (the notice is kept and the filing waits for a corrected record);
// 手続終了 without anything to collect completes it; 取下げ ends it as withdrawn.
#include <boost/json.hpp>

#include "worker.hpp"

namespace todoke::gateway::pipeline {
namespace {

using queue::FilingState;

bool HasUncollected(const egov::Case& c) {
    for (const auto& d : c.documents) {
        if (d.downloaded.empty()) return true;
    }
    return false;
}

queue::Transition Follow(Worker& w, const queue::Filing& f) {
    const TimePoint now = w.Now();
    auto found = w.Portal().GetCase(f.arrive_id);
    queue::Transition t;
    if (!found) {
        if (found.error().code == ErrorCode::kNotFound) {
            t.to = FilingState::kDead;
            t.dead_from = std::string(queue::StateName(f.state));
            t.reason = "the portal does not know case " + f.arrive_id;
            t.last_error = t.reason;
            t.outbox.push_back(Event(f, "dead", t.reason));
            return t;
        }
        return w.RetryLater(f, found.error(), "following the case");
    }
    const egov::Case& k = *found;
    t.next_at = w.NextPoll(f);
    t.last_error = "";
    if (k.status.find("取下げ") != std::string::npos) {
        t.to = FilingState::kWithdrawn;
        t.reason = "the portal reports " + k.status;
        t.outbox.push_back(Event(f, "withdrawn", k.status));
    } else if (k.status == "審査中（補正待ち）") {
        const egov::NoticeRef* latest = nullptr;
        for (const auto& n : k.notices) {
            if (n.type == "補正" &&
                (latest == nullptr || n.notice_sub_id > latest->notice_sub_id)) {
                latest = &n;
            }
        }
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
        t.outbox.push_back(Event(f, "amendment_requested", t.reason));
    } else if (k.status == "審査終了" || (k.status == "手続終了" && HasUncollected(k))) {
        t.to = FilingState::kReviewDone;
        t.next_at = now;
        t.reason = "審査終了: " + std::to_string(k.documents.size()) + " official document(s)";
    } else if (k.status == "手続終了") {
        t.to = FilingState::kCompleted;
        t.reason = "手続終了 without an official document to collect";
        t.outbox.push_back(Event(f, "completed", t.reason));
    } else if (k.status == "到達") {
        t.to = FilingState::kArrived;
    } else {
        t.to = FilingState::kUnderReview;  // 審査中, and anything this version does not know
        t.reason = "the portal reports " + k.status;
    }
    return t;
}

}  // namespace

Result<void> Track(Worker& w, std::vector<queue::Claim>& claims) {
    TransitionEach(w, claims, [&w](queue::Claim& c) { return Follow(w, c.filing); });
    return Ok();
}

}  // namespace todoke::gateway::pipeline
