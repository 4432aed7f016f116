// The API of the simulator under /shinsei/v2 (egov-api.md §3–§7): routing, faults, the case
// detail and list, and the operator endpoints under /_sim. The sending endpoints:
// sim_send.cpp; package checks: sim_checks.cpp.
#include "sim_core.hpp"

namespace todoke::egov::detail {
namespace {

bool AllDigits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

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
