// AES-256-GCM for secrets and personal fields at rest (the e-Gov tokens now, My Number fields
// in the store later). A sealed value is nonce (12 random bytes) || ciphertext || tag (16);
// `aad` binds it to its place (e.g. "egov.tokens"), so a value moved elsewhere does not open.
// The 32-byte key comes from configuration (an environment variable or a file with 64 hex
// digits or Base64), never from beside the data.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "todoke/common/result.hpp"

namespace todoke {

Result<std::string> Seal(std::string_view key, std::string_view plaintext, std::string_view aad);
// Fails (kPermissionDenied, field "seal.open") for a wrong key, wrong aad or changed bytes.
Result<std::string> Unseal(std::string_view key, std::string_view sealed, std::string_view aad);

// 32 key bytes from text holding 64 hex digits or Base64 (surrounding whitespace ignored).
Result<std::string> ParseSealKey(std::string_view text);
Result<std::string> SealKeyFromEnv(const std::string& variable);
Result<std::string> SealKeyFromFile(const std::filesystem::path& path);

}  // namespace todoke
