#include "https_server.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "todoke/common/runtime.hpp"

namespace todoke::egov::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr std::uint64_t kMaxDrainBytes = 256ull << 20;

// Each connection is a coroutine on a pool of `threads` threads: a connection waiting for its
// next request holds no thread, so clients may keep as many connections alive as they like
// (a thread per connection would let idle keep-alive connections starve the pool). The
// handler runs on a pool thread and may block; at most `threads` handlers run at once.
struct HttpsServer::Impl {
    HttpsServerOptions options;
    HttpHandler handler;
    ssl::context tls{ssl::context::tls_server};
    asio::io_context io;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    // The accept loop and the acceptor's close (Stop) share one strand, as each connection has
    // its own: the pool's threads never touch one object at once.
    asio::strand<asio::io_context::executor_type> listen_strand = asio::make_strand(io);
    tcp::acceptor acceptor{io};
    std::vector<std::thread> workers;
    std::mutex mutex;
    std::set<int> active;  // native handles of open connections
    std::uint64_t accepted = 0;
    std::uint64_t resumed = 0;
    bool stopping = false;

    asio::awaitable<void> Listen() {
        for (;;) {
            boost::system::error_code ec;
            // Each connection lives on a strand of its own: the pool's threads must not run its
            // coroutine and its stream's timeout handler at once (Beast's basic_stream is not
            // thread-safe; a read timing out on one thread while its completion ran on another
            // tripped Beast's `! state().timeout` assertion in a loaded test run).
            const auto strand = asio::make_strand(io);
            tcp::socket socket = co_await acceptor.async_accept(
                strand, asio::redirect_error(asio::use_awaitable, ec));
            {
                std::lock_guard lock(mutex);
                if (stopping) {
                    co_return;
                }
                if (ec) {
                    if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
                        co_return;
                    }
                    continue;  // e.g. a client that went away during accept
                }
                active.insert(socket.native_handle());
                ++accepted;
            }
            asio::co_spawn(strand, Serve(std::move(socket)), asio::detached);
        }
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

    static http::response<http::string_body> TooLarge() {
        http::response<http::string_body> res{http::status::payload_too_large, 11};
        res.set(http::field::connection, "close");
        res.prepare_payload();
        return res;
    }

    asio::awaitable<void> Serve(tcp::socket socket) {
        const int fd = socket.native_handle();
        beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), tls);
        co_await Converse(stream);
        std::lock_guard lock(mutex);
        active.erase(fd);
    }

    asio::awaitable<void> Converse(beast::ssl_stream<beast::tcp_stream>& stream) {
        auto& tcp_layer = beast::get_lowest_layer(stream);
        const auto token = [](boost::system::error_code& ec) {
            return asio::redirect_error(asio::use_awaitable, ec);
        };
        boost::system::error_code ec;
        tcp_layer.expires_after(options.read_timeout);
        co_await stream.async_handshake(ssl::stream_base::server, token(ec));
        if (ec) {
            co_return;
        }
        if (SSL_session_reused(stream.native_handle()) == 1) {
            std::lock_guard lock(mutex);
            ++resumed;
        }
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(boost::none);  // checked below, with an answer instead of a reset
            parser.header_limit(64 * 1024);
            tcp_layer.expires_after(options.read_timeout);  // also the keep-alive idle limit
            co_await http::async_read_header(stream, buffer, parser, token(ec));
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
                    std::vector<char> sink(65536);
                    while (remaining > 0 && !ec) {
                        remaining -= co_await stream.async_read_some(
                            asio::buffer(sink.data(),
                                         std::min<std::uint64_t>(remaining, sink.size())),
                            token(ec));
                    }
                }
                auto res = TooLarge();
                co_await http::async_write(stream, res, token(ec));
                break;
            }
            parser.body_limit(options.max_body_bytes);  // also bounds chunked bodies
            co_await http::async_read(stream, buffer, parser, token(ec));
            if (ec == http::error::body_limit) {
                auto res = TooLarge();
                co_await http::async_write(stream, res, token(ec));
                break;
            }
            if (ec) {
                break;
            }
            tcp_layer.expires_never();  // the handler may take its time
            const auto& req = parser.get();
            HttpResponse out = Handle(req);
            if (out.drop) {
                tcp_layer.socket().close(ec);  // no answer: the ambiguous outcome
                co_return;
            }
            if (out.delay.count() > 0) {
                asio::steady_timer timer(co_await asio::this_coro::executor, out.delay);
                co_await timer.async_wait(token(ec));
            }
            http::response<http::string_body> res{static_cast<http::status>(out.status), 11};
            for (const auto& [name, value] : out.headers) {
                res.set(name, value);
            }
            res.body() = std::move(out.body);
            res.keep_alive(req.keep_alive());
            res.prepare_payload();
            tcp_layer.expires_after(options.read_timeout);
            co_await http::async_write(stream, res, token(ec));
            if (ec || !res.keep_alive()) {
                break;
            }
        }
        tcp_layer.expires_after(std::chrono::seconds(2));
        co_await stream.async_shutdown(token(ec));
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
    impl->work.emplace(impl->io.get_executor());
    asio::co_spawn(impl->listen_strand, raw->Listen(), asio::detached);
    for (int i = 0; i < std::max(1, options.threads); ++i) {
        impl->workers.emplace_back([raw, name = options.thread_name] {
            NameThisThread(name);
            raw->io.run();
        });
    }
    return std::unique_ptr<HttpsServer>(new HttpsServer(std::move(impl)));
}

std::uint16_t HttpsServer::port() const {
    boost::system::error_code ec;
    return impl_->acceptor.local_endpoint(ec).port();
}

std::uint64_t HttpsServer::connections_accepted() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->accepted;
}

std::uint64_t HttpsServer::sessions_resumed() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->resumed;
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
            ::shutdown(fd, SHUT_RDWR);  // every open connection ends now, idle or not
        }
    }
    // No new connections: shutdown refuses them at once (close happens on the pool below).
    ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
    asio::post(impl_->listen_strand, [impl = impl_.get()] {
        boost::system::error_code ec;
        impl->acceptor.close(ec);
    });
    impl_->work.reset();
    // Running handlers finish; the coroutines of the shut-down connections then end.
    for (auto& t : impl_->workers) {
        if (t.joinable()) {
            t.join();
        }
    }
}

}  // namespace todoke::egov::detail
