// Whole-file reading and crash-safe writing. Thread-safe (no shared state).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "todoke/common/result.hpp"

namespace todoke {

// The file's bytes; kNotFound (field "io.read") naming the path and the OS reason.
// `what` says what the file is for the message ("PKCS#12 file", "trust anchor file").
Result<std::string> ReadFileBytes(const std::filesystem::path& path,
                                  std::string_view what = "file");

// Writes to a temporary file beside `path`, fsyncs it and renames it over `path`, so that a
// crash leaves either the old file or the whole new one. kUnavailable (field "io.write").
Result<void> WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace todoke
