#include "todoke/queue/vault.hpp"

#include "todoke/common/digest.hpp"
#include "todoke/common/file.hpp"
#include "todoke/common/seal.hpp"

namespace todoke::queue {

namespace fs = std::filesystem;

DocumentVault::DocumentVault(fs::path root, std::string key)
    : root_(std::move(root)), key_(std::move(key)) {}

fs::path DocumentVault::PathOf(const std::string& sha256, bool quarantine) const {
    return root_ / (quarantine ? "quarantine" : "documents") / sha256.substr(0, 2) /
           (sha256 + ".sealed");
}

Result<std::string> DocumentVault::Put(std::string_view bytes, bool quarantine) {
    std::string sha = Sha256Hex(bytes);
    const fs::path path = PathOf(sha, quarantine);
    std::error_code ec;
    if (fs::exists(path, ec)) {
        return sha;
    }
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
        return Fail(ErrorCode::kUnavailable,
                    "cannot make " + path.parent_path().string() + ": " + ec.message(),
                    "vault.write");
    }
    TODOKE_ASSIGN_OR_RETURN(std::string sealed, Seal(key_, bytes, "document:" + sha));
    TODOKE_RETURN_IF_ERROR(WriteFileAtomically(path, sealed));
    return sha;
}

Result<std::string> DocumentVault::Get(const std::string& sha256, bool quarantine) const {
    if (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
        return Fail(ErrorCode::kInvalidArgument, "not a SHA-256 document name", "vault.name");
    }
    TODOKE_ASSIGN_OR_RETURN(std::string sealed,
                            ReadFileBytes(PathOf(sha256, quarantine), "stored document"));
    TODOKE_ASSIGN_OR_RETURN(std::string plain, Unseal(key_, sealed, "document:" + sha256));
    if (Sha256Hex(plain) != sha256) {
        return Fail(ErrorCode::kPermissionDenied, "stored document " + sha256 + " was changed",
                    "vault.integrity");
    }
    return plain;
}

}  // namespace todoke::queue
