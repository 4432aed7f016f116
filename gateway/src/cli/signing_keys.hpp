// Signing keys from the command line: --key (PKCS#12, or PEM with --cert) with the password
// from --password-env or --password-file (one for all keys or one per key), each checked usable
// now, with a warning on stderr when one expires within the configured number of days.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"
#include "todoke/signing/key_store.hpp"

namespace todoke::gateway {

struct KeyArgs {
    std::vector<std::string> keys;
    std::vector<std::string> certs;
    std::vector<std::string> password_envs;
    std::vector<std::string> password_files;
};

void AddKeyOptions(CLI::App& cmd, KeyArgs& args);

Result<std::vector<signing::SigningKey>> LoadSigningKeys(const KeyArgs& args, TimePoint now,
                                                         long expiry_warning_days);

}  // namespace todoke::gateway
