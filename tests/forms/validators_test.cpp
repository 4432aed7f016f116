// Validator vectors and negative cases from forms-and-data.md §7 and §13.
#include <gtest/gtest.h>
#include <iconv.h>

#include "todoke/forms/chars.hpp"
#include "todoke/forms/identifiers.hpp"
#include "todoke/forms/wareki.hpp"

namespace todoke::forms {
namespace {

std::string Rule(const std::optional<Violation>& v) { return v ? v->rule : ""; }

TEST(MyNumber, AcceptsTheDomainVectors) {
    for (const char* v :
         {"123456789018", "526018159084", "301661318600", "913909960300", "824628194826"}) {
        EXPECT_EQ(Rule(CheckMyNumber(v)), "") << v;
    }
}

TEST(MyNumber, RejectsWrongCheckDigitLengthAndNonDigits) {
    EXPECT_EQ(Rule(CheckMyNumber("123456789019")), "my_number.check_digit");
    EXPECT_EQ(Rule(CheckMyNumber("526018159085")), "my_number.check_digit");
    EXPECT_EQ(Rule(CheckMyNumber("12345678901")), "my_number.format");
    EXPECT_EQ(Rule(CheckMyNumber("1234567890123")), "my_number.format");
    EXPECT_EQ(Rule(CheckMyNumber("1234-5678-9018")), "my_number.format");
    EXPECT_EQ(Rule(CheckMyNumber("１２３４５６７８９０１８")), "my_number.format");
    // Messages never repeat the number.
    EXPECT_EQ(CheckMyNumber("526018159085")->message.find("526018159085"), std::string::npos);
}

TEST(CorporateNumber, CheckDigitIsTheFirstDigit) {
    for (const char* v : {"1180301018771", "4037865797543", "2023194875749", "5011862527601"}) {
        EXPECT_EQ(Rule(CheckCorporateNumber(v)), "") << v;
    }
    EXPECT_EQ(Rule(CheckCorporateNumber("2180301018771")), "corporate_number.check_digit");
    EXPECT_EQ(Rule(CheckCorporateNumber("1180301018772")), "corporate_number.check_digit");
    EXPECT_EQ(Rule(CheckCorporateNumber("0180301018771")), "corporate_number.check_digit");
    EXPECT_EQ(Rule(CheckCorporateNumber("118030101877")), "corporate_number.format");
}

TEST(KisoNenkin, BothPartsOrNeither) {
    EXPECT_EQ(Rule(CheckKisoNenkinNumber("1234", "567890")), "");
    EXPECT_EQ(Rule(CheckKisoNenkinNumber("", "")), "");
    EXPECT_EQ(Rule(CheckKisoNenkinNumber("0000", "123456")), "kiso_nenkin.format");
    EXPECT_EQ(Rule(CheckKisoNenkinNumber("1234", "000000")), "kiso_nenkin.format");
    EXPECT_EQ(Rule(CheckKisoNenkinNumber("1234", "")), "kiso_nenkin.partial");
    EXPECT_EQ(Rule(CheckKisoNenkinNumber("123", "567890")), "kiso_nenkin.format");
}

TEST(OtherIdentifiers, ShapesOnly) {
    EXPECT_EQ(Rule(CheckKoyoHokenNumber("1301", "123456", "7")), "");
    EXPECT_EQ(Rule(CheckKoyoHokenNumber("1301", "12345", "7")), "koyo_hoken_number.format");
    EXPECT_EQ(Rule(CheckPostalCode("1000014")), "");
    EXPECT_EQ(Rule(CheckPostalCode("100-0014")), "postal_code.format");
    EXPECT_EQ(Rule(CheckPostalCode("１０００００１")), "postal_code.format");
    EXPECT_EQ(Rule(CheckPhoneNumber("03-1234-5678")), "");
    EXPECT_EQ(Rule(CheckPhoneNumber("0120-12-3456")), "");
    EXPECT_EQ(Rule(CheckPhoneNumber("０３－１２３４－５６７８")), "phone.format");
    EXPECT_EQ(Rule(CheckPhoneNumber("0312345678")), "phone.format");
}

TEST(MaskPersonal, KeepsOnlyTheLastFourCharacters) {
    EXPECT_EQ(MaskPersonal("526018159084"), "********9084");
    EXPECT_EQ(MaskPersonal("佐藤　花子"), "*藤　花子");
    EXPECT_EQ(MaskPersonal("abc"), "abc");
}

TEST(Wareki, EraBoundaries) {
    struct Case {
        Date date;
        Era era;
        int year;
        const char* yymmdd;
    };
    const Case cases[] = {
        {{1989, 1, 7}, Era::kShowa, 64, "640107"},    {{1989, 1, 8}, Era::kHeisei, 1, "010108"},
        {{2019, 4, 30}, Era::kHeisei, 31, "310430"},  {{2019, 5, 1}, Era::kReiwa, 1, "010501"},
        {{1912, 7, 29}, Era::kMeiji, 45, "450729"},   {{1912, 7, 30}, Era::kTaisho, 1, "010730"},
        {{1926, 12, 24}, Era::kTaisho, 15, "151224"}, {{1926, 12, 25}, Era::kShowa, 1, "011225"},
        {{1985, 5, 15}, Era::kShowa, 60, "600515"},   {{2025, 4, 1}, Era::kReiwa, 7, "070401"},
    };
    for (const auto& c : cases) {
        auto w = ToWareki(c.date);
        ASSERT_TRUE(w) << FormatIsoDate(c.date);
        EXPECT_EQ(w->era, c.era) << FormatIsoDate(c.date);
        EXPECT_EQ(w->year, c.year) << FormatIsoDate(c.date);
        EXPECT_EQ(NenkinYymmdd(*w), c.yymmdd);
    }
    EXPECT_EQ(ToWareki({1868, 10, 22}).error().field, "date.before_meiji");
}

TEST(Wareki, TheThreeCodeSchemesDisagree) {
    EXPECT_EQ(NenkinEraCode(Era::kShowa), 5);
    EXPECT_EQ(HoteiChoshoEraCode(Era::kShowa), 1);
    EXPECT_EQ(NenkinEraCode(Era::kReiwa), 9);
    EXPECT_EQ(HoteiChoshoEraCode(Era::kReiwa), 5);
    EXPECT_EQ(HoteiChoshoEraCode(Era::kMeiji), 3);
    EXPECT_EQ(EraKanji(Era::kHeisei), "平成");
}

TEST(Dates, ParsesOnlyRealIsoDates) {
    EXPECT_EQ(*ParseIsoDate("2024-02-29"), (Date{2024, 2, 29}));
    EXPECT_EQ(ParseIsoDate("2025-02-29").error().field, "date.invalid");  // 令和7年2月29日
    EXPECT_EQ(ParseIsoDate("2025-4-1").error().field, "date.format");
    EXPECT_EQ(ParseIsoDate("2025/04/01").error().field, "date.format");
    EXPECT_EQ(AddDays({2025, 6, 30}, 1), (Date{2025, 7, 1}));
    EXPECT_EQ(AddDays({2024, 12, 31}, 1), (Date{2025, 1, 1}));
    EXPECT_EQ(AddDays({2024, 3, 1}, -1), (Date{2024, 2, 29}));
    EXPECT_EQ(AddYears({1950, 4, 1}, 75), (Date{2025, 4, 1}));
    EXPECT_EQ(AddYears({2024, 2, 29}, 1), (Date{2025, 3, 1}));
}

TEST(Dates, TheDateInJapanTurnsAtFifteenHundredUtc) {
    // 2026-11-22T14:59:59Z is 23:59:59 JST; one second later it is the 23rd in Japan.
    const auto t = std::chrono::system_clock::from_time_t(1795359599);
    EXPECT_EQ(DateInJapan(t), (Date{2026, 11, 22}));
    EXPECT_EQ(DateInJapan(t + std::chrono::seconds(1)), (Date{2026, 11, 23}));
}

TEST(IdentifierParts, SplitHyphenated) {
    EXPECT_EQ(SplitHyphenated("03-1234-5678"), (std::array<std::string, 3>{"03", "1234", "5678"}));
    EXPECT_EQ(SplitHyphenated("1301-123456"), (std::array<std::string, 3>{"1301", "123456", ""}));
}

TEST(Characters, RejectsNonJisNamingCharacterPositionAndSubstitute) {
    auto v = CheckJisCharacters("髙橋", HalfWidthKana::kForbidden);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->rule, "chars.jis_x0208");
    EXPECT_NE(v->message.find("character 1 '髙' (U+9AD9)"), std::string::npos) << v->message;
    EXPECT_NE(v->hint.find("'髙' -> '高'"), std::string::npos) << v->hint;
    for (const char* bad : {"山﨑", "①", "㈱見本", "Ⅰ", "㍻", "鷗外", "𠮷野"}) {
        EXPECT_FALSE(FindNonJisCharacters(bad, HalfWidthKana::kAllowed).empty()) << bad;
    }
    const auto problems = FindNonJisCharacters("備考①と②", HalfWidthKana::kForbidden);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0].position, 3u);
    EXPECT_EQ(problems[0].substitute, "１");
    EXPECT_EQ(problems[1].position, 5u);
}

TEST(Characters, AcceptsJisX0208AndHalfWidthKanaOnlyWhereAllowed) {
    EXPECT_FALSE(CheckJisCharacters("佐藤　花子 サトウ ー－", HalfWidthKana::kForbidden));
    EXPECT_FALSE(CheckJisCharacters("東京都千代田区霞が関１－２－３", HalfWidthKana::kForbidden));
    EXPECT_FALSE(CheckJisCharacters("ｻﾄｳ ﾊﾅｺ", HalfWidthKana::kAllowed));
    auto v = CheckJisCharacters("ｻﾄｳ", HalfWidthKana::kForbidden);
    ASSERT_TRUE(v);
    EXPECT_NE(v->message.find("half-width katakana"), std::string::npos);
    EXPECT_TRUE(CheckJisCharacters("a\tb", HalfWidthKana::kAllowed));
    EXPECT_TRUE(CheckJisCharacters("\xE8\xA6", HalfWidthKana::kAllowed));
}

TEST(Characters, ShiftJisLengthsAsTheNenkinCountsThem) {
    EXPECT_EQ(ShiftJisLength("佐藤　花子"), 10u);
    EXPECT_EQ(ShiftJisLength("ｻﾄｳ ﾊﾅｺ"), 7u);
    EXPECT_EQ(ShiftJisLength("ﾀﾞｲｽｹ"), 5u);
    EXPECT_EQ(ShiftJisLength("東京都千代田区霞が関１－２－３"), 30u);
    EXPECT_EQ(ShiftJisLength("株式会社サンプル商事"), 20u);
    EXPECT_EQ(ShiftJisLength("ﾄｳｷｮｳﾄ ｼﾝｼﾞｭｸｸ ﾆｼｼﾝｼﾞｭｸ 9-9-9"), 29u);
    EXPECT_EQ(*ToShiftJis("ｱ"), "\xB1");
    EXPECT_EQ(*ToShiftJis("－"), "\x81\x7C");
    EXPECT_EQ(ToShiftJis("鷗").error().field, "chars.shift_jis");
    // ASCII runs are copied whole; the position named still counts characters.
    EXPECT_EQ(*ToShiftJis("2200700,ｱ,12\r\n東,x"), "2200700,\xB1,12\r\n\x93\x8C,x");
    EXPECT_NE(ToShiftJis("ab,c鷗").error().message.find("character 5 "), std::string::npos);
}

// The table behind ToShiftJis and the JIS checks, filled from iconv one code point at a time,
// gives iconv's own answer for every BMP character (asked here the other way round: the
// whole text at once, in code-point order).
TEST(Characters, ShiftJisTableAgreesWithIconvForEveryBmpCharacter) {
    iconv_t cd = iconv_open("CP932", "UTF-8");
    ASSERT_NE(cd, reinterpret_cast<iconv_t>(-1));
    std::size_t with_form = 0;
    for (char32_t cp = 0x80; cp <= 0xFFFF; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            continue;
        }
        std::string utf8;
        if (cp < 0x800) {
            utf8 = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
        } else {
            utf8 = {static_cast<char>(0xE0 | (cp >> 12)),
                    static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
                    static_cast<char>(0x80 | (cp & 0x3F))};
        }
        iconv(cd, nullptr, nullptr, nullptr, nullptr);
        char out[8];
        char* in = utf8.data();
        std::size_t in_left = utf8.size();
        char* dst = out;
        std::size_t out_left = sizeof out;
        const bool iconv_ok =
            iconv(cd, &in, &in_left, &dst, &out_left) != static_cast<std::size_t>(-1);
        const auto ours = ToShiftJis(utf8);
        ASSERT_EQ(iconv_ok, ours.has_value()) << "U+" << std::hex << static_cast<unsigned>(cp);
        if (iconv_ok) {
            ++with_form;
            ASSERT_EQ(*ours, std::string(out, sizeof out - out_left))
                << "U+" << std::hex << static_cast<unsigned>(cp);
        }
    }
    iconv_close(cd);
    EXPECT_GT(with_form, 7000u);  // JIS X 0208 alone has 6,879 characters
    // A failure names the character's position, counting characters, not bytes.
    EXPECT_NE(ToShiftJis("佐藤鷗外").error().message.find("character 3"), std::string::npos);
    EXPECT_EQ(ToShiftJis("\xE8\xA6").error().field, "chars.shift_jis");  // cut-off UTF-8
}

}  // namespace
}  // namespace todoke::forms
