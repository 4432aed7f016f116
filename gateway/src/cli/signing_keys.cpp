#include "signing_keys.hpp"

#include <iostream>

namespace todoke::gateway {
namespace {

Result<std::vector<std::string>> Passwords(const KeyArgs& a) {
    const bool env = !a.password_envs.empty();
    const bool file = !a.password_files.empty();
    if (env == file) {
        return Fail(ErrorCode::kInvalidArgument,
                    "give the key password with --password-env VAR or --password-file FILE "
                    "(one for all keys, or one per key)",
                    "usage");
    }
    const auto& sources = env ? a.password_envs : a.password_files;
    if (sources.size() != 1 && sources.size() != a.keys.size()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "give one password source for all keys or one per --key", "usage");
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < a.keys.size(); ++i) {
        const std::string& src = sources[sources.size() == 1 ? 0 : i];
        auto pw = env ? signing::ReadPasswordFromEnv(src) : signing::ReadPasswordFromFile(src);
        if (!pw) {
            return Fail(pw.error());
        }
        out.push_back(std::move(*pw));
    }
    return out;
}

}  // namespace

Result<std::vector<signing::SigningKey>> LoadSigningKeys(const KeyArgs& a, TimePoint now,
                                                         long expiry_warning_days) {
    if (!a.certs.empty() && a.certs.size() != a.keys.size()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "with PEM keys give one --cert per --key, in the same order", "usage");
    }
    TODOKE_ASSIGN_OR_RETURN(auto passwords, Passwords(a));
    std::vector<signing::SigningKey> keys;
    for (std::size_t i = 0; i < a.keys.size(); ++i) {
        auto key = a.certs.empty() ? signing::LoadPkcs12(a.keys[i], passwords[i])
                                   : signing::LoadPem(a.keys[i], a.certs[i], passwords[i]);
        if (!key) {
            return Fail(key.error());
        }
        TODOKE_RETURN_IF_ERROR(key->CheckUsableAt(now));
        const long days = key->DaysUntilExpiry(now);
        if (days < expiry_warning_days) {
            std::cerr << "warning: signing certificate \"" << key->certificate().subject
                      << "\" expires in " << days << " days ("
                      << FormatIsoUtc(key->certificate().not_after) << "); renew it\n";
        }
        keys.push_back(std::move(*key));
    }
    return keys;
}

void AddKeyOptions(CLI::App& cmd, KeyArgs& args) {
    cmd.add_option("--key", args.keys,
                   "signer key: PKCS#12 file, or PEM key with --cert (repeat for 連署)")
        ->required();
    cmd.add_option("--cert", args.certs, "PEM certificate of each PEM --key");
    cmd.add_option("--password-env", args.password_envs,
                   "environment variable holding the key password");
    cmd.add_option("--password-file", args.password_files, "file holding the key password");
}

}  // namespace todoke::gateway
