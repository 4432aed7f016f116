#include "todoke/common/zip.hpp"

#include <libdeflate.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <limits>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "todoke/common/c_handle.hpp"
#include "todoke/common/encoding.hpp"

namespace todoke {
namespace {

// Level 1: packages are a few kilobytes of XML and CSV; level 1 deflates them several times
// faster than the default 6 for a few per cent more bytes (measured in forms_bench).
constexpr zip_uint32_t kDeflateLevel = 1;

using ZipHandle = CHandle<zip_t, &zip_discard>;
using ZipFileHandle = CHandle<zip_file_t, &zip_fclose>;

Unexpected ZipFail(std::string check, std::string message) {
    return Fail(ErrorCode::kInvalidArgument, std::move(message), "zip." + std::move(check));
}

std::string LibzipError(zip_error_t* err) {
    std::string text = zip_error_strerror(err);
    zip_error_fini(err);
    return text;
}

// Checks one entry name (already UTF-8) against the rules in zip.hpp.
Result<void> CheckEntryName(const std::string& name, const ZipLimits& limits) {
    const std::string shown = "entry \"" + name + "\"";
    if (name.empty()) {
        return ZipFail("entry_name", "an entry has an empty name");
    }
    if (name.front() == '/') {
        return ZipFail("entry_name", shown + " is an absolute path");
    }
    if (name.size() >= 2 && name[1] == ':') {
        return ZipFail("entry_name", shown + " starts with a drive letter");
    }
    std::uint64_t depth = 0;
    std::size_t start = 0;
    const bool is_dir = name.back() == '/';
    const std::size_t end = is_dir ? name.size() - 1 : name.size();
    while (start <= end) {
        std::size_t slash = name.find('/', start);
        if (slash == std::string::npos || slash > end) {
            slash = end;
        }
        const std::string_view part(name.data() + start, slash - start);
        if (part.empty()) {
            return ZipFail("entry_name", shown + " has an empty path component");
        }
        if (part == "." || part == "..") {
            return ZipFail("entry_name", shown + " contains a \".\" or \"..\" component");
        }
        ++depth;
        start = slash + 1;
        if (slash == end) {
            break;
        }
    }
    if (depth > limits.max_depth) {
        return ZipFail("entry_name", shown + " is " + std::to_string(depth) +
                                         " levels deep; at most " +
                                         std::to_string(limits.max_depth) + " are allowed");
    }
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\\') {
            return ZipFail("entry_name", shown + " contains a backslash");
        }
        if (u < 0x20 || u == 0x7F) {
            return ZipFail("entry_name", "an entry name contains a control character");
        }
    }
    return Ok();
}

std::string AsciiLower(std::string s) {
    for (char& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

bool IsAscii(std::string_view s) {
    for (char c : s) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return false;
        }
    }
    return true;
}

Result<std::string> DecodeEntryName(zip_t* za, zip_uint64_t index) {
    const char* raw = zip_get_name(za, index, ZIP_FL_ENC_RAW);
    if (raw == nullptr) {
        return ZipFail("malformed", "an entry has no readable name");
    }
    std::string raw_name(raw);
    if (IsAscii(raw_name)) {
        return raw_name;
    }
    // With the UTF-8 flag set, the strict reading returns the raw bytes unchanged; without it,
    // libzip would read CP437, so a difference means "no flag" and the bytes are CP932.
    const char* strict = zip_get_name(za, index, ZIP_FL_ENC_STRICT);
    if (strict != nullptr && raw_name == strict) {
        if (!IsValidUtf8(raw_name)) {
            return ZipFail("entry_name", "an entry name flagged UTF-8 is not valid UTF-8");
        }
        return raw_name;
    }
    auto decoded = Cp932ToUtf8(raw_name);
    if (!decoded) {
        return ZipFail("entry_name", "an entry name is neither UTF-8 nor CP932");
    }
    return decoded;
}

// Reads everything a source holds after zip_close() wrote into it.
Result<std::string> DrainSource(zip_source_t* src) {
    if (zip_source_open(src) < 0) {
        return Fail(ErrorCode::kInternal, std::string("cannot reopen ZIP buffer: ") +
                                              zip_error_strerror(zip_source_error(src)));
    }
    std::string out;
    char buf[65536];
    for (;;) {
        const zip_int64_t n = zip_source_read(src, buf, sizeof buf);
        if (n < 0) {
            zip_source_close(src);
            return Fail(ErrorCode::kInternal, "cannot read the written ZIP back");
        }
        if (n == 0) {
            break;
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
    zip_source_close(src);
    return out;
}

// Closes an archive opened on `src` (kept alive with zip_source_keep) and returns the bytes.
Result<std::string> CloseInto(ZipHandle za, zip_source_t* src) {
    if (zip_close(za.get()) < 0) {
        std::string msg = zip_strerror(za.get());
        zip_source_free(src);
        return Fail(ErrorCode::kInternal, "cannot write ZIP: " + msg);
    }
    (void)za.release();  // zip_close freed the archive
    auto bytes = DrainSource(src);
    zip_source_free(src);
    return bytes;
}

// -- writing. New archives are written here, not by libzip (docs/architecture.md, "ZIP"):
// libzip deflates through zlib's streaming state (a 270 KB set-up per entry) and cost more than
// the RSA signature of a small package; libdeflate compresses a whole buffer at once with a
// compressor kept per thread. Reading stays with libzip and its checks.

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
        libdeflate_alloc_compressor(static_cast<int>(kDeflateLevel)));
    return compressor.get();
}

bool IsAsciiName(std::string_view name) {
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

Result<void> ReadConfig(ConfigNode& s, ZipLimits& l) {
    TODOKE_RETURN_IF_ERROR(s.Read("max_entries", l.max_entries, 1, 1000000));
    TODOKE_RETURN_IF_ERROR(s.Read("max_entry_bytes", l.max_entry_bytes, 1, 1ull << 40));
    TODOKE_RETURN_IF_ERROR(s.Read("max_total_bytes", l.max_total_bytes, 1, 1ull << 40));
    TODOKE_RETURN_IF_ERROR(s.Read("max_ratio", l.max_ratio, 1, 100000));
    TODOKE_RETURN_IF_ERROR(s.Read("max_depth", l.max_depth, 1, 16));
    return Ok();
}

struct ZipReader::Impl {
    std::string bytes;  // libzip reads from this buffer for the reader's whole life
    ZipHandle archive;
    std::vector<ZipEntryInfo> entries;
    std::unordered_map<std::string, std::size_t> index;  // decoded name -> position in entries
};

ZipReader::ZipReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ZipReader::ZipReader(ZipReader&&) noexcept = default;
ZipReader& ZipReader::operator=(ZipReader&&) noexcept = default;
ZipReader::~ZipReader() = default;

Result<ZipReader> ZipReader::Open(std::string_view zip_bytes, const ZipLimits& limits) {
    auto impl = std::make_unique<Impl>();
    impl->bytes.assign(zip_bytes);
    const std::string& bytes = impl->bytes;
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    if (src == nullptr) {
        return ZipFail("malformed", "cannot read ZIP: " + LibzipError(&err));
    }
    ZipHandle za(zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err));
    if (!za) {
        zip_source_free(src);  // still ours when the open failed
        // libzip's consistency check refuses a repeated name with "file already exists".
        const bool duplicate = zip_error_code_zip(&err) == ZIP_ER_EXISTS;
        std::string why = LibzipError(&err);
        if (duplicate) {
            return ZipFail("duplicate_name", "an entry name appears more than once");
        }
        return ZipFail("malformed", "not a readable ZIP archive: " + why);
    }
    zip_error_fini(&err);

    impl->archive = std::move(za);
    zip_t* a = impl->archive.get();
    const zip_int64_t count = zip_get_num_entries(a, 0);
    if (count < 0) {
        return ZipFail("malformed", "cannot count ZIP entries");
    }
    if (static_cast<std::uint64_t>(count) > limits.max_entries) {
        return ZipFail("too_many_entries", "the archive has " + std::to_string(count) +
                                               " entries; at most " +
                                               std::to_string(limits.max_entries) + " are allowed");
    }
    std::set<std::string> seen;
    std::uint64_t total = 0;
    for (zip_uint64_t i = 0; i < static_cast<zip_uint64_t>(count); ++i) {
        TODOKE_ASSIGN_OR_RETURN(std::string name, DecodeEntryName(a, i));
        TODOKE_RETURN_IF_ERROR(CheckEntryName(name, limits));
        if (!seen.insert(AsciiLower(name)).second) {
            return ZipFail("duplicate_name", "entry \"" + name + "\" appears more than once");
        }
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(a, i, ZIP_FL_ENC_RAW, &st) < 0) {
            return ZipFail("malformed", "cannot read the header of entry \"" + name + "\"");
        }
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
            return ZipFail("encrypted", "entry \"" + name + "\" is encrypted");
        }
        if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE &&
            st.comp_method != ZIP_CM_DEFLATE) {
            return ZipFail("method", "entry \"" + name +
                                         "\" uses a compression method other than "
                                         "stored or deflate");
        }
        if (st.size > limits.max_entry_bytes) {
            return ZipFail("too_large", "entry \"" + name + "\" is " + std::to_string(st.size) +
                                            " bytes uncompressed; the limit is " +
                                            std::to_string(limits.max_entry_bytes));
        }
        total += st.size;
        if (total > limits.max_total_bytes) {
            return ZipFail("too_large", "the archive holds more than " +
                                            std::to_string(limits.max_total_bytes) +
                                            " bytes uncompressed");
        }
        // Small entries compress well legitimately; only large ones can be bombs.
        if (st.size >= (1u << 20) &&
            st.size / std::max<std::uint64_t>(st.comp_size, 1) > limits.max_ratio) {
            return ZipFail("ratio", "entry \"" + name + "\" expands more than " +
                                        std::to_string(limits.max_ratio) + " times");
        }
        ZipEntryInfo info;
        info.name = name;
        info.size = st.size;
        info.compressed_size = st.comp_size;
        info.is_directory = name.back() == '/';
        info.zip_index = i;
        impl->index.emplace(name, impl->entries.size());
        impl->entries.push_back(std::move(info));
    }
    return ZipReader(std::move(impl));
}

const std::vector<ZipEntryInfo>& ZipReader::entries() const { return impl_->entries; }

bool ZipReader::Contains(std::string_view name) const {
    return impl_->index.contains(std::string(name));
}

Result<std::string> ZipReader::Read(std::string_view name) {
    const auto it = impl_->index.find(std::string(name));
    if (it == impl_->index.end()) {
        return Fail(ErrorCode::kNotFound, "the archive has no entry \"" + std::string(name) + "\"",
                    "zip.missing_entry");
    }
    const ZipEntryInfo* info = &impl_->entries[it->second];
    ZipFileHandle f(zip_fopen_index(impl_->archive.get(), info->zip_index, 0));
    if (!f) {
        return ZipFail("malformed", "cannot open entry \"" + std::string(name) +
                                        "\": " + zip_strerror(impl_->archive.get()));
    }
    std::string out;
    out.resize(static_cast<std::size_t>(info->size));
    const zip_int64_t n = zip_fread(f.get(), out.data(), out.size());
    if (n < 0 || static_cast<std::uint64_t>(n) != info->size) {
        return ZipFail("malformed", "entry \"" + std::string(name) +
                                        "\" is corrupt (short read or CRC mismatch)");
    }
    // libzip verifies the CRC when the whole entry has been read; one more read confirms EOF.
    char extra;
    if (zip_fread(f.get(), &extra, 1) != 0) {
        return ZipFail("malformed", "entry \"" + std::string(name) +
                                        "\" is longer than its header says, or its CRC is wrong");
    }
    return out;
}

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
        if (e.compress && !data.empty()) {
            libdeflate_compressor* c = ThreadCompressor();
            if (c == nullptr) {
                return Fail(ErrorCode::kInternal, "libdeflate: no compressor", "zip.write");
            }
            packed.resize(libdeflate_deflate_compress_bound(c, data.size()));
            const std::size_t n = libdeflate_deflate_compress(c, data.data(), data.size(),
                                                              packed.data(), packed.size());
            if (n > 0 && n < data.size()) {  // what does not shrink is stored
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

Result<std::string> ReplaceZipEntries(std::string_view zip_bytes,
                                      const std::vector<ZipWriteEntry>& replacements) {
    zip_error_t err;
    zip_error_init(&err);
    // libzip owns (and frees with free()) the archive's buffer: writing with cloning keeps the
    // unchanged prefix of the old buffer and releases it later, which must never reach memory
    // of the caller's std::string.
    void* owned = std::malloc(std::max<std::size_t>(zip_bytes.size(), 1));
    if (owned == nullptr) {
        return Fail(ErrorCode::kInternal, "out of memory for the ZIP buffer");
    }
    std::memcpy(owned, zip_bytes.data(), zip_bytes.size());
    zip_source_t* src = zip_source_buffer_create(owned, zip_bytes.size(), 1, &err);
    if (src == nullptr) {
        std::free(owned);
        return Fail(ErrorCode::kInternal, "zip buffer: " + LibzipError(&err));
    }
    ZipHandle za(zip_open_from_source(src, 0, &err));
    if (!za) {
        zip_source_free(src);
        return ZipFail("malformed", "not a readable ZIP archive: " + LibzipError(&err));
    }
    zip_source_keep(src);
    for (const auto& r : replacements) {
        const zip_int64_t idx = zip_name_locate(za.get(), r.name.c_str(), ZIP_FL_ENC_GUESS);
        if (idx < 0) {
            zip_source_free(src);
            return Fail(ErrorCode::kNotFound, "the archive has no entry \"" + r.name + "\"",
                        "zip.missing_entry");
        }
        zip_source_t* data = zip_source_buffer(za.get(), r.data.data(), r.data.size(), 0);
        if (data == nullptr ||
            zip_file_replace(za.get(), static_cast<zip_uint64_t>(idx), data, 0) < 0) {
            if (data != nullptr) {
                zip_source_free(data);
            }
            zip_source_free(src);
            return Fail(ErrorCode::kInternal,
                        "cannot replace " + r.name + ": " + zip_strerror(za.get()));
        }
        const zip_int32_t method = r.compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE;
        zip_set_file_compression(za.get(), static_cast<zip_uint64_t>(idx), method, kDeflateLevel);
    }
    return CloseInto(std::move(za), src);
}

}  // namespace todoke
