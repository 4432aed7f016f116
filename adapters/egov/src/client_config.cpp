// Reading the e-Gov client's settings file (client.hpp: ReadClientConfig).
#include <cstdlib>

#include "todoke/common/config.hpp"
#include "todoke/common/seal.hpp"
#include "todoke/egov/client.hpp"

namespace todoke::egov {

namespace {

// The settings in `root`; the token file and key given here are used when it names none.
Result<ClientConfig> FromNode(ConfigNode& root, std::filesystem::path given_token_file,
                              std::string given_token_key) {
    ClientConfig c;
    c.token_key = std::move(given_token_key);
    std::string secret_env, key_env, key_file, token_file = given_token_file.string();
    std::int64_t timeout_ms = c.timeout.count();
    TODOKE_RETURN_IF_ERROR(root.Read("api_base", c.api_base));
    TODOKE_RETURN_IF_ERROR(root.Read("auth_base", c.auth_base));
    TODOKE_RETURN_IF_ERROR(root.Read("client_id", c.client_id));
    TODOKE_RETURN_IF_ERROR(root.Read("client_secret", c.client_secret));
    TODOKE_RETURN_IF_ERROR(root.Read("client_secret_env", secret_env));
    TODOKE_RETURN_IF_ERROR(root.Read("redirect_uri", c.redirect_uri));
    TODOKE_RETURN_IF_ERROR(root.Read("ca_file", c.ca_file));
    std::string official_ca;  // part of the simulator's ready line; used by `egov fetch`
    TODOKE_RETURN_IF_ERROR(root.Read("official_ca_file", official_ca));
    TODOKE_RETURN_IF_ERROR(root.Read("token_file", token_file));
    TODOKE_RETURN_IF_ERROR(root.Read("token_key_env", key_env));
    TODOKE_RETURN_IF_ERROR(root.Read("token_key_file", key_file));
    TODOKE_RETURN_IF_ERROR(root.Read("timeout_ms", timeout_ms, 100, 600000));
    TODOKE_RETURN_IF_ERROR(root.CheckAllKeysUsed());
    if (!secret_env.empty()) {
        const char* v = std::getenv(secret_env.c_str());
        if (v == nullptr) {
            return Fail(ErrorCode::kInvalidArgument, secret_env + " is not set",
                        "client_secret_env");
        }
        c.client_secret = v;
    }
    if (!key_env.empty()) {
        TODOKE_ASSIGN_OR_RETURN(c.token_key, SealKeyFromEnv(key_env));
    } else if (!key_file.empty()) {
        TODOKE_ASSIGN_OR_RETURN(c.token_key, SealKeyFromFile(key_file));
    }
    c.token_file = token_file;
    c.timeout = std::chrono::milliseconds(timeout_ms);
    for (const auto& [value, key] :
         {std::pair{&c.api_base, "api_base"}, std::pair{&c.auth_base, "auth_base"},
          std::pair{&c.client_id, "client_id"}, std::pair{&c.client_secret, "client_secret"},
          std::pair{&c.redirect_uri, "redirect_uri"}}) {
        if (value->empty()) {
            return Fail(ErrorCode::kInvalidArgument, "is required", key);
        }
    }
    if (c.token_file.empty() || c.token_key.empty()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "token_file and token_key_env (or token_key_file) are required: tokens are "
                    "kept sealed",
                    "token_file");
    }
    return c;
}

}  // namespace

Result<ClientConfig> ReadClientConfig(const std::filesystem::path& path) {
    TODOKE_ASSIGN_OR_RETURN(ConfigNode root, ConfigNode::LoadFile(path));
    return FromNode(root, {}, {});
}

Result<ClientConfig> ClientConfigFromReadyLine(std::string_view ready_line,
                                               const std::filesystem::path& token_file,
                                               std::string token_key) {
    TODOKE_ASSIGN_OR_RETURN(ConfigNode root, ConfigNode::Parse(ready_line, "ready line"));
    return FromNode(root, token_file, std::move(token_key));
}

}  // namespace todoke::egov
