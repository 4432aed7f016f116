// White-box tests of the signer's fast path for plain kousei.xml: whatever the scanner accepts,
// its canonical <構成情報> must equal libxml2's C14N of the same document, and whatever it
// cannot write without doubt it must decline (the general path then signs or reports it).
#include "plain_kousei.hpp"

#include <gtest/gtest.h>

#include <random>

#include "test_support.hpp"
#include "xml_util.hpp"

namespace todoke::signing::detail {
namespace {

// libxml2's answer: C14N 1.0 of the root's <構成情報> child, or nothing if libxml2 does not
// parse the document.
std::optional<std::string> LibxmlCanonical(const std::string& xml) {
    auto doc = ParseUntrusted(xml, {}, "kousei.xml");
    if (!doc) {
        return std::nullopt;
    }
    for (xmlNodePtr child : ElementChildren(xmlDocGetRootElement(doc->get()))) {
        if (IsElement(child, "", "構成情報")) {
            auto canonical = CanonicalizeSubtree(doc->get(), child, false);
            return canonical ? std::optional<std::string>(*canonical) : std::nullopt;
        }
    }
    return std::nullopt;
}

// The sample kousei with `from` replaced by `to` (once).
std::string Variant(std::string_view from, std::string_view to) {
    std::string xml = testing::KouseiXml({"f.xml"});
    const auto at = xml.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    xml.replace(at, from.size(), to);
    return xml;
}

TEST(PlainKousei, ReadsTheRenderedShapeAsLibxml2Canonicalises) {
    const std::string xml = testing::KouseiXml({"a.xml", "b.xml"}, "<署名情報/>");
    const auto plain = ReadPlainKousei(xml, {});
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->canonical, LibxmlCanonical(xml));
    // The empty-element tag became a start and an end tag.
    EXPECT_NE(plain->canonical.find("<初回受付番号></初回受付番号>"), std::string::npos);
    EXPECT_EQ(plain->form_files, (std::vector<std::string_view>{"a.xml", "b.xml"}));
    EXPECT_EQ(xml.substr(plain->signature_begin, plain->signature_end - plain->signature_begin),
              "<署名情報/>");
}

TEST(PlainKousei, PlacesTheSignatureAfterKouseiWhenThereIsNoPlaceholder) {
    for (const std::string placeholder : {"", "<署名情報></署名情報>"}) {
        const std::string xml = testing::KouseiXml({"f.xml"}, placeholder);
        const auto plain = ReadPlainKousei(xml, {});
        ASSERT_TRUE(plain) << placeholder;
        const std::size_t kousei_end = xml.find("</構成情報>") + std::string("</構成情報>").size();
        if (placeholder.empty()) {
            EXPECT_EQ(plain->signature_begin, kousei_end);
            EXPECT_EQ(plain->signature_end, kousei_end);
        } else {
            EXPECT_EQ(xml.substr(plain->signature_begin, placeholder.size()), placeholder);
            EXPECT_EQ(plain->signature_end, plain->signature_begin + placeholder.size());
        }
    }
}

TEST(PlainKousei, AcceptedVariantsCanonicaliseAsLibxml2Does) {
    const std::vector<std::pair<std::string, std::string>> accepted = {
        {"見本　太郎", "A &amp; B &lt;C&gt; &quot;D&quot; &apos;E&apos;"},
        {"見本　太郎", "tab\there, \"quoted\" and 'single'"},
        {"<初回受付番号/>", "<初回受付番号 kind=\"x y\"/>"},
        {"<申請種別>", "<申請種別 ref=\"新規\">"},
        {"<申請種別>新規申請</申請種別>", "<申請種別></申請種別>"},
        {"<管理情報>", "<管理情報>\n\n  \t"},
        {"<手続名称>", "<手続名称_2.x-y>z</手続名称_2.x-y><手続名称>"},
        {"<提出先情報>", "<提出先情報><はーい>x</はーい>"},
        {"<提出先情報>", "<提出先情報>"},
    };
    for (const auto& [from, to] : accepted) {
        const std::string xml = Variant(from, to);
        const auto plain = ReadPlainKousei(xml, {});
        ASSERT_TRUE(plain) << to;
        EXPECT_EQ(plain->canonical, LibxmlCanonical(xml)) << to;
    }
}

TEST(PlainKousei, DeclinesWhatItCannotWriteWithoutDoubt) {
    const std::vector<std::pair<std::string, std::string>> declined = {
        {"見本　太郎", "<!-- a comment -->"},
        {"見本　太郎", "<![CDATA[x]]>"},
        {"見本　太郎", "&#x41;"},
        {"見本　太郎", "&nbsp;"},
        {"見本　太郎", "a > b"},
        {"見本　太郎", "line\r\nbreak"},
        {"見本　太郎", "\x01"},
        {"見本　太郎", "\xEF\xBF\xBF"},
        {"見本　太郎", "\xE8\x80"},
        {"見本　太郎", "<?pi data?>"},
        {"<DataRoot>", "<DataRoot xmlns=\"urn:x\">"},
        {"<DataRoot>", "<DataRoot xml:lang=\"ja\">"},
        {"<申請種別>", "<申請種別 a=\"1\" b=\"2\">"},
        {"<申請種別>", "<申請種別 xml:space=\"preserve\">"},
        {"<申請種別>", "<申請種別 a=\"x\ty\">"},
        {"<申請種別>", "<申請種別 a='x'>"},
        {"<申請種別>", "<申請種別 >"},
        {"<申請種別>", "<ーは先頭>x</ーは先頭><申請種別>"},
        {"<申請種別>", "<x:申請種別>"},
        {"<申請種別>", "<申請　種別>"},
        {"</申請種別>", "</申請種別 >"},
        {"</申請種別>", "</管理情報>"},
        {"<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
         "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>"},
        {"<?xml version=\"1.0\" encoding=\"UTF-8\"?>", ""},
        {"<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
         "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>"},
        {"<DataRoot>", "<!DOCTYPE DataRoot []><DataRoot>"},
        {"<構成情報 ID=\"構成情報\">", "<構成情報 ID=\"other\">"},
        {"<構成情報 ID=\"構成情報\">", "<署名情報/><構成情報 ID=\"構成情報\">"},
        {"</構成情報>", "</構成情報><構成情報 ID=\"構成情報\"></構成情報>"},
        {"</構成情報>", "</構成情報><署名情報>x</署名情報>"},
        {"</構成情報>", "</構成情報><署名情報/><署名情報/>"},
        {"<申請書ファイル名称>f.xml", "<申請書ファイル名称>../f.xml"},
        {"<申請書ファイル名称>f.xml", "<申請書ファイル名称>f&amp;.xml"},
        {"<申請書ファイル名称>f.xml", "<申請書ファイル名称><b/>f.xml"},
        {"</DataRoot>\n", "</DataRoot>\n<!-- after -->"},
        {"</DataRoot>\n", "</DataRoot>\n<DataRoot/>"},
        {"</DataRoot>\n", ""},
    };
    for (const auto& [from, to] : declined) {
        EXPECT_FALSE(ReadPlainKousei(Variant(from, to), {})) << to;
    }
}

TEST(PlainKousei, DeclinesDocumentsOverTheLimits) {
    const std::string xml = testing::KouseiXml({"f.xml"});
    EXPECT_FALSE(ReadPlainKousei(xml, {.max_bytes = xml.size() - 1}));
    EXPECT_FALSE(ReadPlainKousei(xml, {.max_depth = 5}));
    EXPECT_FALSE(ReadPlainKousei(xml, {.max_nodes = 20}));
    EXPECT_TRUE(ReadPlainKousei(xml, {.max_depth = 6}));
}

// Random text and empty elements in <管理情報>: every accepted document canonicalises as
// libxml2 does, and every document libxml2 cannot parse is declined.
TEST(PlainKousei, RandomContentNeverCanonicalisesDifferently) {
    const std::vector<std::string> pieces = {
        "a",
        "Z",
        "0",
        " ",
        "\t",
        "\n",
        "漢字",
        "ｶﾅ",
        "　",
        "&amp;",
        "&lt;",
        "&gt;",
        "&quot;",
        "&apos;",
        "\"",
        "'",
        ">",
        "&",
        "&#38;",
        "<e/>",
        "<e></e>",
        "<e a=\"v\"/>",
        "<e a=\"&amp;\"/>",
        "\r",
        "]]>",
        "<!---->",
        "<e>t</e>",
        "<ー/>",
        "<_x.1/>",
        "\xC2\x85",
    };
    std::mt19937 random(20261124);
    int accepted = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string content;
        const int length = static_cast<int>(random() % 8);
        for (int i = 0; i < length; ++i) {
            content += pieces[random() % pieces.size()];
        }
        const std::string xml = Variant("</管理情報>", content + "</管理情報>");
        const auto plain = ReadPlainKousei(xml, {});
        const auto expected = LibxmlCanonical(xml);
        if (plain) {
            ++accepted;
            ASSERT_TRUE(expected) << content;
            ASSERT_EQ(plain->canonical, *expected) << content;
        }
    }
    // Both outcomes are exercised.
    EXPECT_GT(accepted, 300);
    EXPECT_LT(accepted, 2700);
}

}  // namespace
}  // namespace todoke::signing::detail
