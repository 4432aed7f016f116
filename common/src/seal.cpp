#include "todoke/common/seal.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdlib>

#include "todoke/common/c_handle.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/common/file.hpp"

namespace todoke {
namespace {

using Ctx = CHandle<EVP_CIPHER_CTX, &EVP_CIPHER_CTX_free>;
constexpr std::size_t kNonce = 12, kTag = 16, kKey = 32;

const unsigned char* Bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

Result<std::string> Seal(std::string_view key, std::string_view plaintext, std::string_view aad) {
    if (key.size() != kKey) {
        return Fail(ErrorCode::kInvalidArgument, "the sealing key must be 32 bytes", "seal.key");
    }
    std::string out(kNonce + plaintext.size() + kTag, '\0');
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    if (RAND_bytes(o, kNonce) != 1) {
        return Fail(ErrorCode::kInternal, "no random bytes for the nonce", "seal");
    }
    Ctx ctx(EVP_CIPHER_CTX_new());
    int len = 0, total = 0;
    bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), o) == 1;
    ok = ok &&
         EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) == 1;
    ok = ok && EVP_EncryptUpdate(ctx.get(), o + kNonce, &len, Bytes(plaintext),
                                 static_cast<int>(plaintext.size())) == 1;
    total = len;
    ok = ok && EVP_EncryptFinal_ex(ctx.get(), o + kNonce + total, &len) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag,
                                   o + kNonce + plaintext.size()) == 1;
    if (!ok) {
        return Fail(ErrorCode::kInternal, "AES-256-GCM encryption failed", "seal");
    }
    return out;
}

Result<std::string> Unseal(std::string_view key, std::string_view sealed, std::string_view aad) {
    if (key.size() != kKey) {
        return Fail(ErrorCode::kInvalidArgument, "the sealing key must be 32 bytes", "seal.key");
    }
    if (sealed.size() < kNonce + kTag) {
        return Fail(ErrorCode::kPermissionDenied, "the sealed value is truncated", "seal.open");
    }
    const std::size_t n = sealed.size() - kNonce - kTag;
    std::string out(n, '\0');
    Ctx ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    std::string tag(sealed.substr(kNonce + n));
    bool ok = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key),
                                        Bytes(sealed)) == 1;
    ok = ok &&
         EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) == 1;
    ok = ok && EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                                 Bytes(sealed.substr(kNonce)), static_cast<int>(n)) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag.data()) == 1;
    ok = ok && EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len,
                                   &len) == 1;
    if (!ok) {
        return Fail(ErrorCode::kPermissionDenied,
                    "the sealed value does not open with this key (wrong key, or changed)",
                    "seal.open");
    }
    return out;
}

Result<std::string> ParseSealKey(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    if (text.size() == 2 * kKey) {
        if (auto hex = HexDecode(text)) {
            return *hex;
        }
    }
    if (auto raw = Base64Decode(text); raw && raw->size() == kKey) {
        return *raw;
    }
    return Fail(ErrorCode::kInvalidArgument,
                "a sealing key is 32 bytes written as 64 hex digits or Base64", "seal.key");
}

Result<std::string> SealKeyFromEnv(const std::string& variable) {
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) {
        return Fail(ErrorCode::kInvalidArgument,
                    "environment variable " + variable + " (the sealing key) is not set",
                    "seal.key");
    }
    return ParseSealKey(value);
}

Result<std::string> SealKeyFromFile(const std::filesystem::path& path) {
    TODOKE_ASSIGN_OR_RETURN(std::string text, ReadFileBytes(path, "sealing key file"));
    return ParseSealKey(text);
}

}  // namespace todoke
