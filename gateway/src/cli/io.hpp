// File helpers of the command-line tools.
#pragma once

#include <filesystem>
#include <string>

#include "todoke/common/result.hpp"

namespace todoke::gateway {

// Exit statuses shared by the tools.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;  // the input was read and found invalid
inline constexpr int kExitUsage = 2;    // bad usage, unreadable input, unusable key

Result<std::string> ReadWholeFile(const std::filesystem::path& path);
// Writes to a temporary file beside `path`, flushes it to disk and renames it over `path`,
// so that a crash leaves either the old file or the whole new one.
Result<void> WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace todoke::gateway
