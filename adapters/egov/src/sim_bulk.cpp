// 一括申請 in the simulator (egov-api.md §6.4, §6.10): POST /bulk-apply answers 202 with a
// send_number at once; the folders arrive later, in a batch that runs bulk_after_s virtual
// seconds after the send, each folder checked as a single /apply would be. Until then
// /apply/lists?send_number= is empty and /apply/report has no results.
#include "sim_core.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/common/zip.hpp"

namespace todoke::egov::detail {
namespace {

HttpResponse BulkError(int status, const std::string& content, const std::string& instance) {
    auto body = Problem("申請データbulk送信", "申請データにエラーがあります", instance);
    body["error_count"] = 1;
    body["error"] = boost::json::array{
        boost::json::object{{"errorFolder", "-"}, {"errorFile", "-"}, {"content", content}}};
    return Json(status, body);
}

}  // namespace

HttpResponse SimCore::BulkApply(const HttpRequest& r) {
    const std::string instance = std::string(kApi) + "/bulk-apply";
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(r.body, ec);
    const auto* o = !ec ? parsed.if_object() : nullptr;
    const auto* file = o != nullptr ? o->if_contains("send_file") : nullptr;
    if (file == nullptr || !file->is_object()) {
        return BulkError(400, "送信ファイルが指定されていません", instance);
    }
    const auto& f = file->as_object();
    const std::string file_name = f.contains("file_name") && f.at("file_name").is_string()
                                      ? std::string(f.at("file_name").as_string())
                                      : "";
    auto zip = f.contains("file_data") && f.at("file_data").is_string()
                   ? Base64Decode(f.at("file_data").as_string())
                   : Result<std::string>(Fail(ErrorCode::kInvalidArgument, "none"));
    if (!zip || file_name.find(".zip") == std::string::npos) {
        return BulkError(400, "ZIP形式のファイルをBase64形式で指定してください", instance);
    }
    auto reader = ZipReader::Open(*zip, {});
    if (!reader) {
        return BulkError(400, "ZIPファイルを読み取れません", instance);
    }
    std::set<std::string> folders;
    for (const auto& e : reader->entries()) {
        const auto slash = e.name.find('/');
        if (slash == std::string::npos) {
            return BulkError(400, "申請フォルダの外にファイルがあります（" + e.name + "）",
                             instance);
        }
        folders.insert(e.name.substr(0, slash));
    }
    if (folders.empty() || folders.size() > 9999) {
        return BulkError(400, "申請フォルダは1〜9999件です", instance);
    }
    const bool trial = r.Header("x-egovapi-trial") == "true";
    const std::int64_t now = VirtualNow();
    auto count = db_.Prepare("SELECT COUNT(*) FROM sends");
    const auto row = count ? count->Step() : Result<bool>(false);
    char serial[8];
    std::snprintf(serial, sizeof serial, "%04lld",
                  static_cast<long long>(((row && *row) ? count->Int64(0) : 0) % 10000 + 1));
    const std::string send_number =
        FormatJstCompact(std::chrono::system_clock::from_time_t(now)) + serial;
    if (!trial) {
        auto insert = db_.Prepare(
            "INSERT INTO sends (send_number, send_at, file_name, apply_count, zip, processed) "
            "VALUES (?1, ?2, ?3, ?4, ?5, 0)");
        if (!insert || !insert->Bind(1, send_number)
                            .Bind(2, now)
                            .Bind(3, file_name)
                            .Bind(4, static_cast<std::int64_t>(folders.size()))
                            .BindBlob(5, *zip)
                            .Run()) {
            return BulkError(500, "サーバ内部でエラーが発生", instance);
        }
    }
    bulk_pending_ = bulk_pending_ || !trial;
    auto envelope =
        Envelope("申請データbulk送信", instance,
                 {{"send_number", send_number},
                  {"send_date", FormatJstDateTime(std::chrono::system_clock::from_time_t(now))},
                  {"file_name", file_name},
                  {"apply_count", folders.size()}});
    const std::string base = base_url + std::string(kApi);
    envelope["_links"] = boost::json::object{
        {"self", boost::json::object{{"href", base + "/bulk-apply"}}},
        {"list", boost::json::object{{"href", base + "/apply/lists?send_number=" + send_number}}},
        {"report",
         boost::json::object{{"href", base + "/apply/report?send_number=" + send_number}}}};
    return Json(202, envelope);
}

// The batch: every send older than bulk_after_s is split into its folders, each checked and
// recorded as a case (with the send_number) or as a report row set.
Result<void> SimCore::RunBulkBatch() {
    if (!bulk_pending_) {
        return Ok();  // the common case: no query on every request
    }
    const std::int64_t now = VirtualNow();
    TODOKE_ASSIGN_OR_RETURN(auto due,
                            db_.Prepare("SELECT send_number, zip FROM sends WHERE processed = 0 "
                                        "AND send_at <= ?1 ORDER BY send_at"));
    due.Bind(1, now - config_.bulk_after_s);
    std::vector<std::pair<std::string, std::string>> sends;
    for (;;) {
        TODOKE_ASSIGN_OR_RETURN(bool row, due.Step());
        if (!row) {
            break;
        }
        sends.emplace_back(due.Text(0), due.Text(1));
    }
    for (const auto& [send_number, zip] : sends) {
        TODOKE_ASSIGN_OR_RETURN(ZipReader reader, ZipReader::Open(zip, {}));
        std::map<std::string, std::vector<ZipWriteEntry>> folders;
        for (const auto& e : reader.entries()) {
            const auto slash = e.name.find('/');
            const std::string folder = e.name.substr(0, slash);
            // "{proc_id}(n)/" folders (the v1 naming) hold one application of {proc_id}.
            const std::string proc_id = folder.substr(0, folder.find('('));
            std::string data;
            if (!e.is_directory) {
                TODOKE_ASSIGN_OR_RETURN(data, reader.Read(e.name));
            }
            folders[folder].push_back({proc_id + e.name.substr(slash), std::move(data)});
        }
        for (auto& [folder, entries] : folders) {
            const std::string proc_id = folder.substr(0, folder.find('('));
            TODOKE_ASSIGN_OR_RETURN(std::string single, WriteZip(entries));
            PackageCheck check = CheckZip(std::move(single), proc_id, "apply", "新規申請", now);
            std::string arrive_id = "-";
            if (check.rows.empty()) {
                SimCase c = check.draft;  // the report row below still needs its proc_name
                c.arrive_at = now;
                c.send_number = send_number;
                TODOKE_ASSIGN_OR_RETURN(c.arrive_id, NextArriveId(c.proc_id, now));
                TODOKE_ASSIGN_OR_RETURN(c.seq, NextSeq(c.proc_id));
                TODOKE_RETURN_IF_ERROR(InsertCase(c, check.zip));
                arrive_id = c.arrive_id;
            }
            TODOKE_ASSIGN_OR_RETURN(
                auto result, db_.Prepare("INSERT INTO send_results VALUES (?1, ?2, ?3, ?4, ?5)"));
            TODOKE_RETURN_IF_ERROR(result.Bind(1, send_number)
                                       .Bind(2, folder)
                                       .Bind(3, arrive_id)
                                       .Bind(4, check.draft.proc_name)
                                       .Bind(5, boost::json::serialize(ReportList(check.rows)))
                                       .Run());
        }
        TODOKE_ASSIGN_OR_RETURN(
            auto done, db_.Prepare("UPDATE sends SET processed = 1 WHERE send_number = ?1"));
        TODOKE_RETURN_IF_ERROR(done.Bind(1, send_number).Run());
    }
    TODOKE_ASSIGN_OR_RETURN(auto left,
                            db_.Prepare("SELECT COUNT(*) FROM sends WHERE processed = 0"));
    TODOKE_ASSIGN_OR_RETURN(bool row, left.Step());
    bulk_pending_ = row && left.Int64(0) > 0;
    return Ok();
}

HttpResponse SimCore::BulkReport(const HttpRequest& r) {
    const std::string instance = std::string(kApi) + "/apply/report";
    const auto q = [&](const char* k) {
        const auto it = r.query.find(k);
        return it == r.query.end() ? std::string() : it->second;
    };
    const std::string send_number = q("send_number");
    auto sends = db_.Prepare(
        send_number.empty()
            ? "SELECT send_number, send_at, file_name, apply_count, processed FROM sends "
              "ORDER BY send_at DESC LIMIT 30"
            : "SELECT send_number, send_at, file_name, apply_count, processed FROM sends "
              "WHERE send_number = ?1");
    if (!sends) {
        return Json(500, Problem("エラーレポート取得", "サーバ内部でエラーが発生", instance));
    }
    if (!send_number.empty()) {
        if (!IsSendNumber(send_number)) {
            return Json(400, Problem("エラーレポート取得", "送信番号は半角数字18桁です", instance));
        }
        sends->Bind(1, send_number);
    }
    boost::json::array infos;
    for (;;) {
        auto row = sends->Step();
        if (!row || !*row) {
            break;
        }
        const std::string number = sends->Text(0);
        boost::json::array results;
        std::int64_t arrived = 0, errors = 0;
        if (sends->Int64(4) != 0) {  // processed: results exist
            auto q2 = db_.Prepare(
                "SELECT folder_name, arrive_id, proc_name, report FROM send_results "
                "WHERE send_number = ?1 ORDER BY folder_name");
            if (q2) {
                q2->Bind(1, number);
                for (;;) {
                    auto r2 = q2->Step();
                    if (!r2 || !*r2) {
                        break;
                    }
                    const std::string id = q2->Text(1);
                    auto found =
                        id == "-" ? Result<std::optional<SimCase>>(std::nullopt) : FindCase(id);
                    (id == "-" ? errors : arrived) += 1;
                    boost::json::value rows = boost::json::parse(q2->Text(3));
                    for (auto& item : rows.as_array()) {
                        item.as_object()["detail"] = item.as_object()["content"];
                    }
                    results.push_back(boost::json::object{
                        {"arrive_id", id},
                        {"arrive_date",
                         found && *found ? FormatJstDateTime(std::chrono::system_clock::from_time_t(
                                               (*found)->arrive_at))
                                         : std::string("-")},
                        {"proc_name", q2->Text(2)},
                        {"folder_name", q2->Text(0)},
                        {"report_list", rows}});
                }
            }
        }
        infos.push_back(boost::json::object{
            {"send_number", number},
            {"send_date",
             FormatJstDateTime(std::chrono::system_clock::from_time_t(sends->Int64(1)))},
            {"file_name", sends->Text(2)},
            {"apply_count", sends->Int64(3)},
            {"arrive_count", arrived},
            {"error_count", errors},
            {"result", std::move(results)}});
    }
    return Json(
        200, Envelope("エラーレポート取得", instance, {{"error_report_info", std::move(infos)}}));
}

}  // namespace todoke::egov::detail
