// Writing new ZIP archives. Not by libzip (docs/architecture.md, "ZIP"): libzip deflates
// through zlib's streaming state (a 270 KB set-up per entry) and cost more than the RSA signature
// of a small package; libdeflate compresses a whole buffer at once with a compressor kept per
// thread. Reading stays with libzip and its checks (zip_reader.cpp).
#include <libdeflate.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <ctime>
#include <limits>
#include <memory>
#include <unordered_set>

#include "todoke/common/zip.hpp"

namespace todoke {
namespace {

void Put16(std::string& out, std::uint32_t v) {
    out += static_cast<char>(v & 0xFF);
    out += static_cast<char>((v >> 8) & 0xFF);
}

void Put32(std::string& out, std::uint32_t v) {
    Put16(out, v & 0xFFFF);
    Put16(out, v >> 16);
}

// The time of writing in MS-DOS form, local time (as libzip and zip(1) record it).
struct DosTime {
    std::uint32_t time = 0, date = 0;
};

DosTime DosNow() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    if (tm.tm_year < 80) {  // before 1980 cannot be written; 1980-01-01 00:00
        return {0, (1u << 5) | 1u};
    }
    return {
        static_cast<std::uint32_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2)),
        static_cast<std::uint32_t>(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday)};
}

// What the local header and the central directory say alike of an entry, in the same order
// (version needed to extract .. file name length).
struct EntryFields {
    std::uint32_t version_needed, flags, method;
    DosTime when;
    std::uint32_t crc, packed_size, size, name_size;
};

void PutEntryFields(std::string& out, const EntryFields& f) {
    Put16(out, f.version_needed);
    Put16(out, f.flags);
    Put16(out, f.method);
    Put16(out, f.when.time);
    Put16(out, f.when.date);
    Put32(out, f.crc);
    Put32(out, f.packed_size);
    Put32(out, f.size);
    Put16(out, f.name_size);
}

struct CompressorFree {
    void operator()(libdeflate_compressor* c) const noexcept { libdeflate_free_compressor(c); }
};

libdeflate_compressor* ThreadCompressor() {
    thread_local std::unique_ptr<libdeflate_compressor, CompressorFree> compressor(
        libdeflate_alloc_compressor(static_cast<int>(kZipDeflateLevel)));
    return compressor.get();
}

// Whether deflating `data` would only find out that it does not shrink: a file of some size
// whose sampled bytes spread almost evenly over all 256 values (order-0 entropy near 8 bits a
// byte) is already compressed: gzip and ZIP files and the like, many JPEGs. On such bytes
// libdeflate's level 1 runs at 55-120 MB/s (a 260 KB JPEG took 2.4 ms, nine RSA signatures) and
// then the entry is stored anyway. A guess, not a proof: bytes of high entropy that repeat would
// have shrunk a little and are stored whole, which costs size, never correctness. Small files are
// always tried.
bool LooksIncompressible(std::string_view data) {
    constexpr std::size_t kMinSize = 32 * 1024;
    constexpr std::size_t kWindow = 4096;
    constexpr std::size_t kWindows = 4;  // at 1/8, 3/8, 5/8 and 7/8 of the file
    // Measured on this machine's files (bits; size after level 1): random bytes and gzip files
    // 7.985-7.99 (100 %); JPEGs 7.977 (100 %) and 7.958 (97.4 %); PNGs 7.6-7.95 (72-94 %, so
    // they are deflated); XML 4.8-5.6 (18-38 %). Above 7.97 nothing shrank.
    constexpr double kBitsPerByte = 7.97;
    if (data.size() < kMinSize) {
        return false;
    }
    std::array<std::uint32_t, 256> counts{};
    for (std::size_t w = 0; w < kWindows; ++w) {
        const std::size_t start = (data.size() - kWindow) * (2 * w + 1) / (2 * kWindows);
        for (const char c : data.substr(start, kWindow)) {
            ++counts[static_cast<unsigned char>(c)];
        }
    }
    constexpr double kSampled = static_cast<double>(kWindow * kWindows);
    double bits = 0;
    for (const std::uint32_t n : counts) {
        if (n != 0) {
            const double p = n / kSampled;
            bits -= p * std::log2(p);
        }
    }
    return bits >= kBitsPerByte;
}

bool IsAsciiName(std::string_view name) {
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

Result<std::string> WriteZip(const std::vector<ZipWriteEntry>& entries) {
    // No ZIP64: e-Gov packages are megabytes; an archive that would need it is refused.
    constexpr std::uint64_t kMax32 = std::numeric_limits<std::uint32_t>::max();
    if (entries.size() >= 0xFFFF) {
        return Fail(
            ErrorCode::kInvalidArgument,
            std::to_string(entries.size()) + " entries are more than a ZIP without ZIP64 holds",
            "zip.write");
    }
    const DosTime when = DosNow();
    std::string out, directory;
    std::unordered_set<std::string_view> names;
    std::string packed;
    for (const auto& e : entries) {
        if (e.name.empty() || e.name.size() > 0xFFFF || !names.insert(e.name).second) {
            return Fail(ErrorCode::kInvalidArgument,
                        "cannot add \"" + e.name +
                            "\": the name is empty, too long or already "
                            "in the archive",
                        "zip.write");
        }
        const bool folder = e.name.back() == '/';
        const std::string_view data = folder ? std::string_view() : std::string_view(e.data);
        if (data.size() >= kMax32 || out.size() >= kMax32) {
            return Fail(ErrorCode::kInvalidArgument,
                        "\"" + e.name + "\" is larger than a ZIP without ZIP64 holds", "zip.write");
        }
        const auto crc = static_cast<std::uint32_t>(libdeflate_crc32(0, data.data(), data.size()));
        std::uint32_t method = 0;  // stored
        std::string_view stored = data;
        if (e.compress && !data.empty() && !LooksIncompressible(data)) {
            libdeflate_compressor* c = ThreadCompressor();
            if (c == nullptr) {
                return Fail(ErrorCode::kInternal, "libdeflate: no compressor", "zip.write");
            }
            packed.resize(libdeflate_deflate_compress_bound(c, data.size()));
            const std::size_t n = libdeflate_deflate_compress(c, data.data(), data.size(),
                                                              packed.data(), packed.size());
            if (n > 0 && n < data.size()) {  // what does not shrink is stored (so is the above)
                method = 8;
                stored = std::string_view(packed.data(), n);
            }
        }
        // UTF-8 names are flagged as such unless plain ASCII; CP932 names carry no flag, as
        // e-Gov writes them.
        const std::uint32_t flags =
            e.name_encoding == ZipNameEncoding::kUtf8 && !IsAsciiName(e.name) ? 0x0800 : 0;
        const std::uint32_t version_needed = folder || method == 8 ? 20 : 10;
        const auto offset = static_cast<std::uint32_t>(out.size());
        const auto size = static_cast<std::uint32_t>(data.size());
        const auto packed_size = static_cast<std::uint32_t>(stored.size());
        const auto name_size = static_cast<std::uint32_t>(e.name.size());

        const EntryFields fields{version_needed, flags, method,   when, crc,
                                 packed_size,    size,  name_size};
        Put32(out, 0x04034b50);  // local file header
        PutEntryFields(out, fields);
        Put16(out, 0);  // no extra field
        out += e.name;
        out += stored;

        Put32(directory, 0x02014b50);       // central directory header
        Put16(directory, (3u << 8) | 20u);  // made by: UNIX, ZIP 2.0
        PutEntryFields(directory, fields);
        Put16(directory, 0);  // no extra field
        Put16(directory, 0);  // comment
        Put16(directory, 0);  // disk
        Put16(directory, 0);  // internal attributes
        // External attributes: UNIX mode above, MS-DOS folder bit below.
        Put32(directory, folder ? (0040755u << 16) | 0x10u : (0100644u << 16));
        Put32(directory, offset);
        directory += e.name;
    }
    if (out.size() + directory.size() >= kMax32) {
        return Fail(ErrorCode::kInvalidArgument,
                    "the archive is larger than a ZIP without ZIP64 holds", "zip.write");
    }
    const auto directory_offset = static_cast<std::uint32_t>(out.size());
    out += directory;
    Put32(out, 0x06054b50);  // end of central directory
    Put16(out, 0);           // this disk
    Put16(out, 0);           // the directory's disk
    Put16(out, static_cast<std::uint32_t>(entries.size()));
    Put16(out, static_cast<std::uint32_t>(entries.size()));
    Put32(out, static_cast<std::uint32_t>(directory.size()));
    Put32(out, directory_offset);
    Put16(out, 0);  // no comment
    return out;
}

}  // namespace todoke
