// The document vault: official documents on local disk, content-addressed (SHA-256 of the
// plain bytes) and sealed (AES-256-GCM, the hash as associated data), written atomically and
// flushed before the caller records them. Quarantined documents live apart, never delivered.
#pragma once

#include <filesystem>
#include <string>

#include "todoke/common/result.hpp"

namespace todoke::queue {

class DocumentVault {
  public:
    DocumentVault(std::filesystem::path root, std::string key);

    // Stores the bytes (once: an existing copy is kept) and returns their SHA-256 (hex).
    // Fails kUnavailable when the disk refuses: the caller must stop, not report success.
    Result<std::string> Put(std::string_view bytes, bool quarantine = false);
    // The plain bytes; kPermissionDenied when the file was changed or the key is wrong.
    Result<std::string> Get(const std::string& sha256, bool quarantine = false) const;

  private:
    std::filesystem::path PathOf(const std::string& sha256, bool quarantine) const;
    std::filesystem::path root_;
    std::string key_;
};

}  // namespace todoke::queue
