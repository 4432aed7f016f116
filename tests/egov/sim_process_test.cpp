// `todoke sim egov` as tools start it: one JSON line on stdout when ready, serving until
// SIGTERM, its state kept over a restart.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "http_client.hpp"
#include "sim_fixture.hpp"

namespace todoke::egov::testing {
namespace {

struct Process {
    pid_t pid = -1;
    std::string first_line;
};

// Starts the binary with stdout on a pipe and reads its first line (the ready line).
Process Spawn(const std::vector<std::string>& args) {
    int out[2];
    if (pipe(out) != 0) return {};
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(out[1]);
    Process p{pid, ""};
    char c = 0;
    while (read(out[0], &c, 1) == 1 && c != '\n') p.first_line += c;
    close(out[0]);
    return p;
}

// Runs the binary to completion; returns (exit status, stdout).
std::pair<int, std::string> RunTodoke(const std::string& args) {
    const std::string command =
        "TODOKE_TEST_PW=test-password " + std::string(TODOKE_BINARY) + " " + args + " 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    std::string out;
    char buffer[4096];
    while (pipe != nullptr) {
        const size_t n = fread(buffer, 1, sizeof buffer, pipe);
        if (n == 0) break;
        out.append(buffer, n);
    }
    const int status = pipe != nullptr ? pclose(pipe) : -1;
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

int Stop(const Process& p) {
    kill(p.pid, SIGTERM);
    int status = 0;
    waitpid(p.pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
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
    Process sim = Spawn(args);
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
    EXPECT_EQ(Stop(sim), 0);

    // Restarted on the same folder: same client secret (its SQLite state is kept).
    Process again = Spawn(args);
    const auto ready2 = boost::json::parse(again.first_line, ec);
    ASSERT_FALSE(ec) << again.first_line;
    EXPECT_EQ(ready2.at("client_secret"), ready.at("client_secret"));
    EXPECT_EQ(Stop(again), 0);
}

TEST(SimProcessTest, TheEgovCommandsLogInApplyFollowAndFetch) {
    ::todoke::testing::TempDir dir;
    ::todoke::testing::TestPki pki(dir.path());
    auto ca = pki.Issue("ca", {.common_name = "CA", .is_ca = true}, nullptr);
    auto signer = pki.Issue(
        "signer", {.common_name = "Signer", .valid_until = std::chrono::hours(24 * 3650)}, &ca);
    Process sim = Spawn({TODOKE_BINARY, "sim", "egov", "--data", (dir.path() / "data").string(),
                         "--trust", ca.cert_path.string()});
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
    EXPECT_EQ(Stop(sim), 0);
}

}  // namespace
}  // namespace todoke::egov::testing
