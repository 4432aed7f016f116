// A small HTTPS/1.1 server on Boost.Beast for the portal simulators: TLS with a PEM certificate
// and key, keep-alive, a body size limit (413 without reading further), a read timeout (also the
// idle limit of a kept-alive connection). Connections are coroutines on a fixed pool of threads:
// an idle connection holds no thread. The handler sees a parsed request and returns the
// response; it can also ask for a delay before answering, or for the connection to be dropped
// without an answer (fault injection).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "todoke/common/result.hpp"
#include "wire.hpp"

namespace todoke::egov::detail {

struct HttpRequest {
    std::string method;                          // "GET", "POST", ...
    std::string target;                          // as sent: "/shinsei/v2/apply/lists?date_from=..."
    std::string path;                            // percent-decoded, without the query
    std::map<std::string, std::string> query;    // percent-decoded (+ as space)
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;

    std::string Header(const std::string& lower_name) const {
        const auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct HttpResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds delay{0};  // wait this long before answering
    bool drop = false;                   // close the connection without answering
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpsServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;                      // 0: a free port
    std::string cert_pem;                        // server certificate (and chain), PEM text
    std::string key_pem;                         // its private key, PEM text
    int threads = 8;                             // pool threads: the most handlers that run at once
    std::uint64_t max_body_bytes = 64ull << 20;  // larger bodies get 413
    std::chrono::seconds read_timeout{30};
    std::string thread_name = "https";  // NameThisThread of the pool's threads
};

class HttpsServer {
  public:
    static Result<std::unique_ptr<HttpsServer>> Start(const HttpsServerOptions& options,
                                                      HttpHandler handler);
    ~HttpsServer();
    HttpsServer(const HttpsServer&) = delete;
    HttpsServer& operator=(const HttpsServer&) = delete;

    std::uint16_t port() const;
    // Connections accepted since Start (for tests of connection reuse).
    std::uint64_t connections_accepted() const;
    // Of those, the ones whose TLS handshake resumed an earlier session (no certificate sent).
    std::uint64_t sessions_resumed() const;
    // Stops accepting, closes idle connections and joins the workers. Idempotent.
    void Stop();

    struct Impl;

  private:
    explicit HttpsServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace todoke::egov::detail
