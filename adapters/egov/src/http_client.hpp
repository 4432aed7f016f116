// HTTPS calls on libcurl for the e-Gov client (and the tests that drive the simulator): TLS
// verification always on (a CA file for loopback), HTTP/1.1, a connect and a total timeout on
// every call, a response size limit, redirects never followed (the OAuth /auth step reads the
// 302 itself). Thread-safe: each call has an easy handle of its own, taken from a pool that keeps
// connections alive. Only a GET is ever sent twice: when a kept connection dies under any other
// request, the call fails instead of libcurl resending it (http_client.cpp says how).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "todoke/common/result.hpp"

namespace todoke::egov::detail {

struct HttpClientOptions {
    std::string ca_file;  // PEM bundle to verify the server with; empty: the system's
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds total_timeout{60000};
    std::uint64_t max_response_bytes = 64ull << 20;
};

struct HttpCall {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct HttpReply {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string Header(const std::string& lower_name) const {
        const auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// Transport failures (connection refused or dropped, timeout, TLS) fail with kUnavailable and
// field "http.transport"; a response over the size limit with kUnavailable "http.size". Any
// HTTP status is a reply, not an error.
Result<HttpReply> Perform(const HttpClientOptions& options, const HttpCall& call);

// "a b&c" -> "a%20b%26c" (RFC 3986 unreserved characters kept).
std::string UrlEncode(std::string_view text);

}  // namespace todoke::egov::detail
