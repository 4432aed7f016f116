#include "todoke/egov/simulator.hpp"

#include <boost/json.hpp>

#include "http_client.hpp"
#include "sim_core.hpp"
#include "todoke/common/config.hpp"
#include "todoke/forms/catalogue.hpp"

namespace todoke::egov {

using detail::HttpRequest;
using detail::HttpResponse;

struct Simulator::Impl {
    std::unique_ptr<detail::SimCore> core;
    std::unique_ptr<detail::HttpsServer> server;
};

Simulator::Simulator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Simulator::~Simulator() { Stop(); }

Result<void> ReadSimulatorConfig(const std::filesystem::path& path, SimulatorConfig& c) {
    TODOKE_ASSIGN_OR_RETURN(ConfigNode root, ConfigNode::LoadFile(path));
    std::int64_t port = c.port, threads = c.threads, amendment_every = c.amendment_every,
                 withdraw_reject_every = c.withdraw_reject_every;
    std::uint64_t upload = c.max_upload_bytes;
    std::string speed = std::to_string(c.clock_speed);
    TODOKE_RETURN_IF_ERROR(root.Read("port", port, 0, 65535));
    TODOKE_RETURN_IF_ERROR(root.Read("threads", threads, 1, 256));
    TODOKE_RETURN_IF_ERROR(root.Read("clock_speed", speed));
    TODOKE_RETURN_IF_ERROR(root.Read("client_id", c.client_id));
    TODOKE_RETURN_IF_ERROR(root.Read("redirect_uri", c.redirect_uri));
    TODOKE_RETURN_IF_ERROR(
        root.Read("access_token_seconds", c.access_token_seconds, 1, std::int64_t{86400} * 30));
    TODOKE_RETURN_IF_ERROR(
        root.Read("refresh_token_seconds", c.refresh_token_seconds, 1, std::int64_t{86400} * 400));
    TODOKE_RETURN_IF_ERROR(root.Read("max_upload_bytes", upload, 1024, 1ull << 31));
    TODOKE_RETURN_IF_ERROR(
        root.Read("review_after_s", c.review_after_s, 0, std::int64_t{86400} * 365));
    TODOKE_RETURN_IF_ERROR(
        root.Read("decide_after_s", c.decide_after_s, 0, std::int64_t{86400} * 365));
    TODOKE_RETURN_IF_ERROR(root.Read("amendment_every", amendment_every, 0, 1000000));
    TODOKE_RETURN_IF_ERROR(root.Read("withdraw_reject_every", withdraw_reject_every, 0, 1000000));
    TODOKE_RETURN_IF_ERROR(
        root.Read("doc_deadline_s", c.doc_deadline_s, 0, std::int64_t{86400} * 3650));
    TODOKE_RETURN_IF_ERROR(root.Read("bulk_after_s", c.bulk_after_s, 0, std::int64_t{86400} * 30));
    TODOKE_ASSIGN_OR_RETURN(ConfigNode procedures, root.Section("procedures"));
    for (const auto& p : forms::Catalogue::Default().procedures()) {
        if (!procedures.Has(p.proc_id)) {
            continue;
        }
        TODOKE_ASSIGN_OR_RETURN(ConfigNode node, procedures.Section(p.proc_id));
        ProcedureScript script;
        script.proc_id = std::string(p.proc_id);
        std::int64_t every = 0;
        TODOKE_RETURN_IF_ERROR(node.Read("amendment_every", every, 0, 1000000));
        TODOKE_RETURN_IF_ERROR(node.Read("correct_type", script.correct_type));
        if (script.correct_type != "部分補正" && script.correct_type != "再提出") {
            return Fail(ErrorCode::kInvalidArgument, "部分補正 or 再提出",
                        "procedures." + script.proc_id + ".correct_type");
        }
        script.amendment_every = static_cast<int>(every);
        c.scripts.push_back(std::move(script));
    }
    TODOKE_ASSIGN_OR_RETURN(ConfigNode faults, root.Section("faults"));
    std::string e500 = "0", e503 = "0", drop = "0", slow = "0";
    TODOKE_RETURN_IF_ERROR(faults.Read("error_500", e500));
    TODOKE_RETURN_IF_ERROR(faults.Read("error_503", e503));
    TODOKE_RETURN_IF_ERROR(faults.Read("drop_after_record", drop));
    TODOKE_RETURN_IF_ERROR(faults.Read("slow", slow));
    TODOKE_RETURN_IF_ERROR(faults.Read("slow_ms", c.faults.slow_ms, 0, 600000));
    std::uint64_t seed = c.faults.seed;
    TODOKE_RETURN_IF_ERROR(faults.Read("seed", seed, 0, ~0ull));
    TODOKE_RETURN_IF_ERROR(
        faults.Read("maintenance_start", c.faults.maintenance_start, 0, 1ll << 40));
    TODOKE_RETURN_IF_ERROR(faults.Read("maintenance_end", c.faults.maintenance_end, 0, 1ll << 40));
    TODOKE_RETURN_IF_ERROR(root.CheckAllKeysUsed());
    // Shares and the speed are decimals written as strings ("0.05"): ConfigNode reads integers.
    const auto share = [&](const std::string& text, double& out, const char* key) -> Result<void> {
        try {
            out = std::stod(text);
        } catch (const std::exception&) {
            out = -1;
        }
        if (out < 0 || out > 1) {
            return Fail(ErrorCode::kInvalidArgument, "a share between 0 and 1 (\"0.05\")",
                        std::string("faults.") + key);
        }
        return Ok();
    };
    TODOKE_RETURN_IF_ERROR(share(e500, c.faults.error_500, "error_500"));
    TODOKE_RETURN_IF_ERROR(share(e503, c.faults.error_503, "error_503"));
    TODOKE_RETURN_IF_ERROR(share(drop, c.faults.drop_after_record, "drop_after_record"));
    TODOKE_RETURN_IF_ERROR(share(slow, c.faults.slow, "slow"));
    try {
        c.clock_speed = std::stod(speed);
    } catch (const std::exception&) {
        c.clock_speed = 0;
    }
    if (c.clock_speed <= 0 || c.clock_speed > 1e7) {
        return Fail(ErrorCode::kInvalidArgument, "a positive number (\"3600\")", "clock_speed");
    }
    c.port = static_cast<std::uint16_t>(port);
    c.threads = static_cast<int>(threads);
    c.amendment_every = static_cast<int>(amendment_every);
    c.withdraw_reject_every = static_cast<int>(withdraw_reject_every);
    c.max_upload_bytes = upload;
    c.faults.seed = seed;
    return Ok();
}

Result<std::unique_ptr<Simulator>> Simulator::Start(const SimulatorConfig& config) {
    if (config.data_dir.empty()) {
        return Fail(ErrorCode::kInvalidArgument, "a data folder is required", "sim.data");
    }
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    const TimePoint now = SystemClock().Now();
    TODOKE_ASSIGN_OR_RETURN(detail::SimPki pki, detail::LoadOrCreateSimPki(config.data_dir, now));
    std::optional<signing::TrustStore> trust;  // none: every applicant signature is refused
    if (!config.trust_files.empty()) {
        TODOKE_ASSIGN_OR_RETURN(trust, signing::TrustStore::FromPemFiles(config.trust_files));
    }
    TODOKE_ASSIGN_OR_RETURN(signing::SigningKey official,
                            signing::LoadPem(config.data_dir / "pki" / "official.key",
                                             config.data_dir / "pki" / "official.pem", ""));
    TODOKE_ASSIGN_OR_RETURN(SqliteDb db, SqliteDb::Open(config.data_dir / "sim.db"));
    // The simulator keeps its cases across its own restarts and crashes (WAL: a commit is in
    // the log before the call returns), not across a power cut: no fsync per commit. The
    // gateway's store keeps synchronous=FULL; the portal's durability is e-Gov's.
    TODOKE_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous=NORMAL"));
    auto impl = std::make_unique<Impl>();
    impl->core = std::make_unique<detail::SimCore>(config, std::move(db), pki, std::move(trust),
                                                   std::move(official));
    TODOKE_RETURN_IF_ERROR(impl->core->Migrate());
    detail::HttpsServerOptions options;
    options.host = config.host;
    options.port = config.port;
    options.cert_pem = pki.server_cert_pem;
    options.key_pem = pki.server_key_pem;
    options.threads = config.threads;
    options.max_body_bytes = config.max_upload_bytes;
    options.thread_name = "sim-egov";
    detail::SimCore* core = impl->core.get();
    TODOKE_ASSIGN_OR_RETURN(
        impl->server,
        detail::HttpsServer::Start(options, [core](const HttpRequest& r) -> HttpResponse {
            if (r.path == "/auth" || r.path.rfind("/auth/", 0) == 0) {
                return core->HandleAuth(r);
            }
            if (r.path.rfind("/shinsei/v2/", 0) == 0) {
                return core->HandleApi(r);
            }
            return detail::NoBody(404);
        }));
    const std::string host =
        config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;
    impl->core->base_url = "https://" + host + ":" + std::to_string(impl->server->port());
    return std::unique_ptr<Simulator>(new Simulator(std::move(impl)));
}

std::string Simulator::api_base() const { return impl_->core->base_url + "/shinsei/v2"; }
std::string Simulator::auth_base() const { return impl_->core->base_url + "/auth"; }

std::string Simulator::ReadyLine() const {
    const auto& c = impl_->core->config();
    return boost::json::serialize(
        boost::json::object{{"api_base", api_base()},
                            {"auth_base", auth_base()},
                            {"client_id", c.client_id},
                            {"client_secret", impl_->core->client_secret()},
                            {"redirect_uri", c.redirect_uri},
                            {"ca_file", impl_->core->pki().tls_ca_file.string()},
                            {"official_ca_file", impl_->core->pki().official_ca_file.string()}});
}

namespace {

// POST {api_base}/_sim/{endpoint} with a JSON body to a running simulator (TLS verified with
// `ca_file`): its operator endpoints.
Result<detail::HttpReply> PostToSimulator(const std::string& api_base, const std::string& ca_file,
                                          std::string_view endpoint, std::string body) {
    detail::HttpClientOptions http;
    http.ca_file = ca_file;
    return detail::Perform(http, {"POST",
                                  api_base + "/_sim/" + std::string(endpoint),
                                  {{"Content-Type", "application/json"}},
                                  std::move(body)});
}

}  // namespace

Result<std::string> AdvanceSimulatorClock(const std::string& api_base, const std::string& ca_file,
                                          std::int64_t seconds) {
    TODOKE_ASSIGN_OR_RETURN(
        detail::HttpReply reply,
        PostToSimulator(api_base, ca_file, "clock",
                        "{\"advance_seconds\": " + std::to_string(seconds) + "}"));
    boost::system::error_code ec;
    const auto body = boost::json::parse(reply.body, ec);
    if (reply.status != 200 || ec || !body.is_object() || !body.as_object().contains("now")) {
        return Fail(ErrorCode::kUnavailable,
                    "the simulator's clock answered " + std::to_string(reply.status), "sim.clock");
    }
    return std::string(body.at("now").as_string());
}

Result<std::string> SetSimulatorFaults(const std::string& api_base, const std::string& ca_file,
                                       const std::string& faults_json) {
    TODOKE_ASSIGN_OR_RETURN(detail::HttpReply reply,
                            PostToSimulator(api_base, ca_file, "faults", faults_json));
    if (reply.status != 200) {
        return Fail(ErrorCode::kInvalidArgument,
                    "the simulator refused the faults (" + std::to_string(reply.status) +
                        "): " + reply.body,
                    "sim.faults");
    }
    return reply.body;
}

void Simulator::Stop() {
    if (impl_ && impl_->server) {
        impl_->server->Stop();
    }
}

}  // namespace todoke::egov
