
#include <algorithm>
#include <boost/json.hpp>
#include <mutex>
#include <ranges>
#include <set>

#include "http_client.hpp"
#include "todoke/common/config.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/common/file.hpp"
#include "todoke/common/seal.hpp"
#include "todoke/egov/client.hpp"
#include "wire.hpp"

namespace todoke::egov {
namespace {

namespace json = boost::json;
constexpr std::string_view kTokenAad = "todoke.egov.tokens";

std::string Str(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) {
        return {};
    }
    if (v->is_string()) {
        return std::string(v->as_string());
    }
    if (v->is_int64()) {
        return std::to_string(v->as_int64());
    }
    return {};
}

int Int(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_int64() ? static_cast<int>(v->as_int64()) : 0;
}

std::vector<ReportRow> Rows(const json::value& body) {
    std::vector<ReportRow> out;
    for (auto& r : detail::ParseReportList(body)) {
        out.push_back({r.form_name, r.attached_file_name, r.file_name, r.item, r.content});
    }
    return out;
}

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

struct Tokens {
    std::string access, refresh;
    std::int64_t issued_at = 0, access_expires_at = 0, refresh_expires_at = 0;
};

}  // namespace

struct EgovClient::Impl {
    ClientConfig config;
    const Clock& clock;
    detail::HttpClientOptions http;
    std::mutex mutex;  // one refresh at a time; guards tokens
    std::optional<Tokens> tokens;
    bool loaded = false;

    Impl(ClientConfig c, const Clock& k) : config(std::move(c)), clock(k) {
        http.ca_file = config.ca_file;
        http.total_timeout = config.timeout;
        http.connect_timeout = std::min(config.timeout, std::chrono::milliseconds(10000));
        http.max_response_bytes = config.max_response_bytes;
    }

    std::int64_t Now() const {
        return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch())
            .count();
    }

    Result<void> Load() {
        if (loaded) {
            return Ok();
        }
        loaded = true;
        std::error_code ec;
        if (!std::filesystem::exists(config.token_file, ec)) {
            return Ok();
        }
        TODOKE_ASSIGN_OR_RETURN(std::string sealed, ReadFileBytes(config.token_file, "token file"));
        TODOKE_ASSIGN_OR_RETURN(std::string text, Unseal(config.token_key, sealed, kTokenAad));
        boost::system::error_code jec;
        const auto v = json::parse(text, jec);
        if (jec || !v.is_object()) {
            return Fail(ErrorCode::kInternal, "the token file is damaged", "egov.tokens");
        }
        const auto& o = v.as_object();
        tokens =
            Tokens{Str(o, "access"), Str(o, "refresh"), o.at("issued_at").as_int64(),
                   o.at("access_expires_at").as_int64(), o.at("refresh_expires_at").as_int64()};
        return Ok();
    }

    Result<void> Save() {
        if (!tokens) {
            std::error_code ec;
            std::filesystem::remove(config.token_file, ec);
            return Ok();
        }
        const json::object o{{"access", tokens->access},
                             {"refresh", tokens->refresh},
                             {"issued_at", tokens->issued_at},
                             {"access_expires_at", tokens->access_expires_at},
                             {"refresh_expires_at", tokens->refresh_expires_at}};
        TODOKE_ASSIGN_OR_RETURN(std::string sealed,
                                Seal(config.token_key, json::serialize(o), kTokenAad));
        return WriteFileAtomically(config.token_file, sealed);
    }

    std::string Basic() const {
        return "Basic " + Base64Encode(config.client_id + ":" + config.client_secret);
    }

    // A form POST to the auth server with HTTP Basic client authentication (§2.1).
    Result<detail::HttpReply> AuthPost(const std::string& path, std::string form) const {
        return detail::Perform(http, {"POST",
                                      config.auth_base + path,
                                      {{"Authorization", Basic()},
                                       {"Content-Type", "application/x-www-form-urlencoded"}},
                                      std::move(form)});
    }

    // POST {auth}/token; the new pair is stored (sealed, fsync'd) before it is used.
    Result<void> TokenCall(const std::string& form) {
        TODOKE_ASSIGN_OR_RETURN(detail::HttpReply reply, AuthPost("/token", form));
        boost::system::error_code ec;
        const auto body = json::parse(reply.body, ec);
        if (reply.status == 400 || reply.status == 401) {
            const std::string error = !ec && body.is_object() ? Str(body.as_object(), "error") : "";
            tokens.reset();
            (void)Save();
            return Fail(ErrorCode::kPermissionDenied,
                        "the authorisation server refused the tokens (" + error +
                            "): a person must consent again with `todoke egov login`",
                        "egov.consent");
        }
        if (reply.status != 200 || ec || !body.is_object()) {
            return Fail(ErrorCode::kUnavailable,
                        "the token endpoint answered " + std::to_string(reply.status),
                        "egov.token");
        }
        const auto& o = body.as_object();
        const std::int64_t now = Now();
        Tokens t{
            Str(o, "access_token"), Str(o, "refresh_token"), now,
            now + std::stoll(Str(o, "expires_in").empty() ? "0" : Str(o, "expires_in")),
            now + std::stoll(Str(o, "refresh_expires_in").empty() ? "0"
                                                                  : Str(o, "refresh_expires_in"))};
        if (t.access.empty() || t.refresh.empty()) {
            return Fail(ErrorCode::kUnavailable, "the token answer lacks tokens", "egov.token");
        }
        tokens = std::move(t);
        return Save();
    }

    Result<void> RefreshLocked() {
        if (!tokens) {
            return Fail(ErrorCode::kPermissionDenied,
                        "no e-Gov tokens: run `todoke egov login` first", "egov.consent");
        }
        return TokenCall("grant_type=refresh_token&refresh_token=" +
                         detail::UrlEncode(tokens->refresh));
    }

    // A valid access token, refreshed at 80 % of its life.
    Result<std::string> AccessToken() {
        std::lock_guard lock(mutex);
        TODOKE_RETURN_IF_ERROR(Load());
        if (!tokens) {
            return Fail(ErrorCode::kPermissionDenied,
                        "no e-Gov tokens: run `todoke egov login` first", "egov.consent");
        }
        const std::int64_t life = tokens->access_expires_at - tokens->issued_at;
        if (Now() >= tokens->issued_at + life * 4 / 5) {
            TODOKE_RETURN_IF_ERROR(RefreshLocked());
        }
        return tokens->access;
    }

    // After a 401 with `used`: refresh unless another caller already did.
    Result<void> RefreshAfter401(const std::string& used) {
        std::lock_guard lock(mutex);
        if (tokens && tokens->access != used) {
            return Ok();
        }
        return RefreshLocked();
    }

    // One API call with the bearer token; a 401 refreshes once and repeats the call (a 401
    // means the call was not processed, so repeating it cannot make a second case).
    Result<detail::HttpReply> Call(
        const std::string& method, const std::string& path, const std::string& body = {},
        const std::vector<std::pair<std::string, std::string>>& extra = {}) {
        for (int attempt = 0;; ++attempt) {
            TODOKE_ASSIGN_OR_RETURN(std::string token, AccessToken());
            auto headers = extra;
            headers.emplace_back("Authorization", "Bearer " + token);
            if (!body.empty()) {
                headers.emplace_back("Content-Type", "application/json");
            }
            TODOKE_ASSIGN_OR_RETURN(
                detail::HttpReply reply,
                detail::Perform(http, {method, config.api_base + path, std::move(headers), body}));
            if (reply.status != 401) {
                if (reply.status >= 500) {
                    std::string message = method;
                    message += " " + path + " answered " + std::to_string(reply.status);
                    Error e{ErrorCode::kUnavailable, std::move(message), "egov.server"};
                    const std::string retry = reply.Header("retry-after");
                    if (!retry.empty() &&
                        retry.find_first_not_of("0123456789") == std::string::npos) {
                        e.retry_after_seconds = std::stoll(retry.substr(0, 9));
                    }
                    return Fail(std::move(e));
                }
                if (reply.status == 404) {
                    std::string message = method;
                    message += " " + path + ": not found";
                    return Fail(ErrorCode::kNotFound, std::move(message), "egov.not_found");
                }
                return reply;
            }
            if (attempt > 0) {
                return Fail(ErrorCode::kPermissionDenied,
                            "the API refused a fresh token: consent again with `todoke egov "
                            "login`",
                            "egov.consent");
            }
            TODOKE_RETURN_IF_ERROR(RefreshAfter401(token));
        }
    }

    static Result<json::object> Results(const detail::HttpReply& reply, std::string_view what) {
        boost::system::error_code ec;
        auto v = json::parse(reply.body, ec);
        if (ec || !v.is_object() || !v.as_object().contains("results")) {
            return Fail(ErrorCode::kUnavailable,
                        std::string(what) + ": unreadable answer (HTTP " +
                            std::to_string(reply.status) + ")",
                        "egov.answer");
        }
        return v.as_object().at("results").as_object();
    }

    // Every item of `list_key` over all pages of a list endpoint (limit 50, following `next`).
    Result<std::vector<json::object>> AllPages(const std::string& path_and_query,
                                               std::string_view list_key) {
        std::vector<json::object> out;
        for (int page = 1; page <= 9999; ++page) {
            TODOKE_ASSIGN_OR_RETURN(
                detail::HttpReply reply,
                Call("GET", path_and_query + "&limit=50&offset=" + std::to_string(page)));
            boost::system::error_code ec;
            const auto v = json::parse(reply.body, ec);
            if (reply.status != 200 || ec || !v.is_object() || !v.as_object().contains("results")) {
                return Fail(ErrorCode::kUnavailable,
                            path_and_query + " answered " + std::to_string(reply.status),
                            "egov.answer");
            }
            const auto& o = v.as_object();
            if (const auto* list = o.at("results").as_object().if_contains(list_key);
                list && list->is_array()) {
                for (const auto& item : list->as_array()) {
                    if (item.is_object()) {
                        out.push_back(item.as_object());
                    }
                }
            }
            const auto* links = o.if_contains("_links");
            if (links == nullptr || !links->is_object() || !links->as_object().contains("next")) {
                break;
            }
        }
        return out;
    }

    static std::string SendBody(std::string_view key, const std::string& value,
                                const std::string& zip) {
        return json::serialize(json::object{
            {key, value},
            {"send_file",
             json::object{{"file_name", "application.zip"}, {"file_data", Base64Encode(zip)}}}});
    }

    // /apply, /apply/amend, /apply/withdraw: 200 arrives, 400/413 rejects with its rows.
    Result<Submission> Submit(const std::string& path, const std::string& body, bool trial) {
        std::vector<std::pair<std::string, std::string>> extra;
        if (trial) {
            extra.emplace_back("X-eGovAPI-Trial", "true");
        }
        TODOKE_ASSIGN_OR_RETURN(detail::HttpReply reply, Call("POST", path, body, extra));
        Submission s;
        if (reply.status == 400 || reply.status == 413) {
            boost::system::error_code ec;
            const auto v = json::parse(reply.body, ec);
            s.rejection = ec ? std::vector<ReportRow>{} : Rows(v);
            if (s.rejection.empty()) {
                s.rejection.push_back({"-", "-", "-", "-",
                                       reply.status == 413
                                           ? "アップロードサイズファイル上限オーバー"
                                           : "申請データに誤りがあります"});
            }
            return s;
        }
        TODOKE_ASSIGN_OR_RETURN(json::object r, Results(reply, path));
        s.arrive_id = Str(r, "arrive_id");
        s.arrive_date = Str(r, "arrive_date");
        if (s.arrive_date.empty()) {
            s.arrive_date = Str(r, "amend_date");
        }
        if (s.arrive_date.empty()) {
            s.arrive_date = Str(r, "withdraw_date");
        }
        s.apply_type = Str(r, "apply_type");
        s.proc_name = Str(r, "proc_name");
        s.corporation_name = Str(r, "corporation_name");
        s.applicant_name = Str(r, "applicant_name");
        if (s.arrive_id.empty()) {
            return Fail(ErrorCode::kUnavailable, path + ": the answer has no 到達番号",
                        "egov.answer");
        }
        return s;
    }
};

EgovClient::EgovClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EgovClient::~EgovClient() = default;

Result<std::unique_ptr<EgovClient>> EgovClient::Create(ClientConfig config, const Clock& clock) {
    if (config.token_key.size() != 32) {
        return Fail(ErrorCode::kInvalidArgument, "the token key must be 32 bytes", "token_key");
    }
    return std::unique_ptr<EgovClient>(
        new EgovClient(std::make_unique<Impl>(std::move(config), clock)));
}

bool EgovClient::HasTokens() {
    std::lock_guard lock(impl_->mutex);
    return impl_->Load() && impl_->tokens.has_value();
}

EgovClient::Consent EgovClient::ConsentByRedirect() {
    Impl* impl = impl_.get();
    return [impl](const std::string& url) -> Result<std::string> {
        TODOKE_ASSIGN_OR_RETURN(detail::HttpReply reply,
                                detail::Perform(impl->http, {"GET", url, {}, ""}));
        if (reply.status != 302 || reply.Header("location").empty()) {
            return Fail(ErrorCode::kPermissionDenied,
                        "the authorisation server wants a person to log in: open the URL in a "
                        "browser and pass the address it returns to",
                        "egov.consent");
        }
        return reply.Header("location");
    };
}

Result<void> EgovClient::Login(const Consent& consent) {
    const std::string verifier = detail::RandomUrlToken(48);  // 64 characters
    const std::string challenge = detail::PkceChallenge(verifier);
    const std::string state = detail::RandomUrlToken(16);
    const auto& c = impl_->config;
    const std::string url =
        c.auth_base + "/auth?client_id=" + detail::UrlEncode(c.client_id) +
        "&response_type=code&scope=" + detail::UrlEncode("openid offline_access") +
        "&redirect_uri=" + detail::UrlEncode(c.redirect_uri) + "&state=" + state +
        "&code_challenge=" + challenge + "&code_challenge_method=S256";
    TODOKE_ASSIGN_OR_RETURN(std::string back, consent(url));
    const auto query = back.find('?');
    const auto params = detail::ParseFormOrQuery(
        query == std::string::npos ? std::string_view() : std::string_view(back).substr(query + 1));
    const auto code = params.find("code");
    const auto returned_state = params.find("state");
    if (code == params.end() || returned_state == params.end() || returned_state->second != state) {
        return Fail(ErrorCode::kPermissionDenied,
                    "the consent did not return a code with our state", "egov.consent");
    }
    std::lock_guard lock(impl_->mutex);
    impl_->loaded = true;
    return impl_->TokenCall(
        "grant_type=authorization_code&code=" + detail::UrlEncode(code->second) +
        "&redirect_uri=" + detail::UrlEncode(c.redirect_uri) + "&code_verifier=" + verifier);
}

Result<void> EgovClient::Logout() {
    std::lock_guard lock(impl_->mutex);
    TODOKE_RETURN_IF_ERROR(impl_->Load());
    if (!impl_->tokens) {
        return Ok();
    }
    TODOKE_ASSIGN_OR_RETURN(
        detail::HttpReply reply,
        impl_->AuthPost("/logout", "refresh_token=" + detail::UrlEncode(impl_->tokens->refresh)));
    impl_->tokens.reset();
    TODOKE_RETURN_IF_ERROR(impl_->Save());
    if (reply.status != 204) {
        return Fail(ErrorCode::kUnavailable,
                    "logout answered " + std::to_string(reply.status) + " (tokens dropped here)",
                    "egov.logout");
    }
    return Ok();
}

Result<bool> EgovClient::IntrospectAccessToken() {
    std::string token;
    {
        std::lock_guard lock(impl_->mutex);
        TODOKE_RETURN_IF_ERROR(impl_->Load());
        if (!impl_->tokens) {
            return false;
        }
        token = impl_->tokens->access;
    }
    TODOKE_ASSIGN_OR_RETURN(
        detail::HttpReply reply,
        impl_->AuthPost("/token/introspect",
                        "token=" + detail::UrlEncode(token) + "&token_type_hint=access_token"));
    boost::system::error_code ec;
    const auto v = json::parse(reply.body, ec);
    if (reply.status != 200 || ec || !v.is_object() || !v.as_object().contains("active")) {
        return Fail(ErrorCode::kUnavailable,
                    "introspection answered " + std::to_string(reply.status), "egov.token");
    }
    const auto& active = v.as_object().at("active");
    return active.is_bool() && active.as_bool();
}

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
