#include "data_options.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <iostream>

#include "exit_status.hpp"
#include "settings.hpp"
#include "todoke/common/seal.hpp"
#include "todoke/gateway/pipeline.hpp"

namespace todoke::gateway {

void AddDataOptions(CLI::App& cmd, DataArgs& a) {
    cmd.add_option("--data", a.data, "data folder (store, documents)")->required();
    cmd.add_option("--data-key-file", a.key_file, "file with the 32-byte data key");
    cmd.add_option("--data-key-env", a.key_env,
                   "environment variable with the data key (default TODOKE_DATA_KEY)");
}

int Failed(const Error& e) {
    std::cerr << "error: " << (e.field.empty() ? "" : "[" + e.field + "] ") << e.message << "\n";
    return e.code == ErrorCode::kInvalidArgument || e.code == ErrorCode::kConflict ||
                   e.code == ErrorCode::kRejected
               ? kExitInvalid
               : kExitUsage;
}

Result<std::string> DataKey(const DataArgs& a) {
    return a.key_file.empty() ? SealKeyFromEnv(a.key_env) : SealKeyFromFile(a.key_file);
}

Result<std::unique_ptr<queue::Store>> OpenStore(const DataArgs& a) {
    TODOKE_ASSIGN_OR_RETURN(std::string key, DataKey(a));
    std::error_code ec;
    std::filesystem::create_directories(a.data, ec);
    return queue::OpenSqliteStore(StorePath(a.data), std::move(key), Wall());
}

Result<forms::Catalogue> SettingsCatalogue(const DataArgs& a) {
    TODOKE_ASSIGN_OR_RETURN(CliSettings settings, LoadCliSettings(a.config));
    return CliCatalogue(settings);
}

const SystemClock& Wall() {
    static const SystemClock clock;
    return clock;
}

std::string Time(TimePoint t) { return t == TimePoint{} ? "" : FormatJstDateTime(t); }

boost::json::object FilingJson(const queue::Filing& f) {
    boost::json::object o{{"filing", f.id},
                          {"tenant", f.tenant},
                          {"key", f.idempotency_key},
                          {"procedure", f.procedure},
                          {"company", f.company},
                          {"company_name", f.company_name},
                          {"state", queue::StateName(f.state)},
                          {"claims", f.fence},
                          {"failures", f.failures},
                          {"arrive_id", f.arrive_id},
                          {"arrive_date", f.arrive_date},
                          {"apply_kind", queue::ApplyKindName(f.apply_kind)},
                          {"first_arrive_id", f.first_arrive_id},
                          {"created", Time(f.created_at)},
                          {"updated", Time(f.updated_at)},
                          {"next_at", Time(f.next_at)},
                          {"sent_at", Time(f.sent_at)},
                          {"last_error", f.last_error}};
    boost::system::error_code ec;
    if (!f.errors_json.empty()) {
        auto v = boost::json::parse(f.errors_json, ec);
        if (!ec) o["errors"] = std::move(v);
    }
    if (!f.notice_json.empty()) {
        auto v = boost::json::parse(f.notice_json, ec);
        if (!ec) o["notice"] = std::move(v);
    }
    if (f.state == queue::FilingState::kDead) o["dead_from"] = f.dead_from;
    if (!f.settled_case.empty()) o["settled_case"] = f.settled_case;
    return o;
}

}  // namespace todoke::gateway
