#include "settings.hpp"

#include <ctime>
#include <iomanip>
#include <sstream>

namespace todoke::gateway {
namespace {

Result<TimePoint> ParseIsoUtc(const std::string& text, const std::string& field) {
    std::tm tm{};
    std::istringstream in(text);
    in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
    if (in.fail()) {
        return Fail(ErrorCode::kInvalidArgument,
                    field + ": \"" + text + "\" is not YYYY-MM-DDTHH:MM:SSZ", field);
    }
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

Result<void> ReadMs(ConfigNode& node, std::string_view key, std::chrono::milliseconds& target,
                    std::int64_t max) {
    std::int64_t ms = target.count();
    TODOKE_RETURN_IF_ERROR(node.Read(key, ms, 0, max));
    target = std::chrono::milliseconds(ms);
    return Ok();
}

Result<void> ReadPipeline(ConfigNode& node, PipelineConfig& p) {
    constexpr std::int64_t kDay = 86400000;
    std::int64_t batch = p.batch, rate = static_cast<std::int64_t>(p.portal_calls_per_second);
    TODOKE_RETURN_IF_ERROR(node.Read("batch", batch, 1, 256));
    TODOKE_RETURN_IF_ERROR(node.Read("portal_calls_per_second", rate, 0, 100000));
    p.batch = static_cast<int>(batch);
    p.portal_calls_per_second = static_cast<double>(rate);
    TODOKE_RETURN_IF_ERROR(ReadMs(node, "lease_ms", p.lease, kDay));
    TODOKE_RETURN_IF_ERROR(ReadMs(node, "submit_lease_ms", p.submit_lease, kDay));
    TODOKE_RETURN_IF_ERROR(ReadMs(node, "reconcile_after_ms", p.reconcile_after, kDay));
    TODOKE_RETURN_IF_ERROR(ReadMs(node, "poll_interval_ms", p.poll_interval, 7 * kDay));
    // {"rodo_nendo_koshin": 21600000, ...}: a key that is no catalogue procedure is refused
    // by the check for unused keys.
    TODOKE_ASSIGN_OR_RETURN(ConfigNode paces, node.Section("poll_interval_by_procedure_ms"));
    for (const auto& procedure : forms::Catalogue::Default().procedures()) {
        const std::string id(procedure.id);
        if (!paces.Has(id)) continue;
        std::chrono::milliseconds pace{};
        TODOKE_RETURN_IF_ERROR(ReadMs(paces, id, pace, 30 * kDay));
        p.poll_interval_by_procedure[id] = pace;
    }
    std::int64_t poll_jitter = static_cast<std::int64_t>(p.poll_jitter * 100);
    TODOKE_RETURN_IF_ERROR(node.Read("poll_jitter_percent", poll_jitter, 0, 50));
    p.poll_jitter = static_cast<double>(poll_jitter) / 100.0;
    TODOKE_RETURN_IF_ERROR(ReadMs(node, "idle_ms", p.idle, 60000));
    TODOKE_ASSIGN_OR_RETURN(ConfigNode workers, node.Section("workers"));
    const std::pair<std::string_view, int*> pools[] = {
        {"prepare", &p.workers.prepare},     {"submit", &p.workers.submit},
        {"reconcile", &p.workers.reconcile}, {"track", &p.workers.track},
        {"collect", &p.workers.collect},     {"deliver", &p.workers.deliver}};
    for (const auto& [name, count] : pools) {
        std::int64_t n = *count;
        TODOKE_RETURN_IF_ERROR(workers.Read(name, n, 0, 64));
        *count = static_cast<int>(n);
    }
    TODOKE_ASSIGN_OR_RETURN(ConfigNode retry, node.Section("retry"));
    TODOKE_RETURN_IF_ERROR(ReadMs(retry, "initial_ms", p.retry.initial, kDay));
    TODOKE_RETURN_IF_ERROR(ReadMs(retry, "cap_ms", p.retry.cap, 7 * kDay));
    std::int64_t factor = static_cast<std::int64_t>(p.retry.factor * 100);
    std::int64_t jitter = static_cast<std::int64_t>(p.retry.jitter * 100);
    std::int64_t budget = p.retry.budget;
    TODOKE_RETURN_IF_ERROR(retry.Read("factor_percent", factor, 100, 1000));
    TODOKE_RETURN_IF_ERROR(retry.Read("jitter_percent", jitter, 0, 100));
    TODOKE_RETURN_IF_ERROR(retry.Read("budget", budget, 1, 1000));
    p.retry.factor = static_cast<double>(factor) / 100.0;
    p.retry.jitter = static_cast<double>(jitter) / 100.0;
    p.retry.budget = static_cast<int>(budget);
    TODOKE_ASSIGN_OR_RETURN(ConfigNode breaker, node.Section("breaker"));
    std::int64_t failures = p.breaker.failures;
    TODOKE_RETURN_IF_ERROR(breaker.Read("failures", failures, 1, 1000));
    p.breaker.failures = static_cast<int>(failures);
    TODOKE_RETURN_IF_ERROR(ReadMs(breaker, "open_ms", p.breaker.open_for, kDay));
    TODOKE_RETURN_IF_ERROR(ReadMs(breaker, "open_cap_ms", p.breaker.open_cap, kDay));
    if (p.breaker.open_cap < p.breaker.open_for) {
        return Fail(ErrorCode::kInvalidArgument,
                    "pipeline.breaker.open_cap_ms must not be shorter than open_ms",
                    "pipeline.breaker.open_cap_ms");
    }
    std::vector<std::string> windows;
    TODOKE_RETURN_IF_ERROR(node.Read("maintenance", windows));
    std::vector<queue::MaintenanceWindow> parsed;
    for (const auto& w : windows) {
        const auto slash = w.find('/');
        if (slash == std::string::npos) {
            return Fail(ErrorCode::kInvalidArgument,
                        "pipeline.maintenance: \"" + w + "\" is not START/END",
                        "pipeline.maintenance");
        }
        TODOKE_ASSIGN_OR_RETURN(TimePoint start,
                                ParseIsoUtc(w.substr(0, slash), "pipeline.maintenance"));
        TODOKE_ASSIGN_OR_RETURN(TimePoint end,
                                ParseIsoUtc(w.substr(slash + 1), "pipeline.maintenance"));
        parsed.push_back({start, end});
    }
    p.maintenance = queue::MaintenanceCalendar(std::move(parsed));
    return Ok();
}

}  // namespace

Result<CliSettings> LoadCliSettings(const std::optional<std::string>& path) {
    CliSettings s;
    if (!path) {
        return s;
    }
    TODOKE_ASSIGN_OR_RETURN(ConfigNode root, ConfigNode::LoadFile(*path));
    TODOKE_ASSIGN_OR_RETURN(ConfigNode zip, root.Section("zip"));
    TODOKE_RETURN_IF_ERROR(ReadConfig(zip, s.zip));
    TODOKE_ASSIGN_OR_RETURN(ConfigNode xml, root.Section("xml"));
    TODOKE_RETURN_IF_ERROR(signing::ReadConfig(xml, s.xml));
    TODOKE_ASSIGN_OR_RETURN(ConfigNode sig, root.Section("signature"));
    TODOKE_RETURN_IF_ERROR(signing::ReadConfig(sig, s.signature));
    TODOKE_ASSIGN_OR_RETURN(ConfigNode sign, root.Section("signing"));
    TODOKE_RETURN_IF_ERROR(sign.Read("expiry_warning_days", s.expiry_warning_days, 0, 3650));
    TODOKE_ASSIGN_OR_RETURN(ConfigNode catalogue, root.Section("catalogue"));
    for (const auto& p : forms::Catalogue::Default().procedures()) {
        if (!catalogue.Has(p.id)) {
            continue;
        }
        TODOKE_ASSIGN_OR_RETURN(ConfigNode node, catalogue.Section(p.id));
        forms::ProcedureIdentifiers ids;
        ids.id = std::string(p.id);
        TODOKE_RETURN_IF_ERROR(node.Read("proc_id", ids.proc_id));
        TODOKE_RETURN_IF_ERROR(node.Read("form_id", ids.form_id));
        TODOKE_RETURN_IF_ERROR(node.Read("form_version", ids.form_version));
        s.identifiers.push_back(std::move(ids));
    }
    TODOKE_ASSIGN_OR_RETURN(ConfigNode pipeline, root.Section("pipeline"));
    TODOKE_RETURN_IF_ERROR(ReadPipeline(pipeline, s.pipeline));
    TODOKE_RETURN_IF_ERROR(root.CheckAllKeysUsed());
    return s;
}

Result<forms::Catalogue> CliCatalogue(const CliSettings& settings) {
    return forms::Catalogue::Default().WithIdentifiers(settings.identifiers);
}

}  // namespace todoke::gateway
