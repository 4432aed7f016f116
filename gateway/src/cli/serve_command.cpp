// `todoke serve`: the pipeline's workers until SIGTERM/SIGINT (graceful), or with
// --exit-when-idle until every filing is final and every side effect delivered.
#include <signal.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <iostream>

#include "data_options.hpp"
#include "exit_status.hpp"
#include "settings.hpp"
#include "signing_keys.hpp"
#include "todoke/egov/client.hpp"
#include "todoke/gateway/pipeline.hpp"

namespace todoke::gateway {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

struct ServeArgs {
    DataArgs data;
    std::string egov_config;
    KeyArgs keys;
    std::vector<std::string> official_ca;
    bool exit_when_idle = false;
};

int RunServe(const ServeArgs& a) {
    auto settings = LoadCliSettings(a.data.config);
    if (!settings) return Failed(settings.error());
    auto catalogue = CliCatalogue(*settings);
    if (!catalogue) return Failed(catalogue.error());
    auto key = DataKey(a.data);
    if (!key) return Failed(key.error());
    const TimePoint now = Wall().Now();
    auto keys = LoadSigningKeys(a.keys, now, settings->expiry_warning_days);
    if (!keys) return Failed(keys.error());
    std::vector<fs::path> ca_files(a.official_ca.begin(), a.official_ca.end());
    auto government_ca = signing::TrustStore::FromPemFiles(ca_files);
    if (!government_ca) return Failed(government_ca.error());
    auto client_config = egov::ReadClientConfig(a.egov_config);
    if (!client_config) return Failed(client_config.error());
    auto client = egov::EgovClient::Create(*client_config, Wall());
    if (!client) return Failed(client.error());
    if (!(*client)->HasTokens()) {
        std::cerr << "error: no e-Gov tokens: run `todoke egov --config " << a.egov_config
                  << " login` first\n";
        return kExitUsage;
    }
    Logger log(std::cerr, LogLevel::kInfo, std::make_shared<SystemClock>());
    PipelineConfig config = settings->pipeline;
    config.data_dir = a.data.data;
    config.data_key = *key;
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    config.worker_prefix = std::string(host) + "/" + std::to_string(::getpid());
    // A batch renews its leases between portal calls, not during one (docs/pipeline.md).
    if (config.lease < 2 * client_config->timeout) {
        log.Warn("pipeline.lease_ms (" + std::to_string(config.lease.count()) +
                 ") is less than twice the e-Gov client's timeout_ms (" +
                 std::to_string(client_config->timeout.count()) +
                 "): one slow call can outlast a claim, and another worker may do the same "
                 "step again (fenced: only one result is kept)");
    }
    if (config.submit_lease <= client_config->timeout) {
        log.Warn("pipeline.submit_lease_ms (" + std::to_string(config.submit_lease.count()) +
                 ") does not exceed the e-Gov client's timeout_ms: a slow answer may be taken "
                 "for a dead worker and the send reconciled");
    }
    // Signals are taken by sigwait below, not by whichever thread they land on.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    auto pipeline = Pipeline::Create(
        std::move(config), PipelineDeps{Wall(), **client, *catalogue, *keys, *government_ca, &log});
    if (!pipeline) return Failed(pipeline.error());
    (*pipeline)->Start();
    std::cout << json::serialize(json::object{{"serving", true}, {"data", a.data.data}})
              << std::endl;
    log.Info("todoke serve: workers started");
    if (a.exit_when_idle) {
        // Stop once every filing is final and every side effect delivered.
        auto store = OpenStore(a.data);
        if (!store) return Failed(store.error());
        const timespec tick{0, 200 * 1000 * 1000};
        for (;;) {
            if (sigtimedwait(&signals, nullptr, &tick) > 0) break;
            auto c = (*store)->Counts();
            if (c && c->final() == c->total() && c->outbox_pending == 0) break;
        }
    } else {
        int sig = 0;
        sigwait(&signals, &sig);
    }
    log.Info("todoke serve: stopping (in-flight work finishes, claims are released)");
    (*pipeline)->Stop();
    log.Info("todoke serve: stopped");
    return kExitOk;
}

}  // namespace

CommandRun AddServeCommand(CLI::App& app) {
    auto serve = std::make_shared<ServeArgs>();
    CLI::App* s = app.add_subcommand("serve", "Run the pipeline's workers until SIGTERM");
    AddDataOptions(*s, serve->data);
    s->add_option("--config", serve->data.config, "settings file (JSON; \"pipeline\" section)");
    s->add_option("--egov-config", serve->egov_config, "e-Gov client settings (todoke egov)")
        ->required();
    AddKeyOptions(*s, serve->keys);
    s->add_option("--official-ca", serve->official_ca,
                  "PEM of the CA that signs official documents (公文書)")
        ->required();
    s->add_flag("--exit-when-idle", serve->exit_when_idle,
                "stop once every filing is final and everything is delivered");
    return [serve] { return RunServe(*serve); };
}

}  // namespace todoke::gateway
