// ZIP archives: reading untrusted ones safely, and writing new ones.
//
// ZipReader::Open checks the whole central directory before any entry is read: entry count,
// each entry's and the total uncompressed size, the compression ratio, encryption, the
// compression method (stored or deflate only) and every name: no absolute paths, drive letters,
// backslashes, "." or ".." components, empty components, control characters, more folder levels
// than allowed, or duplicates (also duplicates that differ only in ASCII case). A name without
// the UTF-8 flag that is not ASCII is decoded from CP932, as e-Gov writes names. Read() then
// enforces the declared size while inflating, and libzip checks the CRC.
//
// Errors are kInvalidArgument with field "zip.<check>" (zip.malformed, zip.entry_name,
// zip.duplicate_name, zip.too_many_entries, zip.too_large, zip.ratio, zip.encrypted,
// zip.method) and a message naming the entry.
// A ZipReader keeps its own copy of the archive bytes. It is not thread-safe; open one per
// thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "todoke/common/config.hpp"
#include "todoke/common/result.hpp"

namespace todoke {

struct ZipLimits {
    std::uint64_t max_entries = 2000;
    std::uint64_t max_entry_bytes = 64ull << 20;   // uncompressed, one entry
    std::uint64_t max_total_bytes = 256ull << 20;  // uncompressed, all entries
    std::uint64_t max_ratio = 200;                 // uncompressed / compressed, per entry
    std::uint64_t max_depth = 3;                   // path components, "a/b/file" = 3
};

// Reads the "zip" section of a configuration: max_entries, max_entry_bytes, max_total_bytes,
// max_ratio, max_depth.
Result<void> ReadConfig(ConfigNode& zip_section, ZipLimits& limits);

struct ZipEntryInfo {
    std::string name;  // UTF-8, '/' separated; directories end in '/'
    std::uint64_t size = 0;
    std::uint64_t compressed_size = 0;
    bool is_directory = false;
    std::uint64_t zip_index = 0;  // position in the archive's central directory
};

class ZipReader {
  public:
    static Result<ZipReader> Open(std::string_view zip_bytes, const ZipLimits& limits);

    ZipReader(ZipReader&&) noexcept;
    ZipReader& operator=(ZipReader&&) noexcept;
    ~ZipReader();

    const std::vector<ZipEntryInfo>& entries() const;
    bool Contains(std::string_view name) const;
    // Uncompressed bytes of a file entry; kNotFound when there is no such entry.
    Result<std::string> Read(std::string_view name);

  private:
    struct Impl;
    explicit ZipReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

enum class ZipNameEncoding { kUtf8, kCp932 };

// The deflate level of what todoke writes. Level 1: packages are a few kilobytes of XML and
// CSV; level 1 deflates them several times faster than the default 6 for a few per cent more
// bytes (measured in forms_bench).
inline constexpr int kZipDeflateLevel = 1;

struct ZipWriteEntry {
    std::string name;  // '/' separated; a name ending in '/' makes a directory entry
    std::string data;
    bool compress = true;
    // kCp932: `name` holds CP932 bytes and is stored without the UTF-8 flag, as e-Gov does.
    ZipNameEncoding name_encoding = ZipNameEncoding::kUtf8;
};

// A new archive holding the entries in order: deflated (libdeflate, level 1) where `compress`
// and the entry shrinks, stored otherwise; names flagged UTF-8 unless ASCII or kCp932; no ZIP64
// (more than 65,534 entries or 4 GiB fails with zip.write, as do empty and duplicate names).
Result<std::string> WriteZip(const std::vector<ZipWriteEntry>& entries);

// A copy of `zip_bytes` in which the named entries get new contents; every other entry is
// copied as it is, without recompression. Names must exist in the archive.
Result<std::string> ReplaceZipEntries(std::string_view zip_bytes,
                                      const std::vector<ZipWriteEntry>& replacements);

}  // namespace todoke
