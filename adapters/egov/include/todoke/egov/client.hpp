// The e-Gov client on libcurl: Portal over HTTPS with TLS verification on, a timeout on every
// call, HTTP/1.1 and a response size limit; and its token manager, which keeps the tokens
// sealed (AES-256-GCM) in a file, refreshes the access token at 80 % of its life and once on a
// 401, keeps the newest (rotated) refresh token, lets one refresh run at a time, and says
// clearly when a person has to consent again. Thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "todoke/common/clock.hpp"
#include "todoke/egov/portal.hpp"

namespace todoke::egov {

struct ClientConfig {
    std::string api_base;       // https://.../shinsei/v2
    std::string auth_base;      // https://.../auth
    std::string client_id;      // ソフトウェアID
    std::string client_secret;  // APIキー: keep it out of logs
    std::string redirect_uri;
    std::string ca_file;               // PEM to verify the servers with; empty: the system's store
    std::filesystem::path token_file;  // sealed tokens
    std::string token_key;             // 32 bytes (seal.hpp)
    std::chrono::milliseconds timeout{60000};
    std::uint64_t max_response_bytes = 64ull << 20;
};

// Reads {"api_base", "auth_base", "client_id", "client_secret" | "client_secret_env",
// "redirect_uri", "ca_file", "token_file", "token_key_env" | "token_key_file", "timeout_ms"}.
// The ready line of `todoke sim egov` plus token_file and a key is such a file.
Result<ClientConfig> ReadClientConfig(const std::filesystem::path& path);
// The same from the simulator's ready line, with the token file and key given here.
Result<ClientConfig> ClientConfigFromReadyLine(std::string_view ready_line,
                                               const std::filesystem::path& token_file,
                                               std::string token_key);

class EgovClient final : public Portal {
  public:
    static Result<std::unique_ptr<EgovClient>> Create(ClientConfig config, const Clock& clock);
    ~EgovClient() override;

    // The authorization-code flow with PKCE S256. `consent` gets the /auth URL and returns the
    // URL the browser was sent back to (code and state in its query); ConsentByRedirect() does
    // it without a browser for a server that consents at once (the simulator).
    using Consent = std::function<Result<std::string>(const std::string& auth_url)>;
    Result<void> Login(const Consent& consent);
    Consent ConsentByRedirect();
    Result<void> Logout();
    // POST {auth}/token/introspect for the stored access token: whether the portal still
    // takes it (false too when nothing is stored).
    Result<bool> IntrospectAccessToken();
    // Whether tokens are stored (a refresh may still fail).
    bool HasTokens();

    Result<Submission> Apply(const std::string& proc_id, const std::string& zip,
                             bool trial = false) override;
    Result<FormatCheck> Check(const std::string& proc_id, const std::string& zip) override;
    Result<Submission> Amend(const std::string& arrive_id, const std::string& zip) override;
    Result<Submission> Withdraw(const std::string& arrive_id, const std::string& zip) override;
    Result<Case> GetCase(const std::string& arrive_id) override;
    Result<std::vector<Case>> ListCases(const std::string& from, const std::string& to) override;
    Result<std::vector<Notice>> ListNotices(const std::string& from,
                                            const std::string& to) override;
    Result<Notice> GetNotice(const std::string& arrive_id, int notice_sub_id) override;
    Result<DownloadedDocument> DownloadOfficialDocument(const std::string& arrive_id,
                                                        int notice_sub_id) override;
    Result<void> CompleteOfficialDocument(const std::string& arrive_id, int notice_sub_id) override;
    Result<ProcedureSkeleton> GetProcedure(const std::string& proc_id) override;
    Result<BulkSend> BulkApply(const std::string& zip) override;
    Result<BulkReport> GetBulkReport(const std::string& send_number) override;
    Result<std::string> VerifyAtPortal(const std::string& zip,
                                       const std::string& xml_name) override;

    struct Impl;

  private:
    explicit EgovClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace todoke::egov
