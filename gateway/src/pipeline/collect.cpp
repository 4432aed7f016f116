// collect and deliver (security-and-reliability.md §5.6): a 公文書 is verified before anything in
// it is read, stored sealed and content-addressed, recorded together with its delivery (one
// transaction), and only then acknowledged (取得完了). A crash between storing and 取得完了 acks
// the stored copy on the next try; the (arrive_id, 通知通番) key and the mailbox's
// (company, document) key keep every delivery single.
#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "crash_points.hpp"
#include "todoke/signing/verifier.hpp"
#include "worker.hpp"

namespace todoke::gateway::pipeline {
namespace {

using queue::FilingState;

queue::Transition Dead(const queue::Filing& f, const std::string& reason) {
    queue::Transition t;
    t.to = FilingState::kDead;
    t.dead_from = std::string(queue::StateName(f.state));
    t.reason = reason;
    t.last_error = reason;
    t.outbox.push_back(queue::FilingEvent(f, "dead", reason));
    return t;
}

// 取得完了 for a stored, verified document: nullopt when done, else the transition to commit.
std::optional<queue::Transition> Acknowledge(Worker& w, const queue::Filing& f,
                                             const queue::DocumentRecord& d) {
    if (auto done = w.Portal().CompleteOfficialDocument(d.arrive_id, d.notice_sub_id); !done) {
        return w.RetryLater(f, done.error(), "取得完了");
    }
    if (auto marked = w.store->MarkAcknowledged(d.id); !marked) {
        return w.RetryLater(f, marked.error(), "recording 取得完了");
    }
    return std::nullopt;
}

// One document: nullopt when it is done, else the transition that stops the filing here.
std::optional<queue::Transition> CollectOne(Worker& w, queue::Claim& c,
                                            const egov::OfficialDocumentRef& ref) {
    const queue::Filing& f = c.filing;
    auto known = w.store->FindDocument(f.arrive_id, ref.notice_sub_id);
    if (!known) {
        return w.RetryLater(f, known.error(), "reading the documents");
    }
    if (*known) {
        const queue::DocumentRecord& d = **known;
        if (d.state == "acknowledged") return std::nullopt;
        if (d.state == "quarantined") {
            return Dead(f, "公文書 " + std::to_string(d.notice_sub_id) + " is quarantined");
        }
        return Acknowledge(w, f, d);  // stored by an earlier try that did not get to 取得完了
    }
    auto downloaded = w.Portal().DownloadOfficialDocument(f.arrive_id, ref.notice_sub_id);
    if (!downloaded) {
        if (downloaded.error().code == ErrorCode::kUnavailable) {
            return w.RetryLater(f, downloaded.error(), "downloading 公文書");
        }
        return Dead(f, "公文書 " + std::to_string(ref.notice_sub_id) +
                           " cannot be downloaded (deadline " + ref.deadline +
                           "): " + downloaded.error().message);
    }
    const std::string& zip = downloaded->zip;
    // The signature first: nothing in the document is read before it verifies.
    auto report = signing::VerifyOfficialDocument(zip, w.shared.deps.government_ca, w.Now());
    const bool good = report.has_value();
    // A disk that refuses is not retried into success: the filing waits, nothing acked.
    auto sha = w.shared.vault.Put(zip, /*quarantine=*/!good);
    if (!sha) {
        return w.RetryLater(f, sha.error(), "storing 公文書");
    }
    queue::DocumentRecord d;
    d.arrive_id = f.arrive_id;
    d.notice_sub_id = ref.notice_sub_id;
    d.title = ref.title;
    d.sha256 = *sha;
    d.state = good ? "verified" : "quarantined";
    if (good) {
        d.signer = report->signature.signer.subject;
    }
    auto added = w.store->AddDocument(c, d);
    if (!added) {
        return w.RetryLater(f, added.error(), "recording 公文書");
    }
    if (!good) {
        return Dead(f, "公文書 " + std::to_string(ref.notice_sub_id) +
                           " failed verification and was quarantined: [" + report.error().field +
                           "] " + report.error().message);
    }
    MaybeCrash("after_document_stored");
    return Acknowledge(w, f, *added);
}

queue::Transition CollectCase(Worker& w, queue::Claim& c) {
    const queue::Filing& f = c.filing;
    auto found = w.Portal().GetCase(f.arrive_id);
    if (!found) {
        return w.RetryLater(f, found.error(), "listing the official documents");
    }
    for (const auto& ref : found->documents) {
        if (auto stop = CollectOne(w, c, ref)) {
            return *stop;
        }
    }
    queue::Transition t;
    if (found->documents.empty()) {
        t.to = FilingState::kUnderReview;  // nothing issued yet after all: keep following
        t.next_at = w.NextPoll(c.filing);
        return t;
    }
    t.to = FilingState::kCompleted;
    t.last_error = "";
    t.reason = std::to_string(found->documents.size()) +
               " official document(s) verified, stored and acknowledged";
    t.outbox.push_back(queue::FilingEvent(f, "completed", t.reason));
    return t;
}

// Appends one line and flushes it before the outbox entry is marked done (at least once:
// readers deduplicate by the filing and event).
Result<void> AppendEvent(Shared& s, const std::string& line) {
    std::lock_guard lock(s.events_mu);
    const std::string path = (s.config.data_dir / "events.jsonl").string();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        return Fail(ErrorCode::kUnavailable, "cannot open " + path, "events");
    }
    const std::string text = line + "\n";
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                    ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
        return Fail(ErrorCode::kUnavailable, "cannot write " + path, "events");
    }
    return Ok();
}

}  // namespace

Result<void> Collect(Worker& w, std::vector<queue::Claim>& claims) {
    TransitionEach(w, claims, [&w](queue::Claim& c) { return CollectCase(w, c); });
    return Ok();
}

Result<int> Deliver(Worker& w, int max) {
    TODOKE_ASSIGN_OR_RETURN(auto entries, w.store->ClaimOutbox(w.id, max, w.shared.config.lease));
    for (const auto& e : entries) {
        Result<void> done = Ok();
        if (e.kind == "deliver") {
            // The mailbox entry points at the vault: deliver only what is there and intact.
            boost::system::error_code ec;
            const auto body = boost::json::parse(e.body_json, ec);
            const auto* sha =
                !ec && body.is_object() ? body.as_object().if_contains("sha256") : nullptr;
            if (sha == nullptr || !sha->is_string()) {
                done = Fail(ErrorCode::kInternal, "deliver entry without a document", "outbox");
            } else if (auto bytes = w.shared.vault.Get(std::string(sha->as_string())); !bytes) {
                done = Fail(bytes.error());
            }
        } else {
            done = AppendEvent(w.shared, e.body_json);
        }
        if (done) {
            done = w.store->CompleteOutbox(e);
        } else {
            const TimePoint next =
                queue::NextTry(w.shared.config.retry, w.shared.config.maintenance, w.Now(),
                               e.failures + 1, 0, w.Random());
            (void)w.store->RetryOutbox(e, done.error().ToString(), next);
        }
        if (!done) {
            w.shared.Log(LogLevel::kWarn, w.id + ": outbox " + std::to_string(e.id) + ": " +
                                              done.error().ToString());
        }
    }
    return static_cast<int>(entries.size());
}

}  // namespace todoke::gateway::pipeline
