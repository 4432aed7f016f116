// The OAuth 2.0 server of the simulator (egov-api.md §2): /auth auto-consents and redirects with
// a one-time code, /token takes authorization_code with PKCE S256 and rotating refresh tokens
// under HTTP Basic client authentication, /token/introspect and /logout.
#include <openssl/crypto.h>

#include "http_client.hpp"
#include "sim_core.hpp"
#include "todoke/common/encoding.hpp"

namespace todoke::egov::detail {
namespace {

HttpResponse OAuthError(int status, std::string_view error, std::string_view description) {
    return Json(status, boost::json::object{{"error", error}, {"error_description", description}});
}

bool SameSecret(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

bool SimCore::CheckBasic(const HttpRequest& request) const {
    const std::string header = request.Header("authorization");
    if (header.rfind("Basic ", 0) != 0) {
        return false;
    }
    auto decoded = Base64Decode(std::string_view(header).substr(6));
    if (!decoded) {
        return false;
    }
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) {
        return false;
    }
    return SameSecret(decoded->substr(0, colon), config_.client_id) &&
           SameSecret(decoded->substr(colon + 1), client_secret_);
}

// The access token of a Bearer header, when it is known, unexpired and not revoked.
std::optional<std::string> SimCore::CheckBearer(const HttpRequest& request) {
    const std::string header = request.Header("authorization");
    if (header.rfind("Bearer ", 0) != 0) {
        return std::nullopt;
    }
    const std::string token = header.substr(7);
    auto q = db_.Prepare(
        "SELECT 1 FROM tokens WHERE token = ?1 AND kind = 'access' AND revoked = 0 AND "
        "expires_at > ?2");
    if (!q) {
        return std::nullopt;
    }
    q->Bind(1, token).Bind(2, RealNow());
    auto row = q->Step();
    return row && *row ? std::optional<std::string>(token) : std::nullopt;
}

HttpResponse SimCore::HandleAuth(const HttpRequest& r) {
    std::lock_guard lock(mutex_);
    const std::string path = r.path.substr(std::string_view("/auth").size());
    if (path == "/auth" && r.method == "GET") {
        // ユーザー認可: the configured test user consents at once.
        const auto get = [&](const char* k) {
            const auto it = r.query.find(k);
            return it == r.query.end() ? std::string() : it->second;
        };
        if (get("client_id") != config_.client_id) {
            return OAuthError(400, "unauthorized_client", "unknown client_id");
        }
        if (get("redirect_uri") != config_.redirect_uri) {
            return OAuthError(400, "invalid_request", "redirect_uri is not the registered one");
        }
        if (get("response_type") != "code") {
            return OAuthError(400, "unsupported_response_type", "response_type must be code");
        }
        const std::string challenge = get("code_challenge");
        if (challenge.empty() || get("code_challenge_method") != "S256") {
            return OAuthError(400, "invalid_request", "PKCE with code_challenge_method=S256");
        }
        const std::string code = RandomUrlToken(24);
        const std::string session = RandomUrlToken(12);
        auto insert = db_.Prepare("INSERT INTO codes VALUES (?1, ?2, ?3, ?4, ?5, 0)");
        if (!insert || !insert->Bind(1, code)
                            .Bind(2, challenge)
                            .Bind(3, config_.redirect_uri)
                            .Bind(4, session)
                            .Bind(5, RealNow() + 60)
                            .Run()) {
            return OAuthError(500, "server_error", "cannot record the code");
        }
        HttpResponse res;
        res.status = 302;
        std::string location = config_.redirect_uri + "?code=" + code;
        if (!get("state").empty()) {
            location += "&state=" + UrlEncode(get("state"));
        }
        location += "&session_state=" + session;
        res.headers.emplace_back("Location", location);
        return res;
    }
    if (r.method != "POST") {
        return OAuthError(405, "invalid_request", "method not allowed");
    }
    if (!CheckBasic(r)) {
        HttpResponse res = OAuthError(401, "invalid_client", "client authentication failed");
        res.headers.emplace_back("WWW-Authenticate", "Basic realm=\"egov\"");
        return res;
    }
    const auto form = ParseFormOrQuery(r.body);
    const auto field = [&](const char* k) {
        const auto it = form.find(k);
        return it == form.end() ? std::string() : it->second;
    };
    const std::int64_t now = RealNow();
    // Issues a rotating pair for `session`.
    const auto issue = [&](const std::string& session) -> HttpResponse {
        const std::string access = RandomUrlToken(32);
        const std::string refresh = RandomUrlToken(32);
        auto insert = db_.Prepare("INSERT INTO tokens VALUES (?1, ?2, ?3, ?4, ?5, 0)");
        if (!insert) {
            return OAuthError(500, "server_error", "store");
        }
        (void)insert->Bind(1, access)
            .Bind(2, std::string_view("access"))
            .Bind(3, session)
            .Bind(4, now)
            .Bind(5, now + config_.access_token_seconds)
            .Run();
        insert->Reset();
        (void)insert->Bind(1, refresh)
            .Bind(2, std::string_view("refresh"))
            .Bind(3, session)
            .Bind(4, now)
            .Bind(5, now + config_.refresh_token_seconds)
            .Run();
        return Json(200, boost::json::object{{"access_token", access},
                                             {"expires_in", config_.access_token_seconds},
                                             {"refresh_expires_in", config_.refresh_token_seconds},
                                             {"refresh_token", refresh},
                                             {"token_type", "Bearer"},
                                             {"scope", "openid offline_access"},
                                             {"id_token", RandomUrlToken(48)},
                                             {"not-before-policy", 0},
                                             {"session_state", session}});
    };
    if (path == "/token") {
        const std::string grant = field("grant_type");
        if (grant == "authorization_code") {
            auto q = db_.Prepare(
                "SELECT challenge, redirect_uri, session, expires_at, used FROM codes "
                "WHERE code = ?1");
            if (!q) {
                return OAuthError(500, "server_error", "store");
            }
            q->Bind(1, field("code"));
            auto row = q->Step();
            if (!row || !*row || q->Int64(4) != 0 || q->Int64(3) <= now) {
                return OAuthError(400, "invalid_grant", "unknown, used or expired code");
            }
            const std::string challenge = q->Text(0), redirect = q->Text(1), session = q->Text(2);
            if (field("redirect_uri") != redirect) {
                return OAuthError(400, "invalid_grant", "redirect_uri differs from /auth");
            }
            const std::string verifier = field("code_verifier");
            const std::string expected = PkceChallenge(verifier);
            if (verifier.size() < 43 || verifier.size() > 128 || !SameSecret(expected, challenge)) {
                return OAuthError(400, "invalid_grant", "PKCE verification failed");
            }
            auto used = db_.Prepare("UPDATE codes SET used = 1 WHERE code = ?1");
            if (!used || !used->Bind(1, field("code")).Run()) {
                return OAuthError(500, "server_error", "store");
            }
            return issue(session);
        }
        if (grant == "refresh_token") {
            auto q = db_.Prepare(
                "SELECT session FROM tokens WHERE token = ?1 AND kind = 'refresh' AND "
                "revoked = 0 AND expires_at > ?2");
            if (!q) {
                return OAuthError(500, "server_error", "store");
            }
            q->Bind(1, field("refresh_token")).Bind(2, now);
            auto row = q->Step();
            if (!row || !*row) {
                return OAuthError(400, "invalid_grant",
                                  "refresh token unknown, rotated or expired");
            }
            const std::string session = q->Text(0);
            // Rotation: the used refresh token and the session's older access tokens end.
            auto revoke = db_.Prepare("UPDATE tokens SET revoked = 1 WHERE session = ?1");
            if (!revoke || !revoke->Bind(1, session).Run()) {
                return OAuthError(500, "server_error", "store");
            }
            return issue(session);
        }
        return OAuthError(400, "unsupported_grant_type", "authorization_code or refresh_token");
    }
    if (path == "/token/introspect") {
        auto q = db_.Prepare(
            "SELECT kind, session, issued_at, expires_at FROM tokens WHERE token = ?1 AND "
            "revoked = 0 AND expires_at > ?2");
        if (!q) {
            return OAuthError(500, "server_error", "store");
        }
        q->Bind(1, field("token")).Bind(2, now);
        auto row = q->Step();
        if (!row || !*row) {
            return Json(200, boost::json::object{{"active", false}});
        }
        return Json(200, boost::json::object{{"active", true},
                                             {"exp", q->Int64(3)},
                                             {"iat", q->Int64(2)},
                                             {"typ", q->Text(0) == "access" ? "Bearer" : "Refresh"},
                                             {"session_state", q->Text(1)},
                                             {"client_id", config_.client_id},
                                             {"scope", "openid offline_access"},
                                             {"username", "todoke-sim-user"},
                                             {"egov_idp", "egov"}});
    }
    if (path == "/logout") {
        auto q = db_.Prepare("SELECT session FROM tokens WHERE token = ?1 AND kind = 'refresh'");
        if (!q) {
            return OAuthError(500, "server_error", "store");
        }
        q->Bind(1, field("refresh_token"));
        auto row = q->Step();
        if (!row || !*row) {
            return OAuthError(400, "invalid_grant", "unknown refresh token");
        }
        const std::string session = q->Text(0);
        auto revoke = db_.Prepare("UPDATE tokens SET revoked = 1 WHERE session = ?1");
        if (!revoke || !revoke->Bind(1, session).Run()) {
            return OAuthError(500, "server_error", "store");
        }
        return NoBody(204);
    }
    return NoBody(404);
}

}  // namespace todoke::egov::detail
