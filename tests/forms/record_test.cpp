// Records -> validation (all errors of all records) -> 年金機構 CSV, for 資格取得届.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "forms_test_util.hpp"
#include "todoke/forms/identifiers.hpp"
#include "todoke/forms/nenkin_csv.hpp"
#include "todoke/forms/record_validator.hpp"

namespace todoke::forms {
namespace {

constexpr Date kToday{2025, 4, 30};

class ShutokuTest : public test::SampleRecordTest {
  protected:
    ShutokuTest() : SampleRecordTest("kenpo_shutoku.json", kToday) {}
};

TEST_F(ShutokuTest, TheSampleIsValid) { EXPECT_EQ(Errors(), std::vector<std::string>{}); }

TEST_F(ShutokuTest, RendersTheDomainSampleCsvByteForByte) {
    const Procedure* p = Catalogue::Default().Find("kenpo_shutoku");
    ASSERT_NE(p, nullptr);
    auto csv = RenderNenkinCsv(*p, record_, {{2025, 4, 1}, 1});
    ASSERT_TRUE(csv) << csv.error().ToString();
    EXPECT_EQ(*csv, test::Golden("kenpo_shutoku_SHFD0006.CSV"));
    EXPECT_TRUE(CheckNenkinCsv(*p, *csv));
}

TEST_F(ShutokuTest, ReReadingCatchesABrokenCsv) {
    const Procedure* p = Catalogue::Default().Find("kenpo_shutoku");
    auto csv = *RenderNenkinCsv(*p, record_, {{2025, 4, 1}, 1});
    EXPECT_EQ(CheckNenkinCsv(*p, csv.substr(0, csv.size() - 2)).error().field, "csv.structure");
    std::string extra = csv;
    extra.insert(extra.size() - 2, ",x");
    EXPECT_EQ(CheckNenkinCsv(*p, extra).error().field, "csv.structure");
    std::string bare_lf = csv;
    bare_lf.insert(bare_lf.size() - 2, "\n");
    EXPECT_EQ(CheckNenkinCsv(*p, bare_lf).error().field, "csv.structure");
    // 0x81 opens a two-byte character; a comma cannot be its second byte.
    std::string broken = csv;
    broken.insert(broken.size() - 3, "\x81");
    const auto e = CheckNenkinCsv(*p, broken);
    ASSERT_FALSE(e);
    EXPECT_NE(e.error().message.find("not Shift_JIS"), std::string::npos) << e.error().message;
}

// The re-read skips runs of plain ASCII eight bytes at a time: a bad byte is caught wherever it
// sits in such a run, at any offset from the start.
TEST_F(ShutokuTest, ReReadingCatchesABadByteAtEveryPosition) {
    const Procedure* p = Catalogue::Default().Find("kenpo_shutoku");
    const auto csv = *RenderNenkinCsv(*p, record_, {{2025, 4, 1}, 1});
    const std::size_t data = csv.find("[data]\r\n") + 8;
    ASSERT_NE(data, std::string::npos + 8);
    for (std::size_t at = data; at < csv.size() - 2; ++at) {
        if (static_cast<unsigned char>(csv[at]) >= 0x80 ||
            static_cast<unsigned char>(csv[at - 1]) >= 0x80) {
            continue;  // not between two ASCII bytes
        }
        for (const std::string_view bad : {"\n", "\r", "\x81"}) {
            std::string broken = csv;
            broken.insert(at, bad);
            if (bad == "\x81" && static_cast<unsigned char>(csv[at]) >= 0x40) {
                continue;  // 0x81 and an ASCII letter or digit make a real two-byte character
            }
            EXPECT_FALSE(CheckNenkinCsv(*p, broken))
                << "byte " << static_cast<int>(bad[0]) << " at " << at;
        }
    }
}

TEST_F(ShutokuTest, AFilingOver45MegabytesIsSplitIntoApplications) {
    auto& persons = record_.data["persons"].as_array();
    const boost::json::value person = persons[1];  // the longer row (address, no My Number)
    persons.clear();
    for (int i = 0; i < 25000; ++i) persons.push_back(person);
    const Procedure* p = Catalogue::Default().Find("kenpo_shutoku");
    EXPECT_EQ(RenderNenkinCsv(*p, record_, {{2025, 4, 1}, 1}).error().field, "csv.size");
    auto parts = RenderNenkinCsvParts(*p, record_, {{2025, 4, 1}, 7});
    ASSERT_TRUE(parts) << parts.error().ToString();
    ASSERT_EQ(parts->size(), 2u);
    std::size_t rows = 0;
    for (std::size_t n = 0; n < parts->size(); ++n) {
        const std::string& part = (*parts)[n].bytes;
        EXPECT_EQ((*parts)[n].media_serial, static_cast<int>(7 + n));
        EXPECT_LT(part.size(), kNenkinCsvMaxBytes);
        EXPECT_TRUE(CheckNenkinCsv(*p, part));
        // Each part is a whole application with the next 媒体通番.
        EXPECT_EQ(part.substr(0, 18),
                  n == 0 ? "21,01,\xB1\xB2\xB3,007,2025" : "21,01,\xB1\xB2\xB3,008,2025");
        for (std::size_t at = 0; (at = part.find("\r\n2200700,", at)) != std::string::npos; ++at)
            ++rows;
    }
    EXPECT_EQ(rows, 25000u);
}

TEST_F(ShutokuTest, ValuesThatWouldBreakTheCsvAreRefused) {
    const Procedure* p = Catalogue::Default().Find("kenpo_shutoku");
    // Every format that copies the record's text is checked: 備考 as it is, 住所カナ made
    // half-width, 基礎年金番号 and 郵便番号 cut in two.
    for (const auto& [field, value] :
         std::vector<std::pair<std::string, std::string>>{{"remarks", "転勤,再雇用"},
                                                          {"address_kana", "トウキョウ,ト"},
                                                          {"kiso_nenkin_number", "1234-5,6789"},
                                                          {"postal_code", "160,023"},
                                                          {"postal_code", "16000\r\n"}}) {
        auto bad = record_;
        bad.data["persons"].as_array()[0].as_object()[field] =
            value == "16000\\r\\n" ? "16000\r\n" : value;
        const auto r = RenderNenkinCsv(*p, bad, {{2025, 4, 1}, 1});
        ASSERT_FALSE(r) << field;
        EXPECT_EQ(r.error().field, "csv.separator") << field << ": " << r.error().ToString();
    }
}

TEST_F(ShutokuTest, MyNumberAndAddressExcludeEachOther) {  // §13 item 11
    Person(0)["postal_code"] = "1600023";
    EXPECT_TRUE(Has("persons[0].postal_code:shutoku.address_with_my_number"));
    Person(1).erase("address_kana");
    EXPECT_TRUE(Has("persons[1].address_kana:shutoku.address_required"));
}

TEST_F(ShutokuTest, DatesAndEras) {  // §13 item 7
    Person(0)["acquired_on"] = "1988-04-01";
    EXPECT_TRUE(Has("persons[0].acquired_on:shutoku.era"));
    Person(0)["acquired_on"] = "2025-02-29";
    EXPECT_TRUE(Has("persons[0].acquired_on:date.invalid"));
    Person(0)["acquired_on"] = "2025-05-01";
    EXPECT_TRUE(Has("persons[0].acquired_on:date.after_check_date"));
    Person(0)["acquired_on"] = "2025/04/01";
    EXPECT_TRUE(Has("persons[0].acquired_on:date.format"));
}

TEST_F(ShutokuTest, CharactersSeparatorsAndLengths) {  // §13 items 1–4
    Person(0)["name"] = "髙橋　花子";
    Person(0)["name_kana"] = "ｻﾄｳ ﾊﾅｺ";
    Person(1)["name_kana"] = "サトウハナコ";
    Person(1)["name"] = "佐藤　　花子";
    const auto errors = ValidateRecord(record_, Catalogue::Default(), kToday);
    std::vector<std::string> got;
    for (const auto& e : errors) got.push_back(e.field + ":" + e.rule);
    EXPECT_NE(std::find(got.begin(), got.end(), "persons[0].name:chars.jis_x0208"), got.end());
    EXPECT_NE(std::find(got.begin(), got.end(), "persons[0].name_kana:kana.full_width"), got.end());
    EXPECT_NE(std::find(got.begin(), got.end(), "persons[1].name_kana:name.separator"), got.end());
    EXPECT_NE(std::find(got.begin(), got.end(), "persons[1].name:name.separator"), got.end());
    for (const auto& e : errors) {
        if (e.rule == "chars.jis_x0208") {
            EXPECT_NE(e.message.find("'髙' (U+9AD9)"), std::string::npos);
            EXPECT_NE(e.hint.find("'髙' -> '高'"), std::string::npos);
            EXPECT_EQ(e.label, "氏名");
            EXPECT_EQ(e.value, "*橋　花子");  // personal: masked
        }
    }
    Person(0)["name"] = "一二三四五六　七八九十一二";  // 13 full-width = 26 bytes
    EXPECT_TRUE(Has("persons[0].name:length.sjis_bytes"));
}

TEST_F(ShutokuTest, IdentifiersCodesAndAmounts) {  // §13 items 6, 8–11
    Person(0)["my_number"] = "526018159085";
    Person(0)["acquisition_type"] = "2";
    Person(0)["pay_currency"] = 500;
    Person(1)["kiso_nenkin_number"] = "0000-123456";
    record_.data["employer"].as_object()["nenkin"].as_object()["city_code"] = "00";
    record_.data["employer"].as_object()["nenkin"].as_object()["office_number"] = "00000";
    record_.data["employer"].as_object()["nenkin"].as_object()["office_symbol"] = "A1ア";
    const auto errors = Errors();
    for (const char* expected :
         {"persons[0].my_number:my_number.check_digit", "persons[0].acquisition_type:code.unknown",
          "persons[0].pay_currency:shutoku.pay_total",
          "persons[1].kiso_nenkin_number:kiso_nenkin.format",
          "employer.nenkin.city_code:nenkin.city_code",
          "employer.nenkin.office_number:digits.all_zero",
          "employer.nenkin.office_symbol:nenkin.office_symbol"}) {
        EXPECT_NE(std::find(errors.begin(), errors.end(), expected), errors.end()) << expected;
    }
    // My Number never appears in clear in an error.
    for (const auto& e : ValidateRecord(record_, Catalogue::Default(), kToday)) {
        EXPECT_EQ(FormatError(e).find("526018159085"), std::string::npos);
    }
}

// An amount too long for any integer is an error of its field, never an exception in the
// rules that add amounts up (the 報酬月額 total once called std::stoll on it).
TEST_F(ShutokuTest, AnOverlongAmountIsAFieldErrorNotACrash) {
    Person(0)["pay_currency"] = std::string(25, '9');
    Person(1)["pay_in_kind"] = "12345678901234567890123";
    const auto errors = Errors();
    EXPECT_NE(std::find(errors.begin(), errors.end(), "persons[0].pay_currency:amount.format"),
              errors.end());
    EXPECT_NE(std::find(errors.begin(), errors.end(), "persons[1].pay_in_kind:amount.format"),
              errors.end());
}

TEST_F(ShutokuTest, ReportsEveryErrorOfEveryRecordInOnePass) {
    Person(0)["birth_date"] = "1985-13-01";
    Person(0)["kind"] = "9";
    Person(1)["acquired_on"] = "";
    record_.data.erase("employer");
    const auto errors = ValidateRecord(record_, Catalogue::Default(), kToday);
    std::set<std::string> fields;
    for (const auto& e : errors) fields.insert(e.field);
    EXPECT_TRUE(fields.contains("persons[0].birth_date"));
    EXPECT_TRUE(fields.contains("persons[0].kind"));
    EXPECT_TRUE(fields.contains("persons[1].acquired_on"));
    EXPECT_TRUE(fields.contains("employer.name"));
    EXPECT_TRUE(fields.contains("employer.nenkin.office_number"));
    for (const auto& e : errors) {
        EXPECT_EQ(e.record, 1u);
        EXPECT_EQ(e.record_id, "sample-kenpo-shutoku-0001");
    }
    const std::string json = FormatErrorJson(errors.front());
    EXPECT_NE(json.find("\"record_id\":\"sample-kenpo-shutoku-0001\""), std::string::npos);
}

TEST(Records, UnknownProcedureAndBadJson) {
    auto r = ParseJsonRecords(R"([{"procedure": "nope"}, {"persons": []}])", "x.json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ(ValidateRecord((*r)[0], Catalogue::Default(), kToday)[0].rule, "procedure.unknown");
    EXPECT_EQ(ValidateRecord((*r)[1], Catalogue::Default(), kToday)[0].rule, "required");
    EXPECT_EQ(ParseJsonRecords("{", "y.json").error().field, "record.json");
    EXPECT_EQ(ParseJsonRecords("[1]", "y.json").error().field, "record.json");
}

TEST(Records, WholeNumbersAreReadAsTheirTextWouldBe) {
    const auto values = boost::json::parse(
        R"([0, 7, 123, 999, 1000, -1, 12345678901234567, 18446744073709551615, 1.5, true, false,
            null, "", "042", "12a", "-3", "1000", {}, []])");
    for (const auto& v : values.as_array()) {
        for (const std::size_t digits : {3u, 4u, 12u, 18u, 30u}) {
            std::string scratch;
            const auto text = ValueText(v, scratch);
            const auto expected = text ? ParseWholeNumber(*text, digits) : std::nullopt;
            EXPECT_EQ(WholeNumberOf(v, digits), expected)
                << boost::json::serialize(v) << " with " << digits << " digits";
        }
    }
}

}  // namespace
}  // namespace todoke::forms
