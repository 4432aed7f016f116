// The API of the simulator under /shinsei/v2 (egov-api.md §3–§7): routing, faults, envelopes,
// error shapes, cases and the operator endpoints under /_sim. Package checks: sim_checks.cpp.
#include "sim_core.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/forms/catalogue.hpp"
#include "todoke/forms/package.hpp"

namespace todoke::egov::detail {
namespace {

constexpr std::string_view kApi = "/shinsei/v2";

bool AllDigits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
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
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(r.body, ec);
    const auto* o = !ec ? parsed.if_object() : nullptr;
    const auto* id = o != nullptr ? o->if_contains("arrive_id") : nullptr;
    if (id == nullptr || !id->is_string() || !IsArriveId(id->as_string())) {
        return Json(400, Problem("補正データ送信", "到達番号は半角数字16〜18桁です", instance,
                                 {{"-", "-", "-", "arrive_id", "到達番号を指定してください"}}));
    }
    const std::int64_t now = VirtualNow();
    PackageCheck check = CheckPackage(*o, "amend", "部分補正", now);
    if (check.rows.empty() && check.draft.first_arrive_id != id->as_string()) {
        check.rows.push_back({"-", "-", "kousei.xml", "初回受付番号",
                              "構成管理XML.初回受付番号が補正対象の到達番号と一致しません"});
    }
    if (!check.rows.empty()) {
        return Json(
            400, Problem("補正データ送信", "補正データにエラーがあります", instance, check.rows));
    }
    (void)MarkCase(id->as_string(), "amended_at", now);
    return Json(
        200,
        Envelope("補正データ送信", instance,
                 {{"arrive_id", id->as_string()},
                  {"amend_date", FormatJstDateTime(std::chrono::system_clock::from_time_t(now))}}));
}

// 取下げ依頼 (egov-api.md §6.6, §9.3): possible while the case is 到達 or 審査中.
HttpResponse SimCore::Withdraw(const HttpRequest& r) {
    const std::string instance = std::string(kApi) + "/apply/withdraw";
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(r.body, ec);
    const auto* o = !ec ? parsed.if_object() : nullptr;
    const auto* id = o != nullptr ? o->if_contains("arrive_id") : nullptr;
    if (id == nullptr || !id->is_string() || !IsArriveId(id->as_string())) {
        return Json(400, Problem("取り下げ依頼送信", "到達番号は半角数字16〜18桁です", instance,
                                 {{"-", "-", "-", "arrive_id", "到達番号を指定してください"}}));
    }
    const std::int64_t now = VirtualNow();
    PackageCheck check = CheckPackage(*o, "withdraw", "取下げ依頼", now);
    auto target = FindCase(id->as_string());
    if (check.rows.empty()) {
        if (check.draft.first_arrive_id != id->as_string()) {
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
            (void)log->Bind(1, id->as_string())
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
    (void)MarkCase(id->as_string(), "withdrawn_at", now);
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

HttpResponse SimCore::CaseDetail(const HttpRequest&, std::string_view arrive_id) {
    if (!IsArriveId(arrive_id)) {
        return NoBody(404);
    }
    auto found = FindCase(arrive_id);
    if (!found || !*found) {
        return NoBody(404);
    }
    const std::string instance = std::string(kApi) + "/apply/" + std::string(arrive_id);
    return Json(200, Envelope("申請案件取得", instance, CaseJson(**found, VirtualNow())));
}

HttpResponse SimCore::CaseList(const HttpRequest& r) {
    const std::string instance = std::string(kApi) + "/apply/lists";
    const auto q = [&](const char* k) {
        const auto it = r.query.find(k);
        return it == r.query.end() ? std::string() : it->second;
    };
    const std::int64_t now = VirtualNow();
    std::vector<SimCase> cases;
    const std::string send_number = q("send_number");
    int limit = 50, page = 0;
    if (!send_number.empty()) {
        if (!IsSendNumber(send_number)) {
            return Json(400, Problem("申請案件一覧取得", "送信番号は半角数字18桁です", instance));
        }
        // Only bulk sends have send numbers; single /apply cases show "-" (§6.4). Before the
        // batch has taken the send, the list is empty.
        auto listed = ListCasesOfSend(send_number);
        if (!listed) {
            return Json(500, Problem("申請案件一覧取得", "サーバ内部でエラーが発生", instance));
        }
        cases = std::move(*listed);
    } else {
        const auto parse_date = [](const std::string& d) -> std::optional<std::int64_t> {
            int y = 0, m = 0, day = 0;
            if (d.size() != 10 || std::sscanf(d.c_str(), "%4d-%2d-%2d", &y, &m, &day) != 3) {
                return std::nullopt;
            }
            std::tm tm{};
            tm.tm_year = y - 1900;
            tm.tm_mon = m - 1;
            tm.tm_mday = day;
            return static_cast<std::int64_t>(timegm(&tm)) - std::int64_t{9} * 3600;  // JST midnight
        };
        const auto from = parse_date(q("date_from"));
        const auto to = parse_date(q("date_to"));
        const std::string limit_text = q("limit"), offset_text = q("offset");
        if (!from || !to || *to < *from || !AllDigits(limit_text) || !AllDigits(offset_text)) {
            return Json(400,
                        Problem("申請案件一覧取得",
                                "date_from, date_to (YYYY-MM-DD), limit, offset を指定してください",
                                instance));
        }
        limit = std::stoi(limit_text.substr(0, 4));
        const int offset = std::stoi(offset_text.substr(0, 6));
        if (limit < 1 || limit > 50 || offset > 9999) {
            return Json(400, Problem("申請案件一覧取得", "limit は1〜50です", instance));
        }
        page = offset == 0 ? 0 : offset - 1;  // 0 and 1 both mean the first page (§3.4)
        auto listed = ListCases(*from, *to + 86400);
        if (!listed) {
            return Json(500, Problem("申請案件一覧取得", "サーバ内部でエラーが発生", instance));
        }
        cases = std::move(*listed);
    }
    const std::size_t all = cases.size();
    const std::size_t begin = std::min(all, static_cast<std::size_t>(page) * limit);
    const std::size_t end = std::min(all, begin + static_cast<std::size_t>(limit));
    boost::json::array list;
    for (std::size_t i = begin; i < end; ++i) {
        auto item = CaseJson(cases[i], now);
        item["no"] = i + 1;
        item["send_number"] = cases[i].send_number;
        item["send_date"] =
            FormatJstDateTime(std::chrono::system_clock::from_time_t(cases[i].arrive_at));
        list.push_back(std::move(item));
    }
    auto envelope = Envelope("申請案件一覧取得", instance, {{"apply_list", std::move(list)}});
    envelope["resultset"] = boost::json::object{
        {"all_count", all}, {"limit", limit}, {"offset", page}, {"count", end - begin}};
    boost::json::object links{{"self", boost::json::object{{"href", base_url + r.target}}}};
    if (send_number.empty()) {
        const auto page_link = [&](int p) {
            return base_url + instance + "?date_from=" + q("date_from") +
                   "&date_to=" + q("date_to") + "&limit=" + std::to_string(limit) +
                   "&offset=" + std::to_string(p + 1);
        };
        if (page > 0) {
            links["previous"] = boost::json::object{{"href", page_link(page - 1)}};
        }
        if (end < all) {
            links["next"] = boost::json::object{{"href", page_link(page + 1)}};
        }
    }
    envelope["_links"] = std::move(links);
    return Json(200, envelope);
}

HttpResponse SimCore::Clock(const HttpRequest& r) {
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(r.body, ec);
    const auto* o = !ec ? parsed.if_object() : nullptr;
    const auto* advance = o != nullptr ? o->if_contains("advance_seconds") : nullptr;
    if (advance == nullptr || !advance->is_int64() || advance->as_int64() < 0) {
        return Json(400,
                    Problem("_sim/clock", "advance_seconds: a whole number >= 0", "/_sim/clock"));
    }
    AdvanceClock(advance->as_int64());
    const std::int64_t now = VirtualNow();
    return Json(200, boost::json::object{
                         {"now", FormatJstDateTime(std::chrono::system_clock::from_time_t(now))},
                         {"unix", now}});
}

HttpResponse SimCore::HandleApi(const HttpRequest& r) {
    std::lock_guard lock(mutex_);
    const std::string path = r.path.substr(kApi.size());
    if (path == "/_sim/clock" && r.method == "POST") {
        return Clock(r);  // operator endpoints: no token, loopback only
    }
    if (path == "/_sim/faults" && r.method == "POST") {
        // Faults at run time: the members of SimulatorFaults, numbers as JSON numbers; a
        // member left out keeps its value; "seed" restarts the generator.
        boost::system::error_code ec;
        const auto parsed = boost::json::parse(r.body, ec);
        if (ec || !parsed.is_object()) {
            return Json(400, Problem("_sim/faults", "a JSON object", "/_sim/faults"));
        }
        auto& f = config_.faults;
        for (const auto& [key, value] : parsed.as_object()) {
            const double number = value.is_double()   ? value.as_double()
                                  : value.is_int64()  ? static_cast<double>(value.as_int64())
                                  : value.is_uint64() ? static_cast<double>(value.as_uint64())
                                                      : -1;
            const bool share = number >= 0 && number <= 1;
            if (key == "error_500" && share) {
                f.error_500 = number;
            } else if (key == "error_503" && share) {
                f.error_503 = number;
            } else if (key == "drop_after_record" && share) {
                f.drop_after_record = number;
            } else if (key == "slow" && share) {
                f.slow = number;
            } else if (key == "slow_ms" && number >= 0) {
                f.slow_ms = static_cast<std::int64_t>(number);
            } else if (key == "maintenance_start" && number >= 0) {
                f.maintenance_start = static_cast<std::int64_t>(number);
            } else if (key == "maintenance_end" && number >= 0) {
                f.maintenance_end = static_cast<std::int64_t>(number);
            } else if (key == "seed" && number >= 0) {
                f.seed = static_cast<std::uint64_t>(number);
                rng_.seed(f.seed);
            } else {
                return Json(400,
                            Problem("_sim/faults",
                                    "unknown member or value out of range: " + std::string(key),
                                    "/_sim/faults"));
            }
        }
        return Json(200, boost::json::object{{"error_500", f.error_500},
                                             {"error_503", f.error_503},
                                             {"drop_after_record", f.drop_after_record},
                                             {"slow", f.slow},
                                             {"slow_ms", f.slow_ms}});
    }
    if (path == "/_sim/revoke_tokens" && r.method == "POST") {
        // Fault: tokens invalidated early, as after e-Gov outages. {"kind": "access"} ends
        // the access tokens only (a refresh recovers); anything else ends every token.
        const bool access_only = r.body.find("\"access\"") != std::string::npos;
        auto revoke =
            db_.Prepare(access_only ? "UPDATE tokens SET revoked = 1 WHERE kind = 'access'"
                                    : "UPDATE tokens SET revoked = 1");
        if (!revoke || !revoke->Run()) {
            return NoBody(500);
        }
        return Json(200, boost::json::object{{"revoked", access_only ? "access" : "all"}});
    }
    const std::int64_t now = VirtualNow();
    const auto& f = config_.faults;
    HttpResponse fault;
    if (f.maintenance_end > f.maintenance_start && now >= f.maintenance_start &&
        now < f.maintenance_end) {
        fault = Json(503, Problem("メンテナンス", "サービス利用不可(サーバがメンテナンス中等)",
                                  std::string(kApi) + path));
        fault.headers.emplace_back(
            "Retry-After",
            std::to_string(std::max<std::int64_t>(
                1, static_cast<std::int64_t>(static_cast<double>(f.maintenance_end - now) /
                                             config_.clock_speed))));
        return fault;
    }
    if (f.error_500 > 0 && Draw() < f.error_500) {
        return Json(500,
                    Problem("内部エラー", "サーバ内部でエラーが発生", std::string(kApi) + path));
    }
    if (f.error_503 > 0 && Draw() < f.error_503) {
        return Json(503, Problem("一時停止", "サービス利用不可(サーバがメンテナンス中等)",
                                 std::string(kApi) + path));
    }
    const bool slow = f.slow > 0 && Draw() < f.slow;
    if (!CheckBearer(r)) {
        HttpResponse res = NoBody(401);
        res.headers.emplace_back("WWW-Authenticate",
                                 "Bearer realm=\"e-Gov\", error=\"invalid_token\"");
        return res;
    }
    (void)RunBulkBatch();  // the batch of 一括申請 whose time has come
    HttpResponse res = NoBody(404);
    if (path == "/bulk-apply" && r.method == "POST") {
        res = BulkApply(r);
    } else if (path == "/apply/report" && r.method == "GET") {
        res = BulkReport(r);
    } else if (path == "/apply" && r.method == "POST") {
        res = Apply(r, false);
    } else if (path == "/apply/check" && r.method == "POST") {
        res = Apply(r, true);
    } else if (path == "/apply/lists" && r.method == "GET") {
        res = CaseList(r);
    } else if (path.rfind("/procedure/", 0) == 0 && r.method == "GET") {
        res = Skeleton(std::string_view(path).substr(11));
    } else if (path == "/apply/amend" && r.method == "POST") {
        res = Amend(r);
    } else if (path == "/apply/withdraw" && r.method == "POST") {
        res = Withdraw(r);
    } else if (path.rfind("/apply/", 0) == 0 && r.method == "GET") {
        res = CaseDetail(r, std::string_view(path).substr(7));
    } else if (path == "/official_document" && r.method == "POST") {
        res = CompleteOfficialDocument(r);
    } else if (path == "/official_document/verify" && r.method == "POST") {
        res = VerifyOfficialDocument(r);
    } else if (path.rfind("/official_document/", 0) == 0 && r.method == "GET") {
        const std::string_view rest = std::string_view(path).substr(19);
        const auto slash = rest.find('/');
        if (slash != std::string_view::npos) {
            res = GetOfficialDocument(rest.substr(0, slash), rest.substr(slash + 1));
        }
    } else if (path == "/notice/lists" && r.method == "GET") {
        res = NoticeList(r);
    } else if (path.rfind("/notice/", 0) == 0 && r.method == "GET") {
        const std::string_view rest = std::string_view(path).substr(8);
        const auto slash = rest.find('/');
        if (slash != std::string_view::npos) {
            res = NoticeDetail(rest.substr(0, slash), rest.substr(slash + 1));
        }
    }
    if (slow) {
        res.delay = std::chrono::milliseconds(f.slow_ms);
    }
    return res;
}

}  // namespace todoke::egov::detail
