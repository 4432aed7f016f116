#include "https_server.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

namespace todoke::egov::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr std::uint64_t kMaxDrainBytes = 256ull << 20;

struct HttpsServer::Impl {
    HttpsServerOptions options;
    HttpHandler handler;
    asio::io_context io;
    ssl::context tls{ssl::context::tls_server};
    tcp::acceptor acceptor{io};
    std::thread accept_thread;
    std::vector<std::thread> workers;
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<tcp::socket> pending;
    std::set<int> active;  // native handles of connections being served
    bool stopping = false;

    void AcceptLoop() {
        for (;;) {
            boost::system::error_code ec;
            tcp::socket socket(io);
            acceptor.accept(socket, ec);
            std::lock_guard lock(mutex);
            if (stopping) {
                return;
            }
            if (ec) {
                continue;  // e.g. a client that went away during accept
            }
            pending.push_back(std::move(socket));
            ready.notify_one();
        }
    }

    void WorkerLoop() {
        for (;;) {
            std::unique_lock lock(mutex);
            ready.wait(lock, [&] { return stopping || !pending.empty(); });
            if (stopping) {
                return;
            }
            tcp::socket socket = std::move(pending.front());
            pending.pop_front();
            const int fd = socket.native_handle();
            active.insert(fd);
            lock.unlock();
            Serve(std::move(socket));
            lock.lock();
            active.erase(fd);
        }
    }

    static void SetTimeouts(int fd, std::chrono::seconds timeout) {
        timeval tv{};
        tv.tv_sec = static_cast<time_t>(timeout.count());
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }

    HttpResponse Handle(const http::request<http::string_body>& req) {
        HttpRequest r;
        r.method = std::string(req.method_string());
        r.target = std::string(req.target());
        const auto q = r.target.find('?');
        r.path = DecodeComponent(std::string_view(r.target).substr(0, q), false);
        if (q != std::string::npos) {
            r.query = ParseFormOrQuery(std::string_view(r.target).substr(q + 1));
        }
        for (const auto& field : req) {
            std::string name(field.name_string());
            for (char& c : name) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            r.headers[name] = std::string(field.value());
        }
        r.body = req.body();
        try {
            return handler(r);
        } catch (const std::exception&) {
            HttpResponse res;
            res.status = 500;
            return res;
        }
    }

    void Serve(tcp::socket socket) {
        SetTimeouts(socket.native_handle(), options.read_timeout);
        beast::ssl_stream<tcp::socket> stream(std::move(socket), tls);
        boost::system::error_code ec;
        stream.handshake(ssl::stream_base::server, ec);
        if (ec) {
            return;
        }
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(boost::none);  // checked below, with an answer instead of a reset
            parser.header_limit(64 * 1024);
            http::read_header(stream, buffer, parser, ec);
            if (ec) {
                break;
            }
            const auto length = parser.content_length();
            if (length && *length > options.max_body_bytes) {
                // Read and drop the body first (up to a bound), so the client, still sending,
                // does not lose the answer to a reset connection.
                if (*length <= kMaxDrainBytes) {
                    std::uint64_t remaining =
                        *length - std::min<std::uint64_t>(*length, buffer.size());
                    buffer.consume(buffer.size());
                    char sink[65536];
                    while (remaining > 0 && !ec) {
                        remaining -= stream.read_some(
                            asio::buffer(sink, std::min<std::uint64_t>(remaining, sizeof sink)),
                            ec);
                    }
                }
                http::response<http::string_body> res{http::status::payload_too_large, 11};
                res.set(http::field::connection, "close");
                res.prepare_payload();
                http::write(stream, res, ec);
                break;
            }
            parser.body_limit(options.max_body_bytes);  // also bounds chunked bodies
            http::read(stream, buffer, parser, ec);
            if (ec == http::error::body_limit) {
                http::response<http::string_body> res{http::status::payload_too_large, 11};
                res.set(http::field::connection, "close");
                res.prepare_payload();
                http::write(stream, res, ec);
                break;
            }
            if (ec) {
                break;
            }
            const auto& req = parser.get();
            HttpResponse out = Handle(req);
            if (out.drop) {
                beast::get_lowest_layer(stream).close(ec);  // no answer: the ambiguous outcome
                return;
            }
            if (out.delay.count() > 0) {
                std::this_thread::sleep_for(out.delay);
            }
            http::response<http::string_body> res{static_cast<http::status>(out.status), 11};
            for (const auto& [name, value] : out.headers) {
                res.set(name, value);
            }
            res.body() = std::move(out.body);
            res.keep_alive(req.keep_alive());
            res.prepare_payload();
            http::write(stream, res, ec);
            if (ec || !res.keep_alive()) {
                break;
            }
        }
        stream.shutdown(ec);
    }
};

HttpsServer::HttpsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpsServer::~HttpsServer() { Stop(); }

Result<std::unique_ptr<HttpsServer>> HttpsServer::Start(const HttpsServerOptions& options,
                                                        HttpHandler handler) {
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    impl->handler = std::move(handler);
    boost::system::error_code ec;
    impl->tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                          ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                          ssl::context::no_tlsv1_1);
    impl->tls.use_certificate_chain(asio::buffer(options.cert_pem), ec);
    if (!ec) {
        impl->tls.use_private_key(asio::buffer(options.key_pem), ssl::context::pem, ec);
    }
    if (ec) {
        return Fail(ErrorCode::kInvalidArgument,
                    "the server certificate or key is not usable: " + ec.message(), "https.tls");
    }
    const auto address = asio::ip::make_address(options.host, ec);
    if (ec) {
        return Fail(ErrorCode::kInvalidArgument, "not an IP address: " + options.host,
                    "https.listen");
    }
    const tcp::endpoint endpoint(address, options.port);
    impl->acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    }
    if (!ec) {
        impl->acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        return Fail(ErrorCode::kUnavailable,
                    "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " +
                        ec.message(),
                    "https.listen");
    }
    Impl* raw = impl.get();
    for (int i = 0; i < std::max(1, options.threads); ++i) {
        impl->workers.emplace_back([raw] { raw->WorkerLoop(); });
    }
    impl->accept_thread = std::thread([raw] { raw->AcceptLoop(); });
    return std::unique_ptr<HttpsServer>(new HttpsServer(std::move(impl)));
}

std::uint16_t HttpsServer::port() const {
    boost::system::error_code ec;
    return impl_->acceptor.local_endpoint(ec).port();
}

void HttpsServer::Stop() {
    if (!impl_) {
        return;
    }
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->stopping) {
            return;
        }
        impl_->stopping = true;
        for (int fd : impl_->active) {
            ::shutdown(fd, SHUT_RDWR);  // wakes a worker blocked in read
        }
        impl_->ready.notify_all();
    }
    // Unblock accept() with shutdown on the listening socket, then close it.
    ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
    if (impl_->accept_thread.joinable()) {
        impl_->accept_thread.join();
    }
    boost::system::error_code ec;
    impl_->acceptor.close(ec);
    for (auto& t : impl_->workers) {
        if (t.joinable()) {
            t.join();
        }
    }
    impl_->pending.clear();
}

}  // namespace todoke::egov::detail
