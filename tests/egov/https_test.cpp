// The simulators' HTTPS server and the client's transport together: kept-alive connections hold
// no server thread, calls ride on a kept connection, and a POST whose kept connection dies
// before the answer fails instead of being sent again (libcurl resends by itself when it can
// rewind the body: for POST /apply, a second e-Gov case).
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "https_server.hpp"
#include "sim_pki.hpp"
#include "test_support.hpp"
#include "todoke/common/clock.hpp"
#include "todoke/common/runtime.hpp"

namespace todoke::egov::detail {
namespace {

class HttpsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto pki = LoadOrCreateSimPki(dir_.path(), SystemClock().Now());
        ASSERT_TRUE(pki) << pki.error().ToString();
        pki_ = *pki;
    }
    std::unique_ptr<HttpsServer> Serve(int threads, std::chrono::milliseconds delay = {}) {
        HttpsServerOptions o;
        o.cert_pem = pki_.server_cert_pem;
        o.key_pem = pki_.server_key_pem;
        o.threads = threads;
        auto server = HttpsServer::Start(o, [this, delay](const HttpRequest& r) {
            ++handled_;
            HttpResponse res;
            res.body = r.method + " " + r.path + " " + std::to_string(r.body.size());
            res.delay = delay;
            if (r.path == "/drop") {
                ++dropped_;
                res.drop = true;  // recorded, then the connection closes without an answer
            }
            return res;
        });
        EXPECT_TRUE(server) << server.error().ToString();
        return server ? std::move(*server) : nullptr;
    }
    HttpClientOptions Client() const {
        HttpClientOptions c;
        c.ca_file = pki_.tls_ca_file.string();
        return c;
    }
    std::string Url(const HttpsServer& s, const std::string& path) const {
        return "https://localhost:" + std::to_string(s.port()) + path;
    }
    LibraryRuntime runtime_;
    ::todoke::testing::TempDir dir_;
    SimPki pki_;
    std::atomic<int> handled_{0};
    std::atomic<int> dropped_{0};
};

TEST_F(HttpsTest, CallsReuseAConnection) {
    auto server = Serve(2);
    ASSERT_NE(server, nullptr);
    for (int i = 0; i < 5; ++i) {
        auto r = Perform(Client(), {"GET", Url(*server, "/a"), {}, ""});
        ASSERT_TRUE(r) << r.error().ToString();
        EXPECT_EQ(r->body, "GET /a 0");
    }
    // One thread in a row: the pool hands back the handle whose connection is alive.
    EXPECT_EQ(server->connections_accepted(), 1u);
    const std::string body(100000, 'x');  // more than one read of the body callback
    for (int i = 0; i < 3; ++i) {
        auto r = Perform(Client(), {"POST", Url(*server, "/apply"), {}, body});
        ASSERT_TRUE(r) << r.error().ToString();
        EXPECT_EQ(r->body, "POST /apply 100000");
    }
    EXPECT_EQ(server->connections_accepted(), 1u);
}

TEST_F(HttpsTest, APostWhoseKeptConnectionDiesIsNeverSentAgain) {
    auto server = Serve(2);
    ASSERT_NE(server, nullptr);
    auto first = Perform(Client(), {"POST", Url(*server, "/apply"), {}, "{}"});
    ASSERT_TRUE(first) << first.error().ToString();
    ASSERT_EQ(server->connections_accepted(), 1u);
    // On the kept connection the server takes the request and closes without answering:
    // libcurl would send it again on a new connection (it did, before the body was given
    // through a callback it cannot rewind and a second attempt was refused; each alone holds).
    auto dropped = Perform(Client(), {"POST", Url(*server, "/drop"), {}, "{\"case\": 1}"});
    ASSERT_FALSE(dropped);
    EXPECT_EQ(dropped.error().field, "http.transport");
    EXPECT_EQ(dropped_.load(), 1);  // received once, never twice
    EXPECT_EQ(handled_.load(), 2);
    // The failed handle is not kept; the next call works on a connection of its own.
    auto next = Perform(Client(), {"POST", Url(*server, "/apply"), {}, "{}"});
    ASSERT_TRUE(next) << next.error().ToString();
    EXPECT_EQ(handled_.load(), 3);
}

TEST_F(HttpsTest, IdleKeptConnectionsDoNotStarveTheServer) {
    // Two server threads, 24 clients side by side each keeping its connection: with a thread
    // per connection the third client would wait for an idle connection to time out.
    auto server = Serve(2, std::chrono::milliseconds(5));
    ASSERT_NE(server, nullptr);
    constexpr int kClients = 24;
    std::vector<std::future<bool>> calls;
    for (int round = 0; round < 3; ++round) {
        calls.clear();
        for (int i = 0; i < kClients; ++i) {
            calls.push_back(std::async(std::launch::async, [&] {
                HttpClientOptions c = Client();
                c.total_timeout = std::chrono::milliseconds(10000);
                auto r = Perform(c, {"GET", Url(*server, "/poll"), {}, ""});
                return r && r->status == 200;
            }));
        }
        for (auto& c : calls) EXPECT_TRUE(c.get());
    }
    EXPECT_EQ(handled_.load(), 3 * kClients);
    // Rounds 2 and 3 ride on the connections of round 1 (+ a handle another test left behind).
    EXPECT_LE(server->connections_accepted(), static_cast<std::uint64_t>(kClients + 2));
    // Stop ends kept connections too; a call afterwards fails fast instead of hanging.
    server->Stop();
    HttpClientOptions c = Client();
    c.total_timeout = std::chrono::milliseconds(5000);
    EXPECT_FALSE(Perform(c, {"GET", Url(*server, "/after"), {}, ""}));
}

}  // namespace
}  // namespace todoke::egov::detail
