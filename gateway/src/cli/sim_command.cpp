// `todoke sim egov --listen HOST:PORT --data DIR [--config FILE] [--trust CA.pem ...]`: runs the
// e-Gov simulator until SIGTERM or SIGINT; prints one JSON line on stdout once it serves.
// `todoke sim clock --ready FILE --advance S` and `todoke sim faults --ready FILE --set JSON`
// act on a running one (its ready line saved to FILE): its virtual clock, its faults (e.g.
// {"error_503": 1}: an outage, for a rehearsal).
#include <boost/json.hpp>
#include <csignal>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>

#include "commands.hpp"
#include "exit_status.hpp"
#include "todoke/common/file.hpp"
#include "todoke/egov/simulator.hpp"

namespace todoke::gateway {
namespace {

struct OperatorArgs {
    std::string ready;  // the ready line, saved to a file
    std::int64_t advance = 0;
    std::string faults;
};

// A running simulator's api_base and ca_file, from its saved ready line.
std::optional<std::pair<std::string, std::string>> ReadyLine(const std::string& path) {
    auto text = ReadFileBytes(path, "ready line");
    if (!text) {
        std::cerr << "error: " << text.error().ToString() << "\n";
        return std::nullopt;
    }
    boost::system::error_code ec;
    const auto ready = boost::json::parse(*text, ec);
    if (ec || !ready.is_object() || !ready.as_object().contains("api_base") ||
        !ready.as_object().contains("ca_file") || !ready.at("api_base").is_string() ||
        !ready.at("ca_file").is_string()) {
        std::cerr << "error: --ready takes the JSON line `todoke sim egov` printed\n";
        return std::nullopt;
    }
    return std::make_pair(std::string(ready.at("api_base").as_string()),
                          std::string(ready.at("ca_file").as_string()));
}

// One operator call to the running simulator named by --ready; prints `label` and its answer.
int RunOperatorCall(
    const OperatorArgs& a, std::string_view label,
    const std::function<Result<std::string>(const std::string&, const std::string&)>& call) {
    const auto sim = ReadyLine(a.ready);
    if (!sim) return kExitUsage;
    auto answer = call(sim->first, sim->second);
    if (!answer) {
        std::cerr << "error: " << answer.error().ToString() << "\n";
        return kExitUsage;
    }
    std::cout << label << *answer << "\n";
    return kExitOk;
}

struct SimArgs {
    std::string listen = "127.0.0.1:0";
    std::string data;
    std::string config;
    std::vector<std::string> trust;
};

int Run(const SimArgs& a) {
    egov::SimulatorConfig config;
    if (!a.config.empty()) {
        if (auto read = egov::ReadSimulatorConfig(a.config, config); !read) {
            std::cerr << "error: " << a.config << ": " << read.error().ToString() << "\n";
            return kExitUsage;
        }
    }
    const auto colon = a.listen.rfind(':');
    if (colon == std::string::npos) {
        std::cerr << "error: --listen takes HOST:PORT\n";
        return kExitUsage;
    }
    config.host = a.listen.substr(0, colon);
    if (config.host.size() > 2 && config.host.front() == '[') {
        config.host = config.host.substr(1, config.host.size() - 2);
    }
    try {
        const int port = std::stoi(a.listen.substr(colon + 1));
        if (port < 0 || port > 65535) {
            throw std::out_of_range("port");
        }
        config.port = static_cast<std::uint16_t>(port);
    } catch (const std::exception&) {
        std::cerr << "error: --listen: the port must be 0–65535\n";
        return kExitUsage;
    }
    config.data_dir = a.data;
    for (const auto& t : a.trust) {
        config.trust_files.emplace_back(t);
    }
    // Signals are taken by sigwait below; block them before the server's threads start.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    auto sim = egov::Simulator::Start(config);
    if (!sim) {
        std::cerr << "error: " << sim.error().ToString() << "\n";
        return kExitUsage;
    }
    if (config.trust_files.empty()) {
        std::cerr << "todoke sim egov: no --trust given: every applicant signature will be "
                     "refused\n";
    }
    std::cout << (*sim)->ReadyLine() << std::endl;
    int received = 0;
    sigwait(&signals, &received);
    (*sim)->Stop();
    std::cerr << "todoke sim egov: stopped\n";
    return kExitOk;
}

}  // namespace

CommandRun AddSimCommand(CLI::App& app) {
    auto args = std::make_shared<SimArgs>();
    CLI::App* sim = app.add_subcommand("sim", "Local simulators of the government portals");
    sim->require_subcommand(1);
    CLI::App* egov = sim->add_subcommand(
        "egov", "The e-Gov API v2 and its OAuth2 server over HTTPS, until SIGTERM");
    egov->add_option("--listen", args->listen, "HOST:PORT (port 0: a free one)");
    egov->add_option("--data", args->data, "folder for its state (SQLite) and certificates")
        ->required();
    egov->add_option("--config", args->config, "simulator settings (JSON)");
    egov->add_option("--trust", args->trust,
                     "applicant trust anchor (PEM); repeatable (none: every signature is refused)");
    auto op = std::make_shared<OperatorArgs>();
    auto chosen = std::make_shared<std::string>("egov");
    CLI::App* clock = sim->add_subcommand(
        "clock", "Advance a running simulator's virtual clock (POST {api_base}/_sim/clock)");
    clock->add_option("--ready", op->ready, "file holding its ready line")->required();
    clock->add_option("--advance", op->advance, "virtual seconds")
        ->required()
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{100} * 365 * 86400));
    clock->callback([chosen] { *chosen = "clock"; });
    CLI::App* faults = sim->add_subcommand(
        "faults", "Change a running simulator's faults (POST {api_base}/_sim/faults)");
    faults->add_option("--ready", op->ready, "file holding its ready line")->required();
    faults
        ->add_option("--set", op->faults,
                     R"(JSON: error_500, error_503, drop_after_record, slow (shares 0–1), )"
                     R"(slow_ms, maintenance_start/_end (virtual unix s), seed; e.g. )"
                     R"({"error_503": 1} for an outage)")
        ->required();
    faults->callback([chosen] { *chosen = "faults"; });
    return [args, op, chosen] {
        if (*chosen == "clock") {
            return RunOperatorCall(*op, "virtual time: ", [&](const auto& api, const auto& ca) {
                return egov::AdvanceSimulatorClock(api, ca, op->advance);
            });
        }
        if (*chosen == "faults") {
            return RunOperatorCall(*op, "", [&](const auto& api, const auto& ca) {
                return egov::SetSimulatorFaults(api, ca, op->faults);
            });
        }
        return Run(*args);
    };
}

}  // namespace todoke::gateway
