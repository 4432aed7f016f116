#include "todoke/common/encoding.hpp"

#include <iconv.h>

#include <array>
#include <cerrno>
#include <cstdint>

namespace todoke {
namespace {

constexpr std::string_view kB64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int16_t, 256> MakeB64Table() {
    std::array<std::int16_t, 256> t{};
    for (auto& v : t) {
        v = -1;
    }
    for (std::size_t i = 0; i < kB64.size(); ++i) {
        t[static_cast<unsigned char>(kB64[i])] = static_cast<std::int16_t>(i);
    }
    return t;
}
constexpr auto kB64Table = MakeB64Table();

int HexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
    // Written through a pointer into a string sized once: attachments run to megabytes, and a
    // push_back per character cost half the speed.
    std::string out((bytes.size() + 2) / 3 * 4, '\0');
    char* o = out.data();
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3, o += 4) {
        const unsigned v = (unsigned{p[i]} << 16) | (unsigned{p[i + 1]} << 8) | p[i + 2];
        o[0] = kB64[(v >> 18) & 63];
        o[1] = kB64[(v >> 12) & 63];
        o[2] = kB64[(v >> 6) & 63];
        o[3] = kB64[v & 63];
    }
    if (i < bytes.size()) {
        unsigned v = unsigned{p[i]} << 16;
        if (i + 1 < bytes.size()) {
            v |= unsigned{p[i + 1]} << 8;
        }
        o[0] = kB64[(v >> 18) & 63];
        o[1] = kB64[(v >> 12) & 63];
        o[2] = i + 1 < bytes.size() ? kB64[(v >> 6) & 63] : '=';
        o[3] = '=';
    }
    return out;
}

Result<std::string> Base64Decode(std::string_view text) {
    // Never longer than 3 bytes for 4 symbols, plus 2 for a last partial group.
    std::string out(text.size() / 4 * 3 + 3, '\0');
    char* o = out.data();
    const char* s = text.data();
    const std::size_t n = text.size();
    unsigned acc = 0;
    int bits = 0;
    int pad = 0;
    std::size_t symbols = 0;
    for (std::size_t i = 0; i < n;) {
        // Whole groups of four symbols at once while nothing else is in the way; a line break,
        // '=' or a stray character ends the run and is taken one at a time below.
        if (bits == 0 && pad == 0) {
            while (i + 4 <= n) {
                const int a = kB64Table[static_cast<unsigned char>(s[i])];
                const int b = kB64Table[static_cast<unsigned char>(s[i + 1])];
                const int c = kB64Table[static_cast<unsigned char>(s[i + 2])];
                const int d = kB64Table[static_cast<unsigned char>(s[i + 3])];
                if ((a | b | c | d) < 0) {
                    break;
                }
                const auto v = static_cast<unsigned>((a << 18) | (b << 12) | (c << 6) | d);
                o[0] = static_cast<char>((v >> 16) & 0xFF);
                o[1] = static_cast<char>((v >> 8) & 0xFF);
                o[2] = static_cast<char>(v & 0xFF);
                o += 3;
                i += 4;
                symbols += 4;
            }
            if (i >= n) {
                break;
            }
        }
        const char ch = s[i++];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
            continue;
        }
        if (ch == '=') {
            ++pad;
            ++symbols;
            continue;
        }
        const int v = kB64Table[static_cast<unsigned char>(ch)];
        if (v < 0 || pad > 0) {
            return Fail(ErrorCode::kInvalidArgument, "not Base64 (unexpected character)", "base64");
        }
        ++symbols;
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *o++ = static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    if (symbols % 4 != 0 || pad > 2) {
        return Fail(ErrorCode::kInvalidArgument, "not Base64 (bad length or padding)", "base64");
    }
    out.resize(static_cast<std::size_t>(o - out.data()));
    return out;
}

std::string PercentEncode(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(bytes.size());
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

Result<std::string> PercentDecode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size()) {
            return Fail(ErrorCode::kInvalidArgument, "truncated percent-escape", "uri");
        }
        const int hi = HexValue(text[i + 1]);
        const int lo = HexValue(text[i + 2]);
        if (hi < 0 || lo < 0) {
            return Fail(ErrorCode::kInvalidArgument, "bad percent-escape", "uri");
        }
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

std::string HexEncode(std::string_view bytes, bool upper) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

bool IsValidUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        int n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + static_cast<std::size_t>(n) >= s.size()) {
            return false;
        }
        for (int k = 1; k <= n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
            if ((cc & 0xC0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (cc & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            return false;
        }
        i += static_cast<std::size_t>(n) + 1;
    }
    return true;
}

Result<std::string> Cp932ToUtf8(std::string_view bytes) {
    iconv_t cd = iconv_open("UTF-8", "CP932");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return Fail(ErrorCode::kInternal, "iconv has no CP932 converter");
    }
    std::string out(bytes.size() * 3 + 4, '\0');
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char* dst = out.data();
    std::size_t out_left = out.size();
    const std::size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1) || in_left != 0) {
        return Fail(ErrorCode::kInvalidArgument, "not valid CP932 text", "encoding");
    }
    out.resize(out.size() - out_left);
    return out;
}

Result<std::string> HexDecode(std::string_view hex) {
    auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    if (hex.size() % 2 != 0) {
        return Fail(ErrorCode::kInvalidArgument, "hex text has an odd length", "hex");
    }
    std::string out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = digit(hex[i]), lo = digit(hex[i + 1]);
        if (hi < 0 || lo < 0) {
            return Fail(ErrorCode::kInvalidArgument, "not a hex digit", "hex");
        }
        out += static_cast<char>(hi * 16 + lo);
    }
    return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
    std::string out = Base64Encode(bytes);
    for (char& c : out) {
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    }
    while (!out.empty() && out.back() == '=') {
        out.pop_back();
    }
    return out;
}

}  // namespace todoke
