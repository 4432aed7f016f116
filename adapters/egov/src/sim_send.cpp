// The sending endpoints of the simulator (egov-api.md §6.1–§6.6): /apply and /apply/check,
// /apply/amend (部分補正), /apply/withdraw (取下げ依頼) and the application skeleton of
// /procedure/{proc_id}. The package checks themselves: sim_checks.cpp.
#include <optional>

#include "sim_core.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/forms/catalogue.hpp"
#include "todoke/forms/package.hpp"

namespace todoke::egov::detail {
namespace {

// The body of /apply/amend and /apply/withdraw: a JSON object with the arrive_id of the case;
// `refused` holds the 400 answer to one that names no case.
struct CaseBody {
    std::optional<HttpResponse> refused;
    boost::json::value parsed;
    std::string id;
    const boost::json::object& object() const { return parsed.as_object(); }
};

CaseBody ReadCaseBody(const HttpRequest& r, std::string_view title, const std::string& instance) {
    CaseBody out;
    boost::system::error_code ec;
    out.parsed = boost::json::parse(r.body, ec);
    const auto* o = !ec ? out.parsed.if_object() : nullptr;
    const auto* id = o != nullptr ? o->if_contains("arrive_id") : nullptr;
    if (id == nullptr || !id->is_string() || !IsArriveId(id->as_string())) {
        out.refused =
            Json(400, Problem(std::string(title), "到達番号は半角数字16〜18桁です", instance,
                              {{"-", "-", "-", "arrive_id", "到達番号を指定してください"}}));
        return out;
    }
    out.id = std::string(id->as_string());
    return out;
}

}  // namespace

HttpResponse SimCore::Apply(const HttpRequest& r, bool check_only) {
    const std::string instance = std::string(kApi) + (check_only ? "/apply/check" : "/apply");
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(r.body, ec);
    if (ec || !parsed.is_object()) {
        return Json(400, Problem("申請データ送信", "リクエストの形式に誤りがあります", instance,
                                 {{"-", "-", "-", "-", "JSON形式で指定してください"}}));
    }
    const std::int64_t now = VirtualNow();
    PackageCheck check =
        CheckPackage(parsed.as_object(), check_only ? "check" : "apply", "新規申請 再提出", now);
    if (check_only) {
        return Json(200,
                    Envelope("形式チェック実行", instance,
                             {{"message", check.rows.empty() ? "形式チェックでエラーはありません"
                                                             : "形式チェックでエラーがあります"},
                              {"error_count", check.rows.size()},
                              {"report_list", ReportList(check.rows)}}));
    }
    if (!check.rows.empty()) {
        return Json(
            400, Problem("申請データ送信", "申請データにエラーがあります", instance, check.rows));
    }
    const bool trial = r.Header("x-egovapi-trial") == "true";
    SimCase c = std::move(check.draft);
    c.arrive_at = now;
    if (!trial) {
        auto id = NextArriveId(c.proc_id, now);
        auto seq = NextSeq(c.proc_id);
        if (!id || !seq) {
            return Json(500, Problem("申請データ送信", "サーバ内部でエラーが発生", instance));
        }
        c.seq = *seq;
        c.arrive_id = *id;
        int every = config_.amendment_every;
        for (const auto& script : config_.scripts) {
            if (script.proc_id == c.proc_id) {
                every = script.amendment_every;
                c.correct_type = script.correct_type;
            }
        }
        c.amendment = every > 0 && c.seq % every == 0 && c.apply_type == "新規申請";
        if (auto stored = InsertCase(c, check.zip); !stored) {
            return Json(500, Problem("申請データ送信", "サーバ内部でエラーが発生", instance));
        }
        if (c.apply_type == "再提出") {
            (void)MarkCase(c.first_arrive_id, "amended_at", now);
        }
        if (auto lost = AnswerLost()) {
            return *lost;  // the case is recorded
        }
    } else {
        c.arrive_id = c.proc_id.substr(0, 3) + "0000000000000";  // nothing is kept on trial
    }
    boost::json::object results{
        {"arrive_id", c.arrive_id},
        {"arrive_date", FormatJstDateTime(std::chrono::system_clock::from_time_t(now))},
        {"corporation_name", c.corporation_name},
        {"applicant_name", c.applicant_name},
        {"apply_type", c.apply_type},
        {"proc_name", c.proc_name},
        {"ministry_name", "シミュレータ省"},
        {"submission_destination", c.destination},
        {"apply_form", boost::json::object{{"form", boost::json::array{}},
                                           {"attached_file", boost::json::array{}}}}};
    auto envelope = Envelope("申請データ送信", instance, std::move(results));
    envelope["_links"] = boost::json::object{
        {"self", boost::json::object{{"href", base_url + instance}}},
        {"status",
         boost::json::object{{"href", base_url + std::string(kApi) + "/apply/" + c.arrive_id}}}};
    return Json(200, envelope);
}

// 手続選択 (egov-api.md §6.1): the skeleton ZIP of a procedure of the catalogue.
HttpResponse SimCore::Skeleton(std::string_view proc_id) {
    const forms::Procedure* procedure = nullptr;
    for (const auto& p : forms::Catalogue::Default().procedures()) {
        if (p.proc_id == proc_id) {
            procedure = &p;
        }
    }
    if (procedure == nullptr) {
        return NoBody(404);
    }
    const std::string instance = std::string(kApi) + "/procedure/" + std::string(proc_id);
    auto files = forms::RenderSkeleton(*procedure);
    auto zip = files ? forms::ZipApplication(*files) : Result<std::string>(Fail(files.error()));
    if (!zip) {
        return Json(500, Problem("手続選択", "サーバ内部でエラーが発生", instance));
    }
    const std::string form_id(procedure->form_id);
    boost::json::array info{
        boost::json::object{{"form_id", form_id},
                            {"form_version", std::stoi(std::string(procedure->form_version))},
                            {"form_name", procedure->form_name},
                            {"apply_file_name", form_id + "_01.xml"},
                            {"xsl_file_name", form_id + ".xsl"},
                            {"server_check_file_name", form_id + "check.xml"},
                            {"schema_file_name", form_id + ".xsd"},
                            {"style_indication_file", ""}}};
    return Json(200, Envelope("手続選択", instance,
                              {{"file_data", Base64Encode(*zip)},
                               {"configuration_file_name", boost::json::array{"kousei.xml"}},
                               {"file_info", std::move(info)}}));
}

// 部分補正 (egov-api.md §6.5): only for a case waiting for it, with 初回受付番号 = that case.
HttpResponse SimCore::Amend(const HttpRequest& r) {
    const std::string instance = std::string(kApi) + "/apply/amend";
    const CaseBody body = ReadCaseBody(r, "補正データ送信", instance);
    if (body.refused) return *body.refused;
    const std::string& id = body.id;
    const std::int64_t now = VirtualNow();
    PackageCheck check = CheckPackage(body.object(), "amend", "部分補正", now);
    if (check.rows.empty() && check.draft.first_arrive_id != id) {
        check.rows.push_back({"-", "-", "kousei.xml", "初回受付番号",
                              "構成管理XML.初回受付番号が補正対象の到達番号と一致しません"});
    }
    if (!check.rows.empty()) {
        return Json(
            400, Problem("補正データ送信", "補正データにエラーがあります", instance, check.rows));
    }
    (void)MarkCase(id, "amended_at", now);
    return Json(
        200,
        Envelope("補正データ送信", instance,
                 {{"arrive_id", id},
                  {"amend_date", FormatJstDateTime(std::chrono::system_clock::from_time_t(now))}}));
}

// 取下げ依頼 (egov-api.md §6.6, §9.3): possible while the case is 到達 or 審査中.
HttpResponse SimCore::Withdraw(const HttpRequest& r) {
    const std::string instance = std::string(kApi) + "/apply/withdraw";
    const CaseBody body = ReadCaseBody(r, "取り下げ依頼送信", instance);
    if (body.refused) return *body.refused;
    const std::string& id = body.id;
    const std::int64_t now = VirtualNow();
    PackageCheck check = CheckPackage(body.object(), "withdraw", "取下げ依頼", now);
    auto target = FindCase(id);
    if (check.rows.empty()) {
        if (check.draft.first_arrive_id != id) {
            check.rows.push_back({"-", "-", "kousei.xml", "初回受付番号",
                                  "構成管理XML.初回受付番号が取下げ対象の到達番号と一致しません"});
        } else if (!target || !*target) {
            return NoBody(404);
        } else if (const std::string status = StatusOf(**target, now);
                   status != "到達" && status != "審査中") {
            check.rows.push_back({"-", "-", "kousei.xml", "初回受付番号",
                                  "この申請案件は取り下げできません（" + status + "）"});
        }
    }
    // Every 取下げ依頼 that names a known case is logged, taken or refused: tests count them.
    if (target && *target) {
        if (auto log = db_.Prepare(
                "INSERT INTO withdraw_requests (arrive_id, at, accepted) VALUES (?1, ?2, ?3)")) {
            (void)log->Bind(1, id)
                .Bind(2, now)
                .Bind(3, std::int64_t{check.rows.empty() ? 1 : 0})
                .Run();
        }
    }
    if (!check.rows.empty()) {
        boost::json::array rows;  // BadRequest_Report_withdraw: file_name, item, content
        for (const auto& row : check.rows) {
            rows.push_back(boost::json::object{
                {"file_name", row.file_name}, {"item", row.item}, {"content", row.content}});
        }
        auto problem = Problem("取り下げ依頼送信", "取下げ依頼データにエラーがあります", instance);
        problem["report_list"] = std::move(rows);
        return Json(400, problem);
    }
    (void)MarkCase(id, "withdrawn_at", now);
    if (auto lost = AnswerLost()) {
        return *lost;  // the 取下げ依頼 is recorded
    }
    const SimCase& c = **target;
    return Json(
        200,
        Envelope("取り下げ依頼送信", instance,
                 {{"arrive_id", c.arrive_id},
                  {"withdraw_date", FormatJstDateTime(std::chrono::system_clock::from_time_t(now))},
                  {"applicant_name", c.applicant_name},
                  {"proc_name", c.proc_name},
                  {"ministry_name", "シミュレータ省"},
                  {"corporation_name", c.corporation_name},
                  {"submission_destination", c.destination}}));
}

}  // namespace todoke::egov::detail
