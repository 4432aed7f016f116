// CSV intake: one row per person, grouped by record_id, UTF-8 or Shift_JIS.
#include <gtest/gtest.h>

#include "forms_test_util.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/forms/chars.hpp"
#include "todoke/forms/nenkin_csv.hpp"
#include "todoke/forms/record_validator.hpp"

namespace todoke::forms {
namespace {

TEST(RecordCsv, TheCsvSampleIsTheSameFilingAsTheJsonSample) {
    auto csv = ParseRecords(test::Sample("kenpo_shutoku.csv"), "kenpo_shutoku.csv");
    ASSERT_TRUE(csv) << csv.error().ToString();
    ASSERT_EQ(csv->size(), 1u);
    EXPECT_EQ(csv->front().PersonCount(), 2u);
    EXPECT_EQ(csv->front().person_lines, (std::vector<std::size_t>{2, 3}));
    EXPECT_TRUE(ValidateRecord(csv->front(), Catalogue::Default(), {2025, 4, 30}).empty());
    auto json = ParseRecords(test::Sample("kenpo_shutoku.json"), "kenpo_shutoku.json");
    const Procedure* p = Catalogue::Default().Find("kenpo_shutoku");
    EXPECT_EQ(*RenderNenkinCsv(*p, csv->front(), {{2025, 4, 1}, 1}),
              *RenderNenkinCsv(*p, json->front(), {{2025, 4, 1}, 1}));
}

TEST(RecordCsv, ReadsShiftJisAsExcelWritesIt) {
    const std::string utf8 = test::Sample("kenpo_shutoku.csv");
    // The sample holds only JIS X 0208 characters, so it has a Shift_JIS form.
    const std::string sjis = *ToShiftJis(utf8);
    ASSERT_FALSE(IsValidUtf8(sjis));
    auto records = ParseRecords(sjis, "excel.CSV");
    ASSERT_TRUE(records) << records.error().ToString();
    EXPECT_EQ(*GetText(records->front().data, "employer.name"), "株式会社サンプル商事");
}

TEST(RecordCsv, ErrorsNameTheLineOfThePerson) {
    std::string text = test::Sample("kenpo_shutoku.csv");
    text.replace(text.rfind("1234-567890"), 11, "1234-000000");
    auto records = ParseRecords(text, "persons.csv");
    const auto errors = ValidateRecord(records->front(), Catalogue::Default(), {2025, 4, 30});
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].line, 3u);
    EXPECT_NE(FormatError(errors[0]).find("(persons.csv:3, id sample-kenpo-shutoku-0001) "
                                          "persons[1].kiso_nenkin_number"),
              std::string::npos)
        << FormatError(errors[0]);
}

TEST(RecordCsv, QuotingGroupingAndInconsistentFilingColumns) {
    auto ok = ParseRecords(
        "record_id,procedure,persons.remarks\r\n"
        "a,p,\"転勤, \"\"再雇用\"\"\"\r\nb,p,x\r\na,p,y\r\n",
        "q.csv");
    ASSERT_TRUE(ok) << ok.error().ToString();
    ASSERT_EQ(ok->size(), 2u);
    EXPECT_EQ(*GetText((*ok)[0].data, "persons[0].remarks"), "転勤, \"再雇用\"");
    EXPECT_EQ((*ok)[0].PersonCount(), 2u);
    EXPECT_EQ((*ok)[0].person_lines, (std::vector<std::size_t>{2, 4}));
    auto differs = ParseRecords("record_id,employer.name,persons.name\na,X,p\na,Y,q\n", "d.csv");
    ASSERT_FALSE(differs);
    EXPECT_EQ(differs.error().field, "record.csv");
    EXPECT_NE(differs.error().message.find("d.csv:3"), std::string::npos);
    EXPECT_EQ(ParseRecords("procedure\nx\n", "n.csv").error().field, "record.csv");
    EXPECT_EQ(ParseRecords("record_id,a\nx\n", "c.csv").error().field, "record.csv");
    EXPECT_EQ(ParseRecords("record_id\n\"open\n", "o.csv").error().field, "record.csv");
}

}  // namespace
}  // namespace todoke::forms
