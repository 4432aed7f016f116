#include "todoke/common/encoding.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <random>

namespace todoke {
namespace {

TEST(Base64, RoundTripsAllLengths) {
    std::string data;
    for (int i = 0; i < 70; ++i) {
        data.push_back(static_cast<char>(i * 37));
        auto back = Base64Decode(Base64Encode(data));
        ASSERT_TRUE(back);
        EXPECT_EQ(*back, data);
    }
    EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(Base64Encode("fo"), "Zm8=");
}

TEST(Base64, SkipsLineBreaksAsXmlSignaturesWrapThem) {
    EXPECT_EQ(*Base64Decode("Zm9v\nYmFy\r\n"), "foobar");
}

TEST(Base64, RejectsGarbageAndBadPadding) {
    EXPECT_EQ(Base64Decode("Zm9v<!---->").error().field, "base64");
    EXPECT_FALSE(Base64Decode("Zm9"));
    EXPECT_FALSE(Base64Decode("Zm=v"));
}

// The decoder as it was written first, one character at a time: the fast decoder must give
// the same bytes, and fail on the same inputs, for any text.
std::optional<std::string> OneAtATimeBase64Decode(std::string_view text) {
    static const std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned acc = 0;
    int bits = 0;
    int pad = 0;
    std::size_t symbols = 0;
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            continue;
        }
        if (c == '=') {
            ++pad;
            ++symbols;
            continue;
        }
        const auto v = alphabet.find(c);
        if (v == std::string_view::npos || pad > 0) {
            return std::nullopt;
        }
        ++symbols;
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    if (symbols % 4 != 0 || pad > 2) {
        return std::nullopt;
    }
    return out;
}

TEST(Base64, DecodesAnyTextAsTheOneAtATimeDecoderDoes) {
    std::mt19937 rng(2026);
    // Mostly Base64 with line breaks, padding, spaces and now and then a character that is not
    // Base64, so that both outcomes occur often.
    const std::string_view pool =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        "==\r\n \t-_*";
    int decoded = 0, refused = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        const std::size_t length = rng() % 40;
        for (std::size_t k = 0; k < length; ++k) {
            text += pool[rng() % pool.size()];
        }
        if (round % 2 == 0) {  // also: valid Base64 of random bytes, wrapped at random
            std::string bytes(rng() % 50, '\0');
            for (char& b : bytes) {
                b = static_cast<char>(rng() & 0xFF);
            }
            text = Base64Encode(bytes);
            for (std::size_t at = rng() % 9; at < text.size(); at += 1 + rng() % 12) {
                text.insert(at, round % 4 == 0 ? "\r\n" : " ");
            }
        }
        const auto expected = OneAtATimeBase64Decode(text);
        const auto got = Base64Decode(text);
        ASSERT_EQ(got.has_value(), expected.has_value()) << text;
        if (expected) {
            ASSERT_EQ(*got, *expected) << text;
            ++decoded;
        } else {
            ++refused;
        }
    }
    EXPECT_GT(decoded, 10000);
    EXPECT_GT(refused, 1000);
}

TEST(PercentEncoding, EncodesKouseiIdAsEgovWritesIt) {
    EXPECT_EQ(PercentEncode("構成情報"), "%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1");
    EXPECT_EQ(PercentEncode("495000020325029841_01.xml"), "495000020325029841_01.xml");
    EXPECT_EQ(*PercentDecode("%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1"), "構成情報");
    EXPECT_FALSE(PercentDecode("%E6%A"));
    EXPECT_FALSE(PercentDecode("%zz"));
}

TEST(Utf8, RejectsOverlongAndTruncatedSequences) {
    EXPECT_TRUE(IsValidUtf8("構成情報 abc"));
    EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
    EXPECT_FALSE(IsValidUtf8("\xE6\xA7"));      // truncated
    EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
}

TEST(Cp932, DecodesEgovZipNames) {
    // "スタイルシート1.xsl" in CP932, as e-Gov writes 公文書 entry names.
    const std::string cp932 =
        "\x83\x58\x83\x5E\x83\x43\x83\x8B\x83\x56\x81\x5B\x83\x67"
        "1.xsl";
    EXPECT_EQ(*Cp932ToUtf8(cp932), "スタイルシート1.xsl");
    EXPECT_FALSE(Cp932ToUtf8("\x83"));
}

}  // namespace
}  // namespace todoke

#include "todoke/common/seal.hpp"

namespace todoke {
namespace {

TEST(SealTest, RoundTripsAndRefusesWrongKeyPlaceOrBytes) {
    const std::string key(32, 'k');
    auto sealed = Seal(key, "refresh-token-value", "egov.tokens");
    ASSERT_TRUE(sealed);
    EXPECT_EQ(sealed->find("refresh-token-value"), std::string::npos);
    EXPECT_EQ(*Unseal(key, *sealed, "egov.tokens"), "refresh-token-value");
    EXPECT_NE(*Seal(key, "refresh-token-value", "egov.tokens"), *sealed);  // fresh nonce
    EXPECT_EQ(Unseal(std::string(32, 'x'), *sealed, "egov.tokens").error().field, "seal.open");
    EXPECT_EQ(Unseal(key, *sealed, "other.place").error().field, "seal.open");
    std::string changed = *sealed;
    changed[14] ^= 1;
    EXPECT_EQ(Unseal(key, changed, "egov.tokens").error().field, "seal.open");
    EXPECT_EQ(Seal("short", "x", "").error().field, "seal.key");
}

TEST(SealTest, KeysAreHexOrBase64Of32Bytes) {
    EXPECT_EQ(ParseSealKey(std::string(64, 'a'))->size(), 32u);
    EXPECT_EQ(ParseSealKey(Base64Encode(std::string(32, '\x01')) + "\n")->size(), 32u);
    EXPECT_FALSE(ParseSealKey("abcd"));
    EXPECT_FALSE(ParseSealKey(std::string(64, 'g')));
}

}  // namespace
}  // namespace todoke
