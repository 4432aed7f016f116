// The e-Gov client's session (internal to adapters/egov): its sealed tokens, their refresh, the
// authenticated call, paging through lists and sending a package. client_session.cpp defines it
// with the client's consent and token commands; egov_client.cpp holds the API's endpoints.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/egov/client.hpp"

namespace todoke::egov {
namespace detail {

// A member as text: a string as it is, a whole number in decimal; "" otherwise.
std::string Str(const boost::json::object& o, std::string_view key);
// A whole-number member; 0 otherwise.
int Int(const boost::json::object& o, std::string_view key);
// The rows of a BadRequest_Report's report_list.
std::vector<egov::ReportRow> Rows(const boost::json::value& body);

}  // namespace detail

// The OAuth2 pair and its times (seconds since the epoch), kept sealed in the token file.
struct Tokens {
    std::string access, refresh;
    std::int64_t issued_at = 0, access_expires_at = 0, refresh_expires_at = 0;
};

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

    // The token file, read once (Load) and written sealed and fsync'd (Save).
    Result<void> Load();
    Result<void> Save();

    std::string Basic() const {
        return "Basic " + Base64Encode(config.client_id + ":" + config.client_secret);
    }

    // A form POST to the auth server with HTTP Basic client authentication (§2.1).
    Result<detail::HttpReply> AuthPost(const std::string& path, std::string form) const;

    // POST {auth}/token; the new pair is stored (sealed, fsync'd) before it is used.
    Result<void> TokenCall(const std::string& form);

    Result<void> RefreshLocked();

    // A valid access token, refreshed at 80 % of its life.
    Result<std::string> AccessToken();

    // After a 401 with `used`: refresh unless another caller already did.
    Result<void> RefreshAfter401(const std::string& used);

    // One API call with the bearer token; a 401 refreshes once and repeats the call (a 401
    // means the call was not processed, so repeating it cannot make a second case).
    Result<detail::HttpReply> Call(
        const std::string& method, const std::string& path, const std::string& body = {},
        const std::vector<std::pair<std::string, std::string>>& extra = {});

    // The "results" object of an answer.
    static Result<boost::json::object> Results(const detail::HttpReply& reply,
                                               std::string_view what);

    // Every item of `list_key` over all pages of a list endpoint (limit 50, following `next`).
    Result<std::vector<boost::json::object>> AllPages(const std::string& path_and_query,
                                                      std::string_view list_key);

    // The JSON body that sends a ZIP: {key: value, send_file: {file_name, file_data}}.
    static std::string SendBody(std::string_view key, const std::string& value,
                                const std::string& zip);

    // /apply, /apply/amend, /apply/withdraw: 200 arrives, 400/413 rejects with its rows.
    Result<Submission> Submit(const std::string& path, const std::string& body, bool trial);
};

}  // namespace todoke::egov
