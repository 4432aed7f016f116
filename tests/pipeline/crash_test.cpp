// kill -9, over and over (security-and-reliability.md §8 items 14, 15, 21): the real `todoke
// serve` against the real `todoke sim egov` with faults on (503s, slow answers, answers dropped
// after the case was recorded), killed at random moments from outside and at its most
// dangerous points from inside (after `submitting` committed, after the portal answered and
// before the commit, after a 公文書 was stored and before 取得完了, after the portal took a
// 取下げ依頼 and before the commit), restarted each time, while an operator withdraws some of the
// filings and, for two rounds, e-Gov answers nothing but 503 (an outage: the circuit breaker
// pauses the portal stages). At the end every filing is final, the portal holds exactly one case
// per filing and never got a 取下げ依頼 twice, every 公文書 is in its mailbox exactly once and
// nothing is lost.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "process.hpp"
#include "test_support.hpp"
#include "todoke/common/sqlite.hpp"

namespace todoke {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using std::chrono::milliseconds;

#if defined(__SANITIZE_ADDRESS__)
constexpr int kFilings = 60;  // the sanitizer build is several times slower
constexpr int kKills = 6;
#else
constexpr int kFilings = 200;
constexpr int kKills = 12;
#endif

using Child = ::todoke::testing::ChildProcess;
using ::todoke::testing::RunShell;
using ::todoke::testing::SpawnProcess;

std::int64_t Count(SqliteDb& db, const std::string& sql) {
    auto q = db.Prepare(sql);
    EXPECT_TRUE(q) << sql;
    if (!q) return -1;
    auto row = q->Step();
    return row && *row ? q->Int64(0) : -1;
}

// N records from the 資格取得届 sample, spread over 25 companies (the reconciliation key).
std::string Records(int n) {
    const std::string sample = ::todoke::testing::ReadFile(std::string(TODOKE_SOURCE_DIR) +
                                                           "/samples/records/kenpo_shutoku.json");
    const json::object base = json::parse(sample).as_object();
    static const char* const kDigits[] = {"０", "１", "２", "３", "４",
                                          "５", "６", "７", "８", "９"};
    json::array all;
    for (int i = 0; i < n; ++i) {
        json::object r = base;
        r["record_id"] = "crash-" + std::to_string(i);
        const int company = i % 25;
        r["employer"].as_object()["name"] =
            std::string("株式会社見本") + kDigits[company / 10] + kDigits[company % 10];
        r["company"] = "company-" + std::to_string(company);
        all.push_back(std::move(r));
    }
    return json::serialize(all);
}

TEST(CrashTest, KillNineAtRandomMomentsLosesNothingAndSendsNothingTwice) {
    ::todoke::testing::TempDir dir;
    ::todoke::testing::TestPki pki(dir.path());
    auto ca = pki.Issue("ca", {.common_name = "Crash CA", .is_ca = true}, nullptr);
    auto signer = pki.Issue("signer", {.common_name = "Crash Signer"}, &ca);
    const fs::path d = dir.path();
    const std::string todoke = TODOKE_BINARY;
    {
        std::ofstream(d / "sim.json")
            << R"({"clock_speed": "100", "review_after_s": 30, "decide_after_s": 2000,
                  "faults": {"error_503": "0.05", "drop_after_record": "0.1", "slow": "0.05",
                             "slow_ms": 300, "seed": 11}})";
        std::ofstream(d / "serve.json")
            << R"({"pipeline": {"poll_interval_ms": 200, "reconcile_after_ms": 300, "idle_ms": 50,
                  "lease_ms": 3000, "submit_lease_ms": 4000, "batch": 8,
                  "portal_calls_per_second": 100,
                  "retry": {"initial_ms": 100, "cap_ms": 1000, "budget": 100},
                  "breaker": {"failures": 3, "open_ms": 200, "open_cap_ms": 800}}})";
        std::ofstream(d / "token.key") << std::string(64, 'a');
        std::ofstream(d / "data.key") << std::string(64, 'b');
        std::ofstream(d / "records.json") << Records(kFilings);
    }
    Child sim = SpawnProcess(
        {todoke, "sim", "egov", "--listen", "127.0.0.1:0", "--data", (d / "sim").string(),
         "--trust", ca.cert_path.string(), "--config", (d / "sim.json").string()},
        {}, d / "sim.log");
    ASSERT_GT(sim.pid, 0);
    ASSERT_FALSE(sim.first_line.empty());
    std::ofstream(d / "ready.json") << sim.first_line;
    const auto set_faults = [&](const std::string& faults) {
        const auto set = RunShell(todoke + " sim faults --ready " + (d / "ready.json").string() +
                                  " --set '" + faults + "'");
        EXPECT_EQ(set.first, 0) << set.second;
    };
    json::object egov = json::parse(sim.first_line).as_object();
    egov["token_file"] = (d / "tokens.sealed").string();
    egov["token_key_file"] = (d / "token.key").string();
    egov["timeout_ms"] = 2000;
    std::ofstream(d / "egov.json") << json::serialize(egov);
    const std::string official_ca = std::string(egov["official_ca_file"].as_string());
    const std::string common =
        " --data " + (d / "data").string() + " --data-key-file " + (d / "data.key").string();
    ASSERT_EQ(RunShell(todoke + " egov --config " + (d / "egov.json").string() + " login").first,
              0);
    auto submitted = RunShell(todoke + " submit " + (d / "records.json").string() + common);
    ASSERT_EQ(submitted.first, 0) << submitted.second;

    const std::vector<std::string> serve{todoke,
                                         "serve",
                                         "--data",
                                         (d / "data").string(),
                                         "--data-key-file",
                                         (d / "data.key").string(),
                                         "--egov-config",
                                         (d / "egov.json").string(),
                                         "--key",
                                         signer.p12_path.string(),
                                         "--password-env",
                                         "TODOKE_TEST_PW",
                                         "--official-ca",
                                         official_ca,
                                         "--config",
                                         (d / "serve.json").string()};
    std::mt19937 rng(20261123);
    int killed_outside = 0, crashed_inside = 0;
    std::set<std::int64_t> withdraw_asked;
    for (int round = 0; round < kKills; ++round) {
        if (round == kKills / 4) {
            set_faults(R"({"error_503": 1})");  // the outage
        } else if (round == kKills / 4 + 2) {
            set_faults(R"({"error_503": 0.05})");
        }
        const std::string seed = "TODOKE_CRASH_SEED=" + std::to_string(round);
        Child gw = SpawnProcess(serve,
                                {"TODOKE_TEST_PW=test-password", seed,
                                 "TODOKE_CRASH_POINTS=after_submitting_commit=0.03,"
                                 "after_portal_answer=0.03,after_document_stored=0.1,"
                                 "after_withdraw_answer=0.3"},
                                d / "serve.log");
        ASSERT_GT(gw.pid, 0);
        const auto until = std::chrono::steady_clock::now() +
                           milliseconds(std::uniform_int_distribution<int>(300, 2500)(rng));
        int status = 0;
        bool exited = false;
        while (std::chrono::steady_clock::now() < until) {
            if (waitpid(gw.pid, &status, WNOHANG) == gw.pid) {
                exited = true;
                break;
            }
            std::this_thread::sleep_for(milliseconds(20));
        }
        if (!exited) {
            kill(gw.pid, SIGKILL);
            waitpid(gw.pid, &status, 0);
            ++killed_outside;
        } else {
            EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
                << "serve ended on its own: " << status;
            ++crashed_inside;
        }
        // An operator withdraws the newest filings that have arrived by now (5 each time),
        // between two runs of serve; their 取下げ依頼 go out under the same kills and crash
        // points. The newest: an older case may be decided before a worker gets to it.
        if (round == kKills / 3 || round == kKills / 2) {
            auto arrived = RunShell(todoke + " status --json --state arrived" + common);
            std::vector<std::int64_t> ids;
            std::istringstream lines(arrived.second);
            for (std::string line; std::getline(lines, line);) {
                ids.push_back(json::parse(line).as_object().at("filing").as_int64());
            }
            for (std::size_t k = ids.size() > 5 ? ids.size() - 5 : 0; k < ids.size(); ++k) {
                auto asked = RunShell(todoke + " withdraw " + std::to_string(ids[k]) +
                                      " --reason 誤って提出したため" + common);
                if (asked.first == 0) withdraw_asked.insert(ids[k]);
            }
        }
        // Intake is idempotent at any moment: the same file again creates nothing.
        if (round == kKills / 2) {
            auto again = RunShell(todoke + " submit " + (d / "records.json").string() + common);
            EXPECT_EQ(again.second.find("\"created\":true"), std::string::npos);
        }
    }
    // The last run has no crash points and stops once everything is final and delivered.
    std::vector<std::string> last = serve;
    last.push_back("--exit-when-idle");
    Child gw = SpawnProcess(last, {"TODOKE_TEST_PW=test-password"}, d / "serve.log");
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
    while (waitpid(gw.pid, &status, WNOHANG) != gw.pid) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(gw.pid, SIGKILL);
            waitpid(gw.pid, &status, 0);
            ADD_FAILURE() << "not finished in 240 s: "
                          << RunShell(todoke + " status --summary" + common).second;
            break;
        }
        std::this_thread::sleep_for(milliseconds(100));
    }
    kill(sim.pid, SIGTERM);
    waitpid(sim.pid, &status, 0);
    // What the operator sees of e-Gov's health: the outage is over.
    const auto summary = RunShell(todoke + " status --summary" + common);
    ASSERT_EQ(summary.first, 0) << summary.second;
    const auto egov_health =
        json::parse(summary.second).as_object().at("portal").at("egov").as_object();
    EXPECT_FALSE(egov_health.at("paused").as_bool()) << summary.second;
    // The breaker's openings, from the log of every run of serve.
    int breaker_opened = 0;
    {
        std::ifstream log(d / "serve.log");
        for (std::string line; std::getline(log, line);) {
            if (line.find("portal calls paused") != std::string::npos) ++breaker_opened;
        }
    }

    auto gateway_db = SqliteDb::Open(d / "data" / "todoke.db");
    auto sim_db = SqliteDb::Open(d / "sim" / "sim.db");
    ASSERT_TRUE(gateway_db && sim_db);
    ASSERT_TRUE(
        gateway_db->Exec("ATTACH DATABASE '" + (d / "sim" / "sim.db").string() + "' AS portal"));
    const auto filings = Count(*gateway_db, "SELECT COUNT(*) FROM filings");
    const auto completed =
        Count(*gateway_db, "SELECT COUNT(*) FROM filings WHERE state = 'completed'");
    const auto withdrawn =
        Count(*gateway_db, "SELECT COUNT(*) FROM filings WHERE state = 'withdrawn'");
    // Never twice: no case got a second 取下げ依頼 (the sim logs every one, taken or refused).
    const auto withdraw_requests = Count(*sim_db, "SELECT COUNT(*) FROM withdraw_requests");
    const auto twice = Count(*sim_db,
                             "SELECT COUNT(*) FROM (SELECT arrive_id FROM withdraw_requests "
                             "GROUP BY arrive_id HAVING COUNT(*) > 1)");
    // A withdrawn filing's case took its 取下げ依頼 and issued nothing; nothing was delivered.
    const auto withdrawn_wrong = Count(
        *gateway_db,
        "SELECT COUNT(*) FROM filings f WHERE f.state = 'withdrawn' AND (NOT EXISTS (SELECT 1 "
        "FROM portal.cases c WHERE c.arrive_id = f.arrive_id AND c.withdrawn_at > 0) OR EXISTS "
        "(SELECT 1 FROM portal.documents d WHERE d.arrive_id = f.arrive_id) OR EXISTS (SELECT 1 "
        "FROM mailbox m WHERE m.filing_id = f.id))");
    const auto lost_answers = Count(*gateway_db,
                                    "SELECT COUNT(*) FROM history WHERE reason LIKE "
                                    "'the 取下げ依頼 had reached the portal%'");
    const auto too_late = Count(*gateway_db,
                                "SELECT COUNT(*) FROM history WHERE reason LIKE "
                                "'取下げ not possible now%'");
    const auto distinct_cases =
        Count(*gateway_db, "SELECT COUNT(DISTINCT arrive_id) FROM filings WHERE arrive_id <> ''");
    const auto portal_cases = Count(*sim_db, "SELECT COUNT(*) FROM cases");
    const auto portal_documents = Count(*sim_db, "SELECT COUNT(*) FROM documents");
    const auto delivered = Count(*gateway_db, "SELECT COUNT(*) FROM mailbox");
    const auto delivered_distinct =
        Count(*gateway_db, "SELECT COUNT(DISTINCT document_id) FROM mailbox");
    const auto documents = Count(*gateway_db,
                                 "SELECT COUNT(*) FROM documents WHERE state = "
                                 "'acknowledged'");
    const auto pending = Count(*gateway_db, "SELECT COUNT(*) FROM outbox WHERE done_at = 0");
    const auto unknown = Count(*gateway_db,
                               "SELECT COUNT(DISTINCT filing_id) FROM history "
                               "WHERE to_state = 'unknown'");
    const auto found = Count(*gateway_db,
                             "SELECT COUNT(*) FROM history WHERE reason LIKE "
                             "'reconciled: found%'");
    const auto resent = Count(*gateway_db,
                              "SELECT COUNT(*) FROM history WHERE reason LIKE "
                              "'reconciled: the portal has no case%'");
    const auto stale_docs = Count(*gateway_db,
                                  "SELECT COUNT(*) FROM documents d WHERE NOT "
                                  "EXISTS (SELECT 1 FROM mailbox m WHERE "
                                  "m.document_id = d.id AND m.company = d.company)");
    std::cout << "[crash] filings " << filings << ", kill -9 from outside " << killed_outside
              << ", crash points fired " << crashed_inside << ", filings that went unknown "
              << unknown << " (found at the portal " << found << ", sent again " << resent
              << "); portal cases " << portal_cases << ", completed " << completed
              << ", 公文書 issued " << portal_documents << ", acknowledged " << documents
              << ", delivered " << delivered << "; 取下げ asked " << withdraw_asked.size()
              << ", sent " << withdraw_requests << " (found already sent after a crash or lost "
              << "answer " << lost_answers << ", too late: the case was decided " << too_late
              << "), withdrawn " << withdrawn << "; the portal's circuit opened " << breaker_opened
              << " times\n";
    // Whatever did not complete, with its history, for the one reading a failure.
    auto odd = gateway_db->Prepare(
        "SELECT f.id, f.state, f.last_error, h.to_state, h.reason FROM filings f JOIN history h "
        "ON h.filing_id = f.id WHERE f.state NOT IN ('completed', 'withdrawn') ORDER BY f.id, "
        "h.id");
    while (odd && *odd->Step()) {
        std::cout << "[crash] filing " << odd->Int64(0) << " " << odd->Text(1) << ": "
                  << odd->Text(3) << " — " << odd->Text(4) << "\n";
    }
    EXPECT_EQ(filings, kFilings);
    // Every filing final: completed, or withdrawn (only those asked; one asked too late, after
    // its case was decided, completes).
    EXPECT_EQ(completed + withdrawn, kFilings);
    EXPECT_LE(withdrawn, static_cast<std::int64_t>(withdraw_asked.size()));
    EXPECT_EQ(twice, 0);
    // The 取下げ path was exercised, not only asked for (decide_after_s keeps the cases open
    // for 取下げ long enough).
    EXPECT_GT(withdraw_requests, 0);
    EXPECT_GT(withdrawn, 0);
    EXPECT_EQ(withdrawn_wrong, 0);
    EXPECT_LE(withdraw_requests, static_cast<std::int64_t>(withdraw_asked.size()));
    EXPECT_EQ(portal_cases, kFilings);    // exactly one case per filing
    EXPECT_EQ(distinct_cases, kFilings);  // and each filing its own
    EXPECT_EQ(portal_documents, completed);
    EXPECT_EQ(documents, completed);
    EXPECT_EQ(delivered, completed);           // every 公文書 delivered...
    EXPECT_EQ(delivered_distinct, completed);  // ...exactly once
    EXPECT_EQ(stale_docs, 0);                  // and to its own company
    EXPECT_EQ(pending, 0);
    EXPECT_GT(killed_outside + crashed_inside, 0);
    EXPECT_GT(breaker_opened, 0);  // the outage paused the portal stages
}

}  // namespace
}  // namespace todoke
