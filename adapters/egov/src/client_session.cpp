// The e-Gov client's session (client_impl.hpp): sealed tokens and their refresh, the
// authenticated call with its one retry after a 401, paging, sending a package; and the consent
// and token commands (login, logout, introspection).
#include <boost/json.hpp>

#include "client_impl.hpp"
#include "todoke/common/config.hpp"
#include "todoke/common/file.hpp"
#include "todoke/common/seal.hpp"
#include "wire.hpp"

namespace todoke::egov {
namespace {

namespace json = boost::json;
constexpr std::string_view kTokenAad = "todoke.egov.tokens";

using detail::Rows;
using detail::Str;

}  // namespace

namespace detail {

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

std::vector<egov::ReportRow> Rows(const json::value& body) {
    std::vector<egov::ReportRow> out;
    for (auto& r : ParseReportList(body)) {
        out.push_back({r.form_name, r.attached_file_name, r.file_name, r.item, r.content});
    }
    return out;
}

}  // namespace detail

Result<void> EgovClient::Impl::Load() {
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
    tokens = Tokens{Str(o, "access"), Str(o, "refresh"), o.at("issued_at").as_int64(),
                    o.at("access_expires_at").as_int64(), o.at("refresh_expires_at").as_int64()};
    return Ok();
}

Result<void> EgovClient::Impl::Save() {
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

Result<detail::HttpReply> EgovClient::Impl::AuthPost(const std::string& path,
                                                     std::string form) const {
    return detail::Perform(
        http, {"POST",
               config.auth_base + path,
               {{"Authorization", Basic()}, {"Content-Type", "application/x-www-form-urlencoded"}},
               std::move(form)});
}

Result<void> EgovClient::Impl::TokenCall(const std::string& form) {
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
                    "the token endpoint answered " + std::to_string(reply.status), "egov.token");
    }
    const auto& o = body.as_object();
    const std::int64_t now = Now();
    Tokens t{Str(o, "access_token"), Str(o, "refresh_token"), now,
             now + std::stoll(Str(o, "expires_in").empty() ? "0" : Str(o, "expires_in")),
             now + std::stoll(Str(o, "refresh_expires_in").empty() ? "0"
                                                                   : Str(o, "refresh_expires_in"))};
    if (t.access.empty() || t.refresh.empty()) {
        return Fail(ErrorCode::kUnavailable, "the token answer lacks tokens", "egov.token");
    }
    tokens = std::move(t);
    return Save();
}

Result<void> EgovClient::Impl::RefreshLocked() {
    if (!tokens) {
        return Fail(ErrorCode::kPermissionDenied, "no e-Gov tokens: run `todoke egov login` first",
                    "egov.consent");
    }
    return TokenCall("grant_type=refresh_token&refresh_token=" +
                     detail::UrlEncode(tokens->refresh));
}

Result<std::string> EgovClient::Impl::AccessToken() {
    std::lock_guard lock(mutex);
    TODOKE_RETURN_IF_ERROR(Load());
    if (!tokens) {
        return Fail(ErrorCode::kPermissionDenied, "no e-Gov tokens: run `todoke egov login` first",
                    "egov.consent");
    }
    const std::int64_t life = tokens->access_expires_at - tokens->issued_at;
    if (Now() >= tokens->issued_at + life * 4 / 5) {
        TODOKE_RETURN_IF_ERROR(RefreshLocked());
    }
    return tokens->access;
}

Result<void> EgovClient::Impl::RefreshAfter401(const std::string& used) {
    std::lock_guard lock(mutex);
    if (tokens && tokens->access != used) {
        return Ok();
    }
    return RefreshLocked();
}

Result<detail::HttpReply> EgovClient::Impl::Call(
    const std::string& method, const std::string& path, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& extra) {
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
                if (!retry.empty() && retry.find_first_not_of("0123456789") == std::string::npos) {
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

Result<json::object> EgovClient::Impl::Results(const detail::HttpReply& reply,
                                               std::string_view what) {
    boost::system::error_code ec;
    auto v = json::parse(reply.body, ec);
    if (ec || !v.is_object() || !v.as_object().contains("results")) {
        return Fail(
            ErrorCode::kUnavailable,
            std::string(what) + ": unreadable answer (HTTP " + std::to_string(reply.status) + ")",
            "egov.answer");
    }
    return v.as_object().at("results").as_object();
}

Result<std::vector<json::object>> EgovClient::Impl::AllPages(const std::string& path_and_query,
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

std::string EgovClient::Impl::SendBody(std::string_view key, const std::string& value,
                                       const std::string& zip) {
    return json::serialize(json::object{
        {key, value},
        {"send_file",
         json::object{{"file_name", "application.zip"}, {"file_data", Base64Encode(zip)}}}});
}

Result<Submission> EgovClient::Impl::Submit(const std::string& path, const std::string& body,
                                            bool trial) {
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
                                   reply.status == 413 ? "アップロードサイズファイル上限オーバー"
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
        return Fail(ErrorCode::kUnavailable, path + ": the answer has no 到達番号", "egov.answer");
    }
    return s;
}

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

}  // namespace todoke::egov
