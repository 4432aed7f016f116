// The settings of the command-line tools, read from one JSON file (--config) into the plain
// structs of each module. Sections: "zip", "xml", "signature", "signing". Unknown keys stop
// the command with their path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "todoke/common/result.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/signing/limits.hpp"

namespace todoke::gateway {

struct CliSettings {
    ZipLimits zip;
    signing::XmlLimits xml;
    signing::SignatureLimits signature;
    std::int64_t expiry_warning_days = 30;  // warn when a signing certificate expires sooner
};

Result<CliSettings> LoadCliSettings(const std::optional<std::string>& path);

}  // namespace todoke::gateway
