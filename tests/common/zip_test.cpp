#include "todoke/common/zip.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>

namespace todoke {
namespace {

// A minimal ZIP writer for hostile archives libzip would not write: stored entries, any
// names, duplicates, flags as given.
class RawZip {
  public:
    void Add(const std::string& name, const std::string& data, bool utf8_flag = false) {
        const std::uint32_t crc = Crc32(data);
        const std::uint32_t offset = static_cast<std::uint32_t>(out_.size());
        const std::uint16_t flags = utf8_flag ? 0x0800 : 0;
        Put32(out_, 0x04034b50);
        Put16(out_, 20);
        Put16(out_, flags);
        Put16(out_, 0);  // stored
        Put32(out_, 0);  // time, date
        Put32(out_, crc);
        Put32(out_, static_cast<std::uint32_t>(data.size()));
        Put32(out_, static_cast<std::uint32_t>(data.size()));
        Put16(out_, static_cast<std::uint16_t>(name.size()));
        Put16(out_, 0);
        out_ += name;
        out_ += data;
        Put32(cd_, 0x02014b50);
        Put16(cd_, 20);
        Put16(cd_, 20);
        Put16(cd_, flags);
        Put16(cd_, 0);
        Put32(cd_, 0);
        Put32(cd_, crc);
        Put32(cd_, static_cast<std::uint32_t>(data.size()));
        Put32(cd_, static_cast<std::uint32_t>(data.size()));
        Put16(cd_, static_cast<std::uint16_t>(name.size()));
        Put32(cd_, 0);  // extra, comment
        Put32(cd_, 0);  // disk, internal attrs
        Put32(cd_, 0);  // external attrs
        Put32(cd_, offset);
        cd_ += name;
        ++count_;
    }
    std::string Bytes() const {
        std::string out = out_ + cd_;
        Put32(out, 0x06054b50);
        Put32(out, 0);
        Put16(out, count_);
        Put16(out, count_);
        Put32(out, static_cast<std::uint32_t>(cd_.size()));
        Put32(out, static_cast<std::uint32_t>(out_.size()));
        Put16(out, 0);
        return out;
    }

  private:
    static void Put16(std::string& s, std::uint16_t v) {
        s.push_back(static_cast<char>(v & 0xFF));
        s.push_back(static_cast<char>(v >> 8));
    }
    static void Put32(std::string& s, std::uint32_t v) {
        Put16(s, static_cast<std::uint16_t>(v & 0xFFFF));
        Put16(s, static_cast<std::uint16_t>(v >> 16));
    }
    static std::uint32_t Crc32(const std::string& data) {
        std::uint32_t crc = 0xFFFFFFFFu;
        for (char ch : data) {
            crc ^= static_cast<unsigned char>(ch);
            for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
        return ~crc;
    }
    std::string out_, cd_;
    std::uint16_t count_ = 0;
};

std::string OpenError(const std::string& zip, const ZipLimits& limits = {}) {
    auto r = ZipReader::Open(zip, limits);
    return r ? "" : r.error().field;
}

TEST(ZipWriter, RoundTripsEntriesAndFolders) {
    auto zip = WriteZip({{"4950000020325000/", ""},
                         {"4950000020325000/kousei.xml", "<DataRoot/>"},
                         {"4950000020325000/a.pdf", std::string(5000, 'x'), false}});
    ASSERT_TRUE(zip) << zip.error().ToString();
    auto reader = ZipReader::Open(*zip, {});
    ASSERT_TRUE(reader);
    ASSERT_EQ(reader->entries().size(), 3u);
    EXPECT_TRUE(reader->entries()[0].is_directory);
    EXPECT_EQ(*reader->Read("4950000020325000/kousei.xml"), "<DataRoot/>");
    EXPECT_EQ(reader->Read("4950000020325000/a.pdf")->size(), 5000u);
    EXPECT_EQ(reader->Read("missing").error().code, ErrorCode::kNotFound);
}

// Bytes of a seeded generator: entropy as high as it gets.
std::string RandomBytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string out(n, '\0');
    for (char& c : out) {
        c = static_cast<char>(rng() & 0xFF);
    }
    return out;
}

std::uint64_t PackedSize(const std::string& zip, const std::string& name) {
    auto reader = ZipReader::Open(zip, {});
    EXPECT_TRUE(reader);
    for (const auto& e : reader->entries()) {
        if (e.name == name) {
            return e.compressed_size;
        }
    }
    ADD_FAILURE() << name;
    return 0;
}

// An attachment that is already compressed (a scan's JPEG, an xlsx) is stored without a deflate
// attempt, which costs milliseconds on such bytes; text, and a file only partly compressed, are
// still deflated. The 30 KB random block repeated here would have shrunk to a fifth under
// deflate (its 32 KB window sees the repeats), and is stored all the same: the guess reads byte
// statistics only (the four sampled windows fall on different parts of the block).
TEST(ZipWriter, StoresWhatLooksCompressedWithoutTryingAndDeflatesTheRest) {
    const std::string block = RandomBytes(30 * 1024, 7);
    std::string repeated;
    for (int i = 0; i < 5; ++i) {
        repeated += block;
    }
    std::string text;
    while (text.size() < 128 * 1024) {
        text += "<氏名>山田　一郎</氏名><生年月日>1980-01-01</生年月日>\n";
    }
    const std::string half = text.substr(0, 64 * 1024) + RandomBytes(64 * 1024, 8);
    auto zip = WriteZip({{"a/scan.pdf", RandomBytes(200 * 1024, 9)},
                         {"a/repeated.bin", repeated},
                         {"a/text.xml", text},
                         {"a/half.bin", half},
                         {"a/small.bin", RandomBytes(1000, 10)}});
    ASSERT_TRUE(zip) << zip.error().ToString();
    EXPECT_EQ(PackedSize(*zip, "a/scan.pdf"), 200u * 1024);
    EXPECT_EQ(PackedSize(*zip, "a/repeated.bin"), repeated.size());
    EXPECT_LT(PackedSize(*zip, "a/text.xml"), text.size() / 10);
    EXPECT_LT(PackedSize(*zip, "a/half.bin"), half.size() * 3 / 4);
    EXPECT_EQ(PackedSize(*zip, "a/small.bin"), 1000u);  // tried, did not shrink
    auto reader = ZipReader::Open(*zip, {});
    ASSERT_TRUE(reader);
    EXPECT_EQ(*reader->Read("a/repeated.bin"), repeated);
    EXPECT_EQ(*reader->Read("a/half.bin"), half);
    EXPECT_EQ(*reader->Read("a/text.xml"), text);
}

TEST(ZipWriter, ReplaceKeepsOtherEntriesByteForByte) {
    const std::string form(20000, 'f');
    auto zip = WriteZip({{"p/kousei.xml", "old"}, {"p/form.xml", form}});
    auto replaced = ReplaceZipEntries(*zip, {{"p/kousei.xml", "new"}});
    ASSERT_TRUE(replaced) << replaced.error().ToString();
    auto reader = ZipReader::Open(*replaced, {});
    EXPECT_EQ(*reader->Read("p/kousei.xml"), "new");
    EXPECT_EQ(*reader->Read("p/form.xml"), form);
    EXPECT_EQ(ReplaceZipEntries(*zip, {{"p/none.xml", "x"}}).error().code, ErrorCode::kNotFound);
}

TEST(ZipReader, RefusesHostileNamesBeforeReading) {
    const std::pair<const char*, const char*> cases[] = {
        {"/etc/passwd", "zip.entry_name"},       {"p/../../etc/passwd", "zip.entry_name"},
        {"p\\..\\kousei.xml", "zip.entry_name"}, {"C:/x.xml", "zip.entry_name"},
        {"p//kousei.xml", "zip.entry_name"},     {"p/./kousei.xml", "zip.entry_name"},
        {"a/b/c/d.xml", "zip.entry_name"},       {"p/\x01.xml", "zip.entry_name"},
    };
    for (const auto& [name, field] : cases) {
        RawZip z;
        z.Add(name, "x");
        EXPECT_EQ(OpenError(z.Bytes()), field) << name;
    }
}

TEST(ZipReader, RefusesDuplicateNamesIncludingCaseVariants) {
    RawZip same;
    same.Add("p/kousei.xml", "a");
    same.Add("p/kousei.xml", "b");
    EXPECT_EQ(OpenError(same.Bytes()), "zip.duplicate_name");
    RawZip cased;
    cased.Add("p/kousei.xml", "a");
    cased.Add("p/KOUSEI.xml", "b");
    EXPECT_EQ(OpenError(cased.Bytes()), "zip.duplicate_name");
}

TEST(ZipReader, EnforcesEntryCountAndSizeLimits) {
    RawZip z;
    for (int i = 0; i < 5; ++i) z.Add("p/f" + std::to_string(i), std::string(100, 'a'));
    ZipLimits few;
    few.max_entries = 4;
    EXPECT_EQ(OpenError(z.Bytes(), few), "zip.too_many_entries");
    ZipLimits small_entry;
    small_entry.max_entry_bytes = 99;
    EXPECT_EQ(OpenError(z.Bytes(), small_entry), "zip.too_large");
    ZipLimits small_total;
    small_total.max_total_bytes = 450;
    EXPECT_EQ(OpenError(z.Bytes(), small_total), "zip.too_large");
    EXPECT_EQ(OpenError(z.Bytes()), "");
}

TEST(ZipReader, RefusesACompressionBomb) {
    auto zip = WriteZip({{"p/bomb.xml", std::string(8u << 20, '\0')}});
    ASSERT_TRUE(zip);
    EXPECT_EQ(OpenError(*zip), "zip.ratio");
}

TEST(ZipReader, RefusesGarbage) {
    EXPECT_EQ(OpenError("not a zip at all"), "zip.malformed");
    auto zip = WriteZip({{"p/a.xml", std::string(1000, 'a'), false}});
    std::string broken = *zip;
    broken[40] ^= 0x01;  // inside the stored data: the CRC no longer matches
    auto reader = ZipReader::Open(broken, {});
    ASSERT_TRUE(reader);
    EXPECT_EQ(reader->Read("p/a.xml").error().field, "zip.malformed");
}

TEST(ZipReader, DecodesCp932NamesWithoutTheUtf8Flag) {
    const std::string cp932 =
        "\x83\x58\x83\x5E\x83\x43\x83\x8B\x83\x56\x81\x5B\x83\x67"
        "1.xsl";
    RawZip z;
    z.Add("doc/" + cp932, "xsl");
    z.Add("doc/構成.xml", "utf8", /*utf8_flag=*/true);
    auto reader = ZipReader::Open(z.Bytes(), {});
    ASSERT_TRUE(reader) << reader.error().ToString();
    EXPECT_EQ(*reader->Read("doc/スタイルシート1.xsl"), "xsl");
    EXPECT_EQ(*reader->Read("doc/構成.xml"), "utf8");
}

TEST(ZipWriter, WritesWhatOtherToolsRead) {
    // Compressed and stored entries, a UTF-8 name (flagged), an entry that does not shrink
    // (stored even when compression was asked for), a folder; read back by our reader and,
    // when it is installed, by Info-ZIP's unzip, which checks every CRC.
    std::string noise(4000, '\0');
    std::uint32_t x = 2463534242u;
    for (char& c : noise) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        c = static_cast<char>(x & 0xFF);
    }
    const std::string xml = "<申請書>" + std::string(3000, 'a') + "</申請書>";
    auto zip = WriteZip({{"p/", ""},
                         {"p/申請書.xml", xml},
                         {"p/noise.bin", noise},
                         {"p/plain.txt", "stored as asked", false}});
    ASSERT_TRUE(zip) << zip.error().ToString();
    auto reader = ZipReader::Open(*zip, {});
    ASSERT_TRUE(reader) << reader.error().ToString();
    ASSERT_EQ(reader->entries().size(), 4u);
    EXPECT_EQ(reader->entries()[1].name, "p/申請書.xml");
    EXPECT_LT(reader->entries()[1].compressed_size, xml.size() / 4);  // deflated
    EXPECT_EQ(reader->entries()[2].compressed_size, noise.size());    // did not shrink: stored
    EXPECT_EQ(*reader->Read("p/申請書.xml"), xml);
    EXPECT_EQ(*reader->Read("p/noise.bin"), noise);
    EXPECT_EQ(*reader->Read("p/plain.txt"), "stored as asked");
    if (std::system("command -v unzip >/dev/null 2>&1") == 0) {
        const std::string path = ::testing::TempDir() + "todoke_zip_writer_test.zip";
        {
            std::FILE* f = std::fopen(path.c_str(), "wb");
            ASSERT_NE(f, nullptr);
            std::fwrite(zip->data(), 1, zip->size(), f);
            std::fclose(f);
        }
        EXPECT_EQ(std::system(("unzip -tqq " + path).c_str()), 0);
        std::remove(path.c_str());
    }
}

TEST(ZipWriter, RefusesDuplicateAndEmptyNames) {
    EXPECT_EQ(WriteZip({{"p/a.xml", "1"}, {"p/a.xml", "2"}}).error().field, "zip.write");
    EXPECT_EQ(WriteZip({{"", "1"}}).error().field, "zip.write");
}

TEST(ZipWriter, WritesCp932NamesAsEgovDoes) {
    const std::string cp932 =
        "\x83\x58\x83\x5E\x83\x43\x83\x8B\x83\x56\x81\x5B\x83\x67"
        "1.xsl";
    auto zip = WriteZip({{"doc/" + cp932, "x", true, ZipNameEncoding::kCp932}});
    ASSERT_TRUE(zip);
    auto reader = ZipReader::Open(*zip, {});
    ASSERT_TRUE(reader) << reader.error().ToString();
    EXPECT_EQ(reader->entries()[0].name, "doc/スタイルシート1.xsl");
}

}  // namespace
}  // namespace todoke

namespace todoke {
namespace {

// libzip writes a changed archive by cloning the unchanged prefix of its buffer; the buffer
// must be libzip's own (ASan caught it freeing the caller's string when a later entry changed).
TEST(ReplaceZipEntriesTest, ReplacingALaterEntryKeepsTheEarlierOnes) {
    auto zip = WriteZip({{"d/", ""}, {"d/a.xml", "<a/>"}, {"d/b.xml", "<b/>"}, {"d/c.txt", "c"}});
    ASSERT_TRUE(zip);
    auto replaced = ReplaceZipEntries(*zip, {{"d/c.txt", "changed"}});
    ASSERT_TRUE(replaced) << replaced.error().ToString();
    auto reader = ZipReader::Open(*replaced, {});
    ASSERT_TRUE(reader);
    EXPECT_EQ(*reader->Read("d/a.xml"), "<a/>");
    EXPECT_EQ(*reader->Read("d/c.txt"), "changed");
}

}  // namespace
}  // namespace todoke
