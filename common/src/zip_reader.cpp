// Reading untrusted ZIP archives with libzip and the checks of zip.hpp, and replacing entries
// of an archive (zip_writer.cpp writes new ones).
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <set>
#include <unordered_map>

#include "todoke/common/c_handle.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/common/zip.hpp"

namespace todoke {
namespace {

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
        zip_set_file_compression(za.get(), static_cast<zip_uint64_t>(idx), method,
                                 kZipDeflateLevel);
    }
    return CloseInto(std::move(za), src);
}

}  // namespace todoke
