#include "http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <vector>

#include "todoke/common/c_handle.hpp"

namespace todoke::egov::detail {
namespace {

using Slist = CHandle<curl_slist, &curl_slist_free_all>;

void GlobalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
    std::string* body;
    std::uint64_t limit;
    bool too_large = false;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const size_t n = size * count;
    if (sink->body->size() + n > sink->limit) {
        sink->too_large = true;
        return 0;  // aborts the transfer
    }
    sink->body->append(data, n);
    return n;
}

size_t WriteHeader(char* data, size_t size, size_t count, void* user) {
    auto* headers = static_cast<std::map<std::string, std::string>*>(user);
    const size_t n = size * count;
    std::string_view line(data, n);
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        for (char& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
            value.remove_prefix(1);
        }
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) {
            value.remove_suffix(1);
        }
        (*headers)[name] = std::string(value);
    } else if (line.rfind("HTTP/", 0) == 0) {
        headers->clear();  // a new response (after 100 Continue)
    }
    return n;
}

// Easy handles kept between calls: a handle keeps its live connections, its TLS session cache
// and its loaded CA store across curl_easy_reset, so a call on a kept handle skips the TCP and
// TLS handshakes (or, on a fresh connection, resumes the TLS session) and the CA file parse.
class EasyPool {
  public:
    static EasyPool& Instance() {
        static auto* pool = new EasyPool();  // never destroyed: calls may run during exit
        return *pool;
    }
    CURL* Take() {
        {
            std::lock_guard lock(mutex_);
            if (!idle_.empty()) {
                CURL* h = idle_.back();
                idle_.pop_back();
                return h;
            }
        }
        return curl_easy_init();
    }
    void Give(CURL* h) {
        curl_easy_reset(h);  // options back to defaults; connections and caches stay
        std::lock_guard lock(mutex_);
        if (idle_.size() < kMaxIdle) {
            idle_.push_back(h);
            return;
        }
        curl_easy_cleanup(h);
    }

  private:
    static constexpr std::size_t kMaxIdle = 64;
    std::mutex mutex_;
    std::vector<CURL*> idle_;
};

// A handle taken from the pool for one call, given back after it unless the call failed: a
// failed transfer may leave state behind that curl_easy_reset does not clear (curl issues
// #17139, #18206: a refused rewind stays set), and its connection is suspect anyway.
class PooledEasy {
  public:
    PooledEasy() : h_(EasyPool::Instance().Take()) {}
    ~PooledEasy() {
        if (h_ == nullptr) return;
        if (failed_) {
            curl_easy_cleanup(h_);
        } else {
            EasyPool::Instance().Give(h_);
        }
    }
    PooledEasy(const PooledEasy&) = delete;
    PooledEasy& operator=(const PooledEasy&) = delete;
    CURL* get() const { return h_; }
    void Failed() { failed_ = true; }

  private:
    CURL* h_;
    bool failed_ = false;
};

// A request body read by libcurl through a callback, with no seek callback on purpose: libcurl
// then cannot send the body a second time. It sends a request again by itself when a kept
// connection dies before any byte of the answer ("Connection died, retrying a fresh
// connect"); for POST /apply the portal may have recorded the first copy, and a second copy
// is a second case (e-Gov has no idempotency key). With the body already (partly) sent, the
// retry needs a rewind, which fails (CURLE_SEND_FAIL_REWIND): the call is reported as failed
// and the pipeline reconciles. With no byte of the body sent yet the portal cannot have acted
// on the request, and libcurl's retry is harmless — unless the request had no body to send,
// or libcurl had read a part of it without sending it yet: so a second attempt at any request
// but a GET is also refused before it starts (Attempt below), and a retry fails the call.
struct BodySource {
    std::string_view body;
    std::size_t sent = 0;
    int attempts = 0;
};

size_t ReadBody(char* buffer, size_t size, size_t count, void* user) {
    auto* source = static_cast<BodySource*>(user);
    const size_t n = std::min(size * count, source->body.size() - source->sent);
    std::memcpy(buffer, source->body.data() + source->sent, n);
    source->sent += n;
    return n;
}

// libcurl calls this on the connection each attempt of the request is about to go out on (a
// new one after a kept connection died): only the first may go.
int Attempt(void* user, char*, char*, int, int) {
    auto* source = static_cast<BodySource*>(user);
    return ++source->attempts == 1 ? CURL_PREREQFUNC_OK : CURL_PREREQFUNC_ABORT;
}

}  // namespace

std::string UrlEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    return out;
}

Result<HttpReply> Perform(const HttpClientOptions& options, const HttpCall& call) {
    GlobalInit();
    PooledEasy easy;
    if (easy.get() == nullptr) {
        return Fail(ErrorCode::kInternal, "curl_easy_init failed", "http.transport");
    }
    CURL* h = easy.get();
    HttpReply reply;
    Sink sink{&reply.body, options.max_response_bytes};
    curl_easy_setopt(h, CURLOPT_URL, call.url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
    if (!options.ca_file.empty()) {
        curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str());
        // No CA directory beside the file: libcurl keeps the loaded CA store in the handle only
        // when no CA path is set (Debian's libcurl sets one by default), instead of parsing
        // the file again for every new connection.
        curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);
    }
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, WriteBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, WriteHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &reply.headers);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, call.method.c_str());
    BodySource body{call.body};
    if (call.method == "GET") {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, ReadBody);
        curl_easy_setopt(h, CURLOPT_READDATA, &body);
        curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, Attempt);
        curl_easy_setopt(h, CURLOPT_PREREQDATA, &body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
    }
    Slist headers;
    for (const auto& [name, value] : call.headers) {
        std::string line = name;
        line += ": ";
        line += value;
        curl_slist* next = curl_slist_append(headers.get(), line.c_str());
        (void)headers.release();
        headers.reset(next);
    }
    curl_slist* expect = curl_slist_append(headers.release(), "Expect:");  // no 100-continue
    headers.reset(expect);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    const CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        easy.Failed();
    }
    if (sink.too_large) {
        return Fail(ErrorCode::kUnavailable,
                    "the response from " + call.url + " exceeds " +
                        std::to_string(options.max_response_bytes) + " bytes",
                    "http.size");
    }
    if (rc != CURLE_OK) {
        return Fail(ErrorCode::kUnavailable,
                    call.method + " " + call.url + ": " + curl_easy_strerror(rc), "http.transport");
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    reply.status = static_cast<int>(status);
    return reply;
}

}  // namespace todoke::egov::detail
