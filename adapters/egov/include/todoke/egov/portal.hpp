// The e-Gov API v2 as the gateway uses it (egov-api.md §2–§7, §15): typed calls that return
// Result. Errors:
//   kUnavailable     transport failure, timeout, 5xx, 503 (retryable; retry_after_seconds when
//                    the server said); also when the answer cannot be read
//   kNotFound        404 (no such case, notice or document)
//   kPermissionDenied the tokens are gone and a person must consent again (`todoke egov login`)
//   kInvalidArgument a request the client itself refuses to send
// A 400 from a submitting endpoint is not an error of the call: it comes back as a Submission
// whose `rejection` rows name the file and item, a final answer the caller must not retry.
// Nothing here retries a submission by itself: after a kUnavailable from Apply the case may or
// may not exist, and only FindArrivedCase (reconciliation) can tell.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"

namespace todoke::egov {

// Whether `id` has the shape of a 到達番号 (arrive_id): 16–18 half-width digits (egov-api.md
// §4).
bool IsArriveId(std::string_view id);

// Whether a call's error means the portal gave no answer at all: a transport failure or timeout,
// a 5xx, the token endpoint not answering. Any other outcome (a 400, a 404, an unreadable
// answer) came from a portal that is up. The pipeline's circuit breaker counts these.
bool IsUnanswered(const Error& e);

struct ReportRow {
    std::string form_name, attached_file_name, file_name, item, content;
};

struct Submission {
    std::string arrive_id;    // empty when rejected
    std::string arrive_date;  // "YYYY-MM-DD HH:MM:SS" (JST)
    std::string apply_type, proc_name, corporation_name, applicant_name;
    std::vector<ReportRow> rejection;  // the 400's report_list
    bool rejected() const { return !rejection.empty() || arrive_id.empty(); }
};

struct FormatCheck {
    std::int64_t error_count = 0;
    std::vector<ReportRow> rows;
};

struct OfficialDocumentRef {
    int notice_sub_id = 0;
    std::string title, issued, deadline, downloaded;  // downloaded: empty until 取得完了
};

struct NoticeRef {
    int notice_sub_id = 0;
    std::string type, title, issued, correct_deadline;
};

struct Case {
    std::string arrive_id, arrive_date, status, proc_name, corporation_name, applicant_name,
        send_number;
    bool withdraw_possible = false;
    std::vector<NoticeRef> notices;
    std::vector<OfficialDocumentRef> documents;
};

struct Notice {
    std::string arrive_id, type, correct_type, title, sentence, issued, correct_deadline;
    int notice_sub_id = 0;
};

struct DownloadedDocument {
    std::string zip;
    std::vector<std::string> file_names;
};

struct BulkSend {
    std::string send_number;  // 18 digits
    std::string send_date;
    std::int64_t apply_count = 0;
    std::vector<ReportRow> rejection;  // the send itself was refused (400)
};

struct BulkFolderResult {
    std::string folder_name, arrive_id, proc_name;  // arrive_id "-" when it did not arrive
    std::vector<ReportRow> rows;
};

struct BulkReport {
    std::string send_number;
    std::int64_t apply_count = 0, arrive_count = 0, error_count = 0;
    std::vector<BulkFolderResult> results;
    // Every folder has been taken by the portal's batch (egov-api.md §15).
    bool complete() const { return arrive_count + error_count == apply_count; }
};

struct ProcedureSkeleton {
    std::string zip;  // {proc_id}/kousei.xml, the forms, their schemas
    std::vector<std::string> configuration_files;
    std::vector<std::string> form_files;  // apply_file_name of each form
};

class Portal {
  public:
    virtual ~Portal() = default;
    virtual Result<Submission> Apply(const std::string& proc_id, const std::string& zip,
                                     bool trial = false) = 0;
    virtual Result<FormatCheck> Check(const std::string& proc_id, const std::string& zip) = 0;
    virtual Result<Submission> Amend(const std::string& arrive_id, const std::string& zip) = 0;
    virtual Result<Submission> Withdraw(const std::string& arrive_id, const std::string& zip) = 0;
    virtual Result<Case> GetCase(const std::string& arrive_id) = 0;
    // Every case that arrived in [from, to] (JST dates "YYYY-MM-DD"), newest first, all pages,
    // each case once.
    virtual Result<std::vector<Case>> ListCases(const std::string& from, const std::string& to) = 0;
    virtual Result<std::vector<Notice>> ListNotices(const std::string& from,
                                                    const std::string& to) = 0;
    virtual Result<Notice> GetNotice(const std::string& arrive_id, int notice_sub_id) = 0;
    virtual Result<DownloadedDocument> DownloadOfficialDocument(const std::string& arrive_id,
                                                                int notice_sub_id) = 0;
    virtual Result<void> CompleteOfficialDocument(const std::string& arrive_id,
                                                  int notice_sub_id) = 0;
    virtual Result<ProcedureSkeleton> GetProcedure(const std::string& proc_id) = 0;
    // 一括申請: a ZIP of application folders; they arrive later (poll GetBulkReport).
    virtual Result<BulkSend> BulkApply(const std::string& zip) = 0;
    virtual Result<BulkReport> GetBulkReport(const std::string& send_number) = 0;
    // e-Gov's own check of a 公文書 (POST /official_document/verify): its validation_result.
    virtual Result<std::string> VerifyAtPortal(const std::string& zip,
                                               const std::string& xml_name) = 0;
};

// Reconciliation after an ambiguous Apply (egov-api.md §15): the cases of procedure
// `proc_name` whose applicant and corporation match (each one given; at least one must be) and
// that arrived from `sent_at` - 5 minutes
// (clock skew) on, oldest first. Empty when the portal provably has none (the caller may send
// again); the caller excludes cases it already knows. An error when the portal could not be
// asked: then nothing may be sent.
Result<std::vector<Case>> FindArrivedCases(Portal& portal, const std::string& proc_name,
                                           const std::string& applicant_name,
                                           const std::string& corporation_name, TimePoint sent_at,
                                           TimePoint now);

}  // namespace todoke::egov
