// `todoke sim egov` as tools start it: one JSON line on stdout when ready, serving until
// SIGTERM, its state kept over a restart.

#include <boost/json.hpp>

#include "http_client.hpp"
#include "process.hpp"
#include "sim_fixture.hpp"

namespace todoke::egov::testing {
namespace {

using Process = ::todoke::testing::ChildProcess;

using ::todoke::testing::SpawnProcess;
using ::todoke::testing::StopProcess;

// Runs the binary to completion; returns (exit status, stdout).
std::pair<int, std::string> RunTodoke(const std::string& args) {
    return ::todoke::testing::RunShell("TODOKE_TEST_PW=test-password " +
                                       std::string(TODOKE_BINARY) + " " + args + " 2>/dev/null");
}

TEST(SimProcessTest, PrintsTheReadyLineServesAndStopsOnSigterm) {
    ::todoke::testing::TempDir dir;
    ::todoke::testing::TestPki pki(dir.path());
    auto ca = pki.Issue("ca", {.common_name = "CA", .is_ca = true}, nullptr);
    const std::vector<std::string> args{TODOKE_BINARY,
                                        "sim",
                                        "egov",
                                        "--listen",
                                        "127.0.0.1:0",
                                        "--data",
                                        (dir.path() / "data").string(),
                                        "--trust",
                                        ca.cert_path.string()};
    Process sim = SpawnProcess(args);
    ASSERT_GT(sim.pid, 0);
    boost::system::error_code ec;
    const auto ready = boost::json::parse(sim.first_line, ec);
    ASSERT_FALSE(ec) << sim.first_line;
    for (const char* key : {"api_base", "auth_base", "client_id", "client_secret", "redirect_uri",
                            "ca_file", "official_ca_file"}) {
        EXPECT_TRUE(ready.as_object().contains(key)) << key;
    }
    detail::HttpClientOptions http;
    http.ca_file = std::string(ready.at("ca_file").as_string());
    // TLS verified against the CA it names; without a token the API answers 401.
    auto reply = detail::Perform(
        http, {"GET", std::string(ready.at("api_base").as_string()) + "/apply/lists", {}, ""});
    ASSERT_TRUE(reply) << reply.error().ToString();
    EXPECT_EQ(reply->status, 401);
    // Without that CA the client refuses the server.
    detail::HttpClientOptions untrusting;
    untrusting.ca_file = ca.cert_path.string();
    EXPECT_FALSE(detail::Perform(
        untrusting,
        {"GET", std::string(ready.at("api_base").as_string()) + "/apply/lists", {}, ""}));
    EXPECT_EQ(StopProcess(sim), 0);

    // Restarted on the same folder: same client secret (its SQLite state is kept).
    Process again = SpawnProcess(args);
    const auto ready2 = boost::json::parse(again.first_line, ec);
    ASSERT_FALSE(ec) << again.first_line;
    EXPECT_EQ(ready2.at("client_secret"), ready.at("client_secret"));
    EXPECT_EQ(StopProcess(again), 0);
}

TEST(SimProcessTest, TheEgovCommandsLogInApplyFollowAndFetch) {
    ::todoke::testing::TempDir dir;
    ::todoke::testing::TestPki pki(dir.path());
    auto ca = pki.Issue("ca", {.common_name = "CA", .is_ca = true}, nullptr);
    auto signer = pki.Issue(
        "signer", {.common_name = "Signer", .valid_until = std::chrono::hours(24 * 3650)}, &ca);
    Process sim = SpawnProcess({TODOKE_BINARY, "sim", "egov", "--data",
                                (dir.path() / "data").string(), "--trust", ca.cert_path.string()});
    auto ready = boost::json::parse(sim.first_line).as_object();
    ready["token_file"] = (dir.path() / "tokens.sealed").string();
    ready["token_key_file"] = (dir.path() / "token.key").string();
    ::todoke::testing::WriteFile(dir.path() / "token.key", std::string(64, 'a'));
    ::todoke::testing::WriteFile(dir.path() / "egov.json", boost::json::serialize(ready));
    const std::string config = "egov --config " + (dir.path() / "egov.json").string() + " ";
    EXPECT_EQ(RunTodoke(config + "login").first, 0);
    const std::string zip = (dir.path() / "koyo.zip").string();
    ASSERT_EQ(RunTodoke("package " + std::string(TODOKE_SOURCE_DIR) +
                        "/samples/records/koyo_shutoku.json --key " + signer.p12_path.string() +
                        " --password-env TODOKE_TEST_PW --out " + zip)
                  .first,
              0);
    auto [applied_status, applied] = RunTodoke(config + "apply " + zip);
    ASSERT_EQ(applied_status, 0) << applied;
    const std::string id(boost::json::parse(applied).at("arrive_id").as_string());
    auto [status_code, status] = RunTodoke(config + "status " + id);
    EXPECT_EQ(status_code, 0);
    EXPECT_NE(status.find("\"status\":\"到達\""), std::string::npos) << status;
    ::todoke::testing::WriteFile(dir.path() / "ready.json", sim.first_line);
    auto [clock_code, clock_out] = RunTodoke(
        "sim clock --ready " + (dir.path() / "ready.json").string() + " --advance 200000");
    EXPECT_EQ(clock_code, 0);
    EXPECT_NE(clock_out.find("virtual time: "), std::string::npos) << clock_out;
    auto [fetch_code, fetched] =
        RunTodoke(config + "fetch " + id + " --out " + (dir.path() / "docs").string() +
                  " --official-ca " + std::string(ready.at("official_ca_file").as_string()));
    EXPECT_EQ(fetch_code, 0) << fetched;
    EXPECT_NE(fetched.find("\"completed\":true"), std::string::npos) << fetched;
    EXPECT_NE(RunTodoke(config + "status " + id).second.find("手続終了"), std::string::npos);
    // A package for another procedure's folder is refused with its rows: exit 1.
    EXPECT_EQ(RunTodoke(config + "apply " + zip + " --proc-id 4950000020415000").first, 1);
    EXPECT_EQ(StopProcess(sim), 0);
}

}  // namespace
}  // namespace todoke::egov::testing
