// The settings of the command-line tools, read from one JSON file (--config) into the plain
// structs of each module. Sections: "zip", "xml", "signature", "signing", "catalogue". Unknown keys
// stop the command with their path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "todoke/common/result.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/forms/catalogue.hpp"
#include "todoke/gateway/pipeline.hpp"
#include "todoke/signing/limits.hpp"

namespace todoke::gateway {

struct CliSettings {
    ZipLimits zip;
    signing::XmlLimits xml;
    signing::SignatureLimits signature;
    std::int64_t expiry_warning_days = 30;  // warn when a signing certificate expires sooner
    // "catalogue": {"koyo_soshitsu": {"proc_id": "...", "form_id": "...", "form_version":
    // "0001"}, ...}: identifiers of procedures the domain notes leave unconfirmed.
    std::vector<forms::ProcedureIdentifiers> identifiers;
    // "pipeline": {"batch", "lease_ms", "submit_lease_ms", "reconcile_after_ms",
    // "poll_interval_ms", "idle_ms", "portal_calls_per_second", "workers": {"prepare", "submit",
    // "reconcile", "track", "collect", "deliver"}, "retry": {"initial_ms", "factor_percent",
    // "cap_ms", "jitter_percent", "budget"}, "maintenance": ["START/END", ...] (ISO UTC)}.
    // data_dir and data_key come from the command line.
    PipelineConfig pipeline;
};

Result<CliSettings> LoadCliSettings(const std::optional<std::string>& path);

// The default catalogue with the settings' identifiers applied.
Result<forms::Catalogue> CliCatalogue(const CliSettings& settings);

}  // namespace todoke::gateway
