// The e-Gov API v2 endpoints the gateway uses (egov-api.md), over the session of
// client_session.cpp: apply, amend, withdraw, the case and notice lists, 公文書, bulk sending.
#include <algorithm>
#include <boost/json.hpp>
#include <ranges>
#include <set>

#include "client_impl.hpp"
#include "wire.hpp"

namespace todoke::egov {
namespace {

namespace json = boost::json;
using detail::Int;
using detail::Rows;
using detail::Str;

Case ParseCase(const json::object& o) {
    Case c;
    c.arrive_id = Str(o, "arrive_id");
    c.arrive_date = Str(o, "arrive_date");
    c.status = Str(o, "status");
    c.proc_name = Str(o, "proc_name");
    c.corporation_name = Str(o, "corporation_name");
    c.applicant_name = Str(o, "applicant_name");
    c.send_number = Str(o, "send_number");
    const auto* w = o.if_contains("withdraw_flag");
    c.withdraw_possible = w != nullptr && w->is_bool() && w->as_bool();
    if (const auto* list = o.if_contains("notice_list"); list && list->is_array()) {
        for (const auto& n : list->as_array()) {
            if (!n.is_object()) {
                continue;
            }
            const auto& no = n.as_object();
            c.notices.push_back({Int(no, "notice_sub_id"), Str(no, "notice_data_type"),
                                 Str(no, "notice_title"), Str(no, "issue_date"),
                                 Str(no, "correct_expired_date")});
        }
    }
    if (const auto* list = o.if_contains("official_list"); list && list->is_array()) {
        for (const auto& d : list->as_array()) {
            if (!d.is_object()) {
                continue;
            }
            const auto& dobj = d.as_object();
            c.documents.push_back(
                {Int(dobj, "notice_sub_id"), Str(dobj, "doc_title"), Str(dobj, "allowed_date"),
                 Str(dobj, "doc_download_expired_date"), Str(dobj, "doc_download_date")});
        }
    }
    return c;
}

}  // namespace

Result<Submission> EgovClient::Apply(const std::string& proc_id, const std::string& zip,
                                     bool trial) {
    if (!detail::IsProcId(proc_id)) {
        return Fail(ErrorCode::kInvalidArgument, "proc_id must be 16 alphanumerics", "proc_id");
    }
    return impl_->Submit("/apply", Impl::SendBody("proc_id", proc_id, zip), trial);
}

Result<FormatCheck> EgovClient::Check(const std::string& proc_id, const std::string& zip) {
    TODOKE_ASSIGN_OR_RETURN(
        detail::HttpReply reply,
        impl_->Call("POST", "/apply/check", Impl::SendBody("proc_id", proc_id, zip)));
    if (reply.status != 200) {
        return Fail(ErrorCode::kInvalidArgument,
                    "/apply/check answered " + std::to_string(reply.status), "egov.check");
    }
    TODOKE_ASSIGN_OR_RETURN(json::object r, Impl::Results(reply, "/apply/check"));
    FormatCheck out;
    const auto* count = r.if_contains("error_count");
    out.error_count = count != nullptr && count->is_int64() ? count->as_int64() : 0;
    out.rows = Rows(json::value(r));
    return out;
}

Result<Submission> EgovClient::Amend(const std::string& arrive_id, const std::string& zip) {
    return impl_->Submit("/apply/amend", Impl::SendBody("arrive_id", arrive_id, zip), false);
}

Result<Submission> EgovClient::Withdraw(const std::string& arrive_id, const std::string& zip) {
    return impl_->Submit("/apply/withdraw", Impl::SendBody("arrive_id", arrive_id, zip), false);
}

Result<Case> EgovClient::GetCase(const std::string& arrive_id) {
    if (!IsArriveId(arrive_id)) {
        return Fail(ErrorCode::kInvalidArgument, "an 到達番号 is 16–18 digits", "arrive_id");
    }
    TODOKE_ASSIGN_OR_RETURN(detail::HttpReply reply, impl_->Call("GET", "/apply/" + arrive_id));
    TODOKE_ASSIGN_OR_RETURN(json::object r, Impl::Results(reply, "/apply/{arrive_id}"));
    return ParseCase(r);
}

Result<std::vector<Case>> EgovClient::ListCases(const std::string& from, const std::string& to) {
    TODOKE_ASSIGN_OR_RETURN(
        auto items,
        impl_->AllPages("/apply/lists?date_from=" + from + "&date_to=" + to, "apply_list"));
    // Pages are by offset, newest first: a case arriving between two pages shifts the later
    // ones, so the same case can come back twice. Each case is listed once.
    std::vector<Case> out;
    std::set<std::string> seen;
    out.reserve(items.size());
    for (const auto& item : items) {
        Case c = ParseCase(item);
        if (seen.insert(c.arrive_id).second) {
            out.push_back(std::move(c));
        }
    }
    return out;
}

Result<std::vector<Notice>> EgovClient::ListNotices(const std::string& from,
                                                    const std::string& to) {
    TODOKE_ASSIGN_OR_RETURN(
        auto items,
        impl_->AllPages("/notice/lists?date_from=" + from + "&date_to=" + to, "notice_list"));
    std::vector<Notice> out;
    out.reserve(items.size());
    for (const auto& item : items) {
        // The list carries no sentence, correct type or deadline: GetNotice has them.
        out.push_back({Str(item, "arrive_id"),
                       Str(item, "type"),
                       {},
                       Str(item, "title"),
                       {},
                       Str(item, "notice_issue_date"),
                       {},
                       Int(item, "notice_sub_id")});
    }
    return out;
}

Result<Notice> EgovClient::GetNotice(const std::string& arrive_id, int notice_sub_id) {
    TODOKE_ASSIGN_OR_RETURN(
        detail::HttpReply reply,
        impl_->Call("GET", "/notice/" + arrive_id + "/" + std::to_string(notice_sub_id)));
    TODOKE_ASSIGN_OR_RETURN(json::object r, Impl::Results(reply, "/notice"));
    const auto& o = r.at("notice").as_object();
    Notice n;
    n.arrive_id = arrive_id;
    n.notice_sub_id = notice_sub_id;
    n.type = Str(o, "notice_type");
    n.correct_type = Str(o, "correct_type");
    n.title = Str(o, "notice_title");
    n.sentence = Str(o, "notice_sentence");
    n.issued = Str(o, "notice_issue_date");
    n.correct_deadline = Str(o, "correct_expired_date");
    return n;
}

Result<DownloadedDocument> EgovClient::DownloadOfficialDocument(const std::string& arrive_id,
                                                                int notice_sub_id) {
    TODOKE_ASSIGN_OR_RETURN(detail::HttpReply reply,
                            impl_->Call("GET", "/official_document/" + arrive_id + "/" +
                                                   std::to_string(notice_sub_id)));
    if (reply.status == 400) {
        return Fail(ErrorCode::kRejected, "the 公文書 can no longer be taken: " + reply.body,
                    "egov.document_expired");
    }
    TODOKE_ASSIGN_OR_RETURN(json::object r, Impl::Results(reply, "/official_document"));
    DownloadedDocument d;
    TODOKE_ASSIGN_OR_RETURN(d.zip, Base64Decode(Str(r, "file_data")));
    if (const auto* list = r.if_contains("file_name_list"); list && list->is_array()) {
        for (const auto& f : list->as_array()) {
            d.file_names.push_back(Str(f.as_object(), "file_name"));
        }
    }
    return d;
}

Result<void> EgovClient::CompleteOfficialDocument(const std::string& arrive_id, int notice_sub_id) {
    TODOKE_ASSIGN_OR_RETURN(
        detail::HttpReply reply,
        impl_->Call("POST", "/official_document",
                    json::serialize(
                        json::object{{"arrive_id", arrive_id}, {"notice_sub_id", notice_sub_id}})));
    if (reply.status != 200) {
        return Fail(ErrorCode::kUnavailable, "取得完了 answered " + std::to_string(reply.status),
                    "egov.answer");
    }
    return Ok();
}

Result<ProcedureSkeleton> EgovClient::GetProcedure(const std::string& proc_id) {
    if (!detail::IsProcId(proc_id)) {
        return Fail(ErrorCode::kInvalidArgument, "proc_id must be 16 alphanumerics", "proc_id");
    }
    TODOKE_ASSIGN_OR_RETURN(detail::HttpReply reply, impl_->Call("GET", "/procedure/" + proc_id));
    TODOKE_ASSIGN_OR_RETURN(json::object r, Impl::Results(reply, "/procedure"));
    ProcedureSkeleton out;
    TODOKE_ASSIGN_OR_RETURN(out.zip, Base64Decode(Str(r, "file_data")));
    if (const auto* names = r.if_contains("configuration_file_name"); names && names->is_array()) {
        for (const auto& n : names->as_array()) {
            if (n.is_string()) {
                out.configuration_files.emplace_back(n.as_string());
            }
        }
    }
    if (const auto* info = r.if_contains("file_info"); info && info->is_array()) {
        for (const auto& f : info->as_array()) {
            out.form_files.push_back(Str(f.as_object(), "apply_file_name"));
        }
    }
    return out;
}

Result<BulkSend> EgovClient::BulkApply(const std::string& zip) {
    TODOKE_ASSIGN_OR_RETURN(
        detail::HttpReply reply,
        impl_->Call("POST", "/bulk-apply",
                    json::serialize(json::object{
                        {"send_file", json::object{{"file_name", "bulk.zip"},
                                                   {"file_data", Base64Encode(zip)}}}})));
    BulkSend out;
    if (reply.status == 400 || reply.status == 413) {
        boost::system::error_code ec;
        const auto v = json::parse(reply.body, ec);
        if (!ec && v.is_object()) {
            if (const auto* errors = v.as_object().if_contains("error");
                errors && errors->is_array()) {
                for (const auto& e : errors->as_array()) {
                    const auto& o = e.as_object();
                    out.rejection.push_back(
                        {"-", "-", Str(o, "errorFile"), Str(o, "errorFolder"), Str(o, "content")});
                }
            }
        }
        if (out.rejection.empty()) {
            out.rejection.push_back({"-", "-", "-", "-", "HTTP " + std::to_string(reply.status)});
        }
        return out;
    }
    if (reply.status != 202) {
        return Fail(ErrorCode::kUnavailable, "/bulk-apply answered " + std::to_string(reply.status),
                    "egov.answer");
    }
    TODOKE_ASSIGN_OR_RETURN(json::object r, Impl::Results(reply, "/bulk-apply"));
    out.send_number = Str(r, "send_number");
    out.send_date = Str(r, "send_date");
    const auto* count = r.if_contains("apply_count");
    out.apply_count = count != nullptr && count->is_int64() ? count->as_int64() : 0;
    return out;
}

Result<BulkReport> EgovClient::GetBulkReport(const std::string& send_number) {
    if (!detail::IsSendNumber(send_number)) {
        return Fail(ErrorCode::kInvalidArgument, "a 送信番号 is 18 digits", "send_number");
    }
    TODOKE_ASSIGN_OR_RETURN(detail::HttpReply reply,
                            impl_->Call("GET", "/apply/report?send_number=" + send_number));
    TODOKE_ASSIGN_OR_RETURN(json::object r, Impl::Results(reply, "/apply/report"));
    const auto* infos = r.if_contains("error_report_info");
    if (infos == nullptr || !infos->is_array() || infos->as_array().empty()) {
        return Fail(ErrorCode::kNotFound, "no report for " + send_number, "egov.not_found");
    }
    const auto& info = infos->as_array().front().as_object();
    BulkReport out;
    out.send_number = send_number;
    const auto number = [&](const char* key) {
        const auto* v = info.if_contains(key);
        return v != nullptr && v->is_int64() ? v->as_int64() : 0;
    };
    out.apply_count = number("apply_count");
    out.arrive_count = number("arrive_count");
    out.error_count = number("error_count");
    if (const auto* list = info.if_contains("result"); list && list->is_array()) {
        for (const auto& item : list->as_array()) {
            const auto& o = item.as_object();
            out.results.push_back(
                {Str(o, "folder_name"), Str(o, "arrive_id"), Str(o, "proc_name"), Rows(item)});
        }
    }
    return out;
}

Result<std::string> EgovClient::VerifyAtPortal(const std::string& zip,
                                               const std::string& xml_name) {
    TODOKE_ASSIGN_OR_RETURN(
        detail::HttpReply reply,
        impl_->Call("POST", "/official_document/verify",
                    json::serialize(json::object{{"file_name", "official.zip"},
                                                 {"file_data", Base64Encode(zip)},
                                                 {"sig_verification_xml_file_name", xml_name}})));
    TODOKE_ASSIGN_OR_RETURN(json::object r, Impl::Results(reply, "/official_document/verify"));
    const auto* list = r.if_contains("verify_result");
    if (list == nullptr || !list->is_array() || list->as_array().empty()) {
        return Fail(ErrorCode::kUnavailable, "no verify_result", "egov.answer");
    }
    return Str(list->as_array().front().at("official").as_object(), "validation_result");
}

Result<std::vector<Case>> FindArrivedCases(Portal& portal, const std::string& proc_name,
                                           const std::string& applicant_name,
                                           const std::string& corporation_name, TimePoint sent_at,
                                           TimePoint now) {
    const TimePoint from_time = sent_at - std::chrono::minutes(5);
    TODOKE_ASSIGN_OR_RETURN(auto cases,
                            portal.ListCases(FormatJstDate(from_time - std::chrono::hours(24)),
                                             FormatJstDate(now + std::chrono::hours(24))));
    const std::string earliest = FormatJstDateTime(from_time);
    std::reverse(cases.begin(), cases.end());  // oldest first
    std::vector<Case> out;
    for (const auto& it : cases) {
        // Every name given must match; at least one must be given.
        const bool who = (!applicant_name.empty() || !corporation_name.empty()) &&
                         (applicant_name.empty() || it.applicant_name == applicant_name) &&
                         (corporation_name.empty() || it.corporation_name == corporation_name);
        if (it.proc_name == proc_name && who && it.arrive_date >= earliest) {
            out.push_back(it);
        }
    }
    return out;
}

}  // namespace todoke::egov
