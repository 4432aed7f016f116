// The pipeline's throughput and memory: filings per second from the queue to `arrived` (prepare:
// validate, render, sign; submit: `submitting` committed, POST /apply to the in-process
// simulator, which checks every signature, then the answer committed) with all of it on this
// machine's cores, beside OpenSSL's raw RSA-2048 rate of the same run. The sign-limited rate is
// what the cores could do if a filing cost exactly one RSA signature and nothing else:
// cores × raw RSA rate. Peak memory (ru_maxrss) is measured in a fresh process per size, so
// the sizes can be compared: it must not grow with the number of filings.
// TODOKE_BENCH_FILINGS sets the larger size (10,000); TODOKE_BENCH_ATTACHMENT_KB gives every
// filing a scanned PDF of that size, as 社労士 filings carry their 提出代行証明書.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>
#include <thread>

#include "bench_util.hpp"
#include "test_support.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/common/runtime.hpp"
#include "todoke/egov/client.hpp"
#include "todoke/egov/simulator.hpp"
#include "todoke/forms/record.hpp"
#include "todoke/gateway/pipeline.hpp"

namespace {

using namespace todoke;
namespace json = boost::json;

struct Outcome {
    int filings = 0;
    double seconds = 0;
    long peak_kb = 0;
    double cpu_seconds = 0;      // user + system of the whole process while timed
    double sim_seconds = 0;      // of that, the simulator's threads ("sim-egov")
    double prepare_seconds = 0;  // and the prepare stage's workers ("prepare/N")
};

double CpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// CPU seconds (user + system) so far of this process's live threads whose name starts with
// `prefix` (NameThisThread): the simulator's share of the process, read from /proc.
double ThreadCpuSeconds(std::string_view prefix) {
    const long ticks = sysconf(_SC_CLK_TCK);
    double total = 0;
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
        std::ifstream comm(task.path() / "comm");
        std::string name;
        std::getline(comm, name);
        if (!name.starts_with(prefix)) continue;
        std::ifstream stat_file(task.path() / "stat");
        std::string stat((std::istreambuf_iterator<char>(stat_file)), {});
        // After the ")" that ends the name: state, then utime and stime are the 12th and 13th.
        std::istringstream rest(stat.substr(stat.rfind(')') + 2));
        std::string field;
        double utime = 0, stime = 0;
        for (int i = 0; i < 13 && rest >> field; ++i) {
            if (i == 11) utime = std::stod(field);
            if (i == 12) stime = std::stod(field);
        }
        total += (utime + stime) / static_cast<double>(ticks);
    }
    return total;
}

// One workload in this process: N filings enqueued, then timed from Start() to all arrived.
int Child(int n) {
    LibraryRuntime runtime;
    ::todoke::testing::TempDir dir;
    ::todoke::testing::TestPki pki(dir.path());
    auto ca = pki.Issue("ca", {.common_name = "Bench CA", .is_ca = true}, nullptr);
    auto signer = pki.Issue("signer", {.common_name = "Bench Signer"}, &ca);
    egov::SimulatorConfig sim_config;
    sim_config.data_dir = dir.path() / "sim";
    sim_config.trust_files = {ca.cert_path};
    sim_config.threads = 4;
    auto sim = egov::Simulator::Start(sim_config);
    if (!sim) {
        std::cerr << sim.error().ToString() << "\n";
        return 1;
    }
    const auto ready = json::parse((*sim)->ReadyLine()).as_object();
    auto c = egov::ClientConfigFromReadyLine((*sim)->ReadyLine(), dir.path() / "tokens.sealed",
                                             std::string(32, 'K'));
    if (!c) {
        std::cerr << c.error().ToString() << "\n";
        return 1;
    }
    static const SystemClock clock;
    auto client = egov::EgovClient::Create(*c, clock);
    if (!client || !(*client)->Login((*client)->ConsentByRedirect())) {
        std::cerr << "cannot log in to the simulator\n";
        return 1;
    }
    auto official =
        signing::TrustStore::FromPemFiles({std::string(ready.at("official_ca_file").as_string())});
    const std::vector<signing::SigningKey> keys{::todoke::testing::LoadKey(signer)};
    gateway::PipelineConfig config;
    config.data_dir = dir.path() / "data";
    config.data_key = std::string(32, 'D');
    // Workers as docs/pipeline.md suggests for 2 cores (TODOKE_BENCH_WORKERS=prepare,submit
    // tries others). Prepare (signing) overlaps the other stages' waits (fsync, the portal's
    // answer).
    config.workers = {
        .prepare = 2, .submit = 2, .reconcile = 0, .track = 0, .collect = 0, .deliver = 0};
    if (const char* w = std::getenv("TODOKE_BENCH_WORKERS")) {
        if (std::sscanf(w, "%d,%d", &config.workers.prepare, &config.workers.submit) != 2) {
            std::cerr << "TODOKE_BENCH_WORKERS=prepare,submit\n";
            return 1;
        }
    }
    config.batch = 32;
    config.portal_calls_per_second = 0;
    config.idle = std::chrono::milliseconds(5);
    auto pipeline = gateway::Pipeline::Create(
        config, gateway::PipelineDeps{clock, **client, forms::Catalogue::Default(), keys, *official,
                                      nullptr});
    auto store =
        queue::OpenSqliteStore(gateway::StorePath(config.data_dir), config.data_key, clock);
    if (!pipeline || !store) {
        std::cerr << "cannot make the pipeline\n";
        return 1;
    }
    const std::string sample = ::todoke::testing::ReadFile(std::string(TODOKE_SOURCE_DIR) +
                                                           "/samples/records/kenpo_shutoku.json");
    json::object record = json::parse(sample).as_object();
    // TODOKE_BENCH_ATTACHMENT_KB=300: each filing also carries a scanned 提出代行証明書 of that
    // size, as 社労士 filings do (in the record, as data_base64).
    if (const char* kb = std::getenv("TODOKE_BENCH_ATTACHMENT_KB"); kb != nullptr && *kb) {
        const std::string pdf = bench::ScannedPdf(static_cast<std::size_t>(std::atol(kb)) * 1000);
        record["attachments"] = json::array{json::object{{"label", "提出代行に関する証明書"},
                                                         {"file_name", "teishutsudaiko.pdf"},
                                                         {"data_base64", Base64Encode(pdf)}}};
    }
    static const char* const kDigits[] = {"０", "１", "２", "３", "４",
                                          "５", "６", "７", "８", "９"};
    for (int i = 0; i < n; ++i) {
        const int company = i % 100;  // the reconciliation key: 100 companies
        record["employer"].as_object()["name"] =
            std::string("株式会社見本") + kDigits[company / 10] + kDigits[company % 10];
        queue::NewFiling f;
        f.idempotency_key = "bench-" + std::to_string(i);
        f.company = "company-" + std::to_string(company);
        f.procedure = "kenpo_shutoku";
        f.record_json = json::serialize(record);
        if (!(*store)->Enqueue(f, "bench")) return 1;
    }
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = CpuSeconds();
    const double sim_start = ThreadCpuSeconds("sim-egov");
    (*pipeline)->Start();  // names its workers' threads: none is counted before this
    // The prepare workers' CPU is read when nothing is left to prepare (within one poll):
    // after that they only poll an empty queue, which is not the cost of a filing.
    double prepare_cpu = -1;
    for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        auto counts = (*store)->Counts();
        if (!counts) return 1;
        if (prepare_cpu < 0 &&
            counts->by_state[static_cast<std::size_t>(queue::FilingState::kReceived)] == 0) {
            prepare_cpu = ThreadCpuSeconds("prepare/");
        }
        const auto arrived =
            counts->by_state[static_cast<std::size_t>(queue::FilingState::kArrived)];
        if (arrived + counts->final() >= n) {
            if (counts->final() != 0) {
                std::cerr << "some filings did not arrive\n";
                return 1;
            }
            break;
        }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu = CpuSeconds() - cpu_start;
    const double sim_cpu = ThreadCpuSeconds("sim-egov") - sim_start;
    (*pipeline)->Stop();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("%d %.6f %ld %.6f %.6f %.6f\n", n, seconds, usage.ru_maxrss, cpu, sim_cpu,
                prepare_cpu);
    return 0;
}

Outcome RunChild(const char* self, int n) {
    const std::string command = std::string(self) + " --child " + std::to_string(n);
    FILE* p = popen(command.c_str(), "r");
    Outcome o;
    if (p == nullptr || std::fscanf(p, "%d %lf %ld %lf %lf %lf", &o.filings, &o.seconds, &o.peak_kb,
                                    &o.cpu_seconds, &o.sim_seconds, &o.prepare_seconds) != 6) {
        o.filings = 0;
    }
    if (p != nullptr) pclose(p);
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--child") {
        return Child(std::atoi(argv[2]));
    }
    const double seconds = bench::SecondsPerMeasurement(1.0);
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const char* big_env = std::getenv("TODOKE_BENCH_FILINGS");
    const int big = big_env != nullptr ? std::atoi(big_env) : 10000;
    const char* attachment_kb = std::getenv("TODOKE_BENCH_ATTACHMENT_KB");
    const std::string with_attachment =
        attachment_kb != nullptr && *attachment_kb
            ? std::string(", each with a ") + attachment_kb + " KB scanned PDF"
            : "";
    std::printf("pipeline: filings from the queue to arrived, simulator in-process, faults off%s\n",
                with_attachment.c_str());
    // The RSA rates are measured right before and right after each run and the two averaged:
    // the machine's speed drifts during a run of minutes (other tenants, clock frequency). The
    // sign-limited rate is measured with every core signing at once, as the pipeline's cores
    // work at once; one core's rate converts CPU time into RSA signatures.
    struct RsaRates {
        double one_core = 0, together = 0;
    };
    const auto measure_rsa = [&] {
        return RsaRates{bench::MeasureRawRsa(seconds).per_second,
                        bench::MeasureRawRsaTogether(cores, seconds)};
    };
    RsaRates rsa = measure_rsa();
    Outcome results[2];
    const int sizes[2] = {std::max(big / 10, 100), big};
    for (int i = 0; i < 2; ++i) {
        const RsaRates before = rsa;
        results[i] = RunChild(argv[0], sizes[i]);
        rsa = measure_rsa();
        const double per_core = (before.one_core + rsa.one_core) / 2;
        const double sign_limited = (before.together + rsa.together) / 2;
        std::printf(
            "  raw RSA-2048 sign around the run: %.0f and %.0f/s on one core; on all %u cores at "
            "once %.0f and %.0f/s (x%.2f one core): sign-limited %.0f/s\n",
            before.one_core, rsa.one_core, cores, before.together, rsa.together,
            sign_limited / per_core, sign_limited);
        if (results[i].filings == 0) {
            std::fprintf(stderr, "the %d-filing run failed\n", sizes[i]);
            return 1;
        }
        const double rate = results[i].filings / results[i].seconds;
        std::printf(
            "  %6d filings: %7.1f s  %7.1f filings/s  = %5.1f %% of sign-limited  "
            "peak RSS %ld MiB  CPU %.2f ms/filing (%.1f RSA), %.2f cores busy\n",
            results[i].filings, results[i].seconds, rate, 100.0 * rate / sign_limited,
            results[i].peak_kb / 1024, 1000.0 * results[i].cpu_seconds / results[i].filings,
            results[i].cpu_seconds / results[i].filings * per_core,
            results[i].cpu_seconds / results[i].seconds);
        // The simulator stands in for e-Gov's servers: what the gateway itself costs is the
        // process's CPU without the simulator's threads.
        const double gateway =
            (results[i].cpu_seconds - results[i].sim_seconds) / results[i].filings;
        std::printf(
            "          of the CPU per filing: gateway %.2f ms (%.1f RSA), in-process simulator "
            "%.2f ms (%.1f RSA)\n",
            1000.0 * gateway, gateway * per_core,
            1000.0 * results[i].sim_seconds / results[i].filings,
            results[i].sim_seconds / results[i].filings * per_core);
        // What the goal can reach on these cores while the simulator shares them: a gateway
        // that did nothing but its one signature per filing (at the all-cores rate) would still
        // leave the simulator's CPU per filing to be paid.
        const double sim_per_filing = results[i].sim_seconds / results[i].filings;
        const double ceiling = cores / (cores / sign_limited + sim_per_filing);
        std::printf(
            "          ceiling with this simulator on the same cores (a gateway that only "
            "signs): %.0f filings/s = %.1f %% of sign-limited\n",
            ceiling, 100.0 * ceiling / sign_limited);
        // A tighter one: the prepare stage's measured CPU (claim, open the record, validate,
        // render, check, sign, zip, seal, commit) instead of one bare signature, as if
        // sending, HTTPS and the answers' commits cost the gateway nothing.
        const double prepare_per_filing = results[i].prepare_seconds / results[i].filings;
        const double prepared_ceiling = cores / (prepare_per_filing + sim_per_filing);
        std::printf(
            "          prepare stage alone %.2f ms (%.1f RSA); ceiling with it and this "
            "simulator (sending free): %.0f filings/s = %.1f %% of sign-limited\n",
            1000.0 * prepare_per_filing, prepare_per_filing * per_core, prepared_ceiling,
            100.0 * prepared_ceiling / sign_limited);
    }
    std::printf("  peak memory %d vs %d filings: x%.2f (goal: flat)\n", sizes[1], sizes[0],
                static_cast<double>(results[1].peak_kb) / static_cast<double>(results[0].peak_kb));
    return 0;
}
