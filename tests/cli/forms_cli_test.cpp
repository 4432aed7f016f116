// `todoke forms` through the real binary.
#include <gtest/gtest.h>

#include "cli_util.hpp"
#include "test_support.hpp"

namespace todoke {
namespace {

class FormsCliTest : public ::testing::Test {
  protected:
    testing::Outcome Todoke(const std::string& args) {
        return testing::RunTodoke(dir_.path(), args);
    }
    std::string Sample() {
        return testing::ReadFile(std::string(TODOKE_SOURCE_DIR) +
                                 "/samples/records/kenpo_shutoku.json");
    }
    testing::TempDir dir_;
};

TEST_F(FormsCliTest, ListsTheCatalogue) {
    auto r = Todoke("forms list --format json");
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("\"id\":\"kenpo_shutoku\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"identifiers_confirmed\":false"), std::string::npos);
}

TEST_F(FormsCliTest, TheSettingsConfigureUnconfirmedIdentifiers) {
    testing::WriteFile(dir_ / "s.json",
                       R"({"catalogue": {"koyo_soshitsu": {"proc_id": "4950000020999000"}}})");
    auto r = Todoke("forms list --config s.json");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(
        r.out.find("koyo_soshitsu\t雇用保険被保険者資格喪失届／電子申請\tegov_form_xml\tproc_id "
                   "4950000020999000\n"),
        std::string::npos)
        << r.out;
    testing::WriteFile(dir_ / "bad.json", R"({"catalogue": {"koyo_soshitsu": {"proc_id": "1"}}})");
    auto bad = Todoke("forms list --config bad.json");
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("catalogue.koyo_soshitsu.proc_id"), std::string::npos) << bad.err;
    testing::WriteFile(dir_ / "typo.json", R"({"catalogue": {"koyo_soshitsi": {}}})");
    EXPECT_EQ(Todoke("forms list --config typo.json").status, 2);
}

TEST_F(FormsCliTest, ValidSampleRendersTheGoldenCsv) {
    testing::WriteFile(dir_ / "r.json", Sample());
    EXPECT_EQ(Todoke("forms validate r.json --today 2025-04-30").status, 0);
    auto r = Todoke("forms render r.json --out out --today 2025-04-30 --created-on 2025-04-01");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(
        testing::ReadFile(dir_ / "out/sample-kenpo-shutoku-0001/4950000020400000/SHFD0006.CSV"),
        testing::ReadFile(std::string(TODOKE_SOURCE_DIR) +
                          "/tests/forms/golden/kenpo_shutoku_SHFD0006.CSV"));
}

TEST_F(FormsCliTest, InvalidRecordsListEveryErrorAndExitOne) {
    std::string bad = Sample();
    bad.replace(bad.find("佐藤　花子"), 15, "髙橋　花子");
    bad.replace(bad.find("526018159084"), 12, "526018159085");
    bad.replace(bad.find("\"2025-04-01\""), 12, "\"2025-02-29\"");
    testing::WriteFile(dir_ / "bad.json", "[" + bad + "," + Sample() + "]");
    auto r = Todoke("forms validate bad.json --today 2025-04-30");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.out.find("record 1 (bad.json, id sample-kenpo-shutoku-0001) persons[0].name 氏名 "
                         "[chars.jis_x0208]"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("persons[0].my_number 個人番号 [my_number.check_digit]"),
              std::string::npos);
    EXPECT_NE(r.out.find("(value \"********9085\")"), std::string::npos);
    EXPECT_EQ(r.out.find("526018159085"), std::string::npos);  // My Number masked
    EXPECT_NE(r.out.find("persons[0].acquired_on 資格取得年月日 [date.invalid]"),
              std::string::npos);
    EXPECT_NE(r.err.find("2 record(s), 1 invalid, 3 error(s)"), std::string::npos) << r.err;
    auto json = Todoke("forms validate bad.json --today 2025-04-30 --format json");
    EXPECT_EQ(json.status, 1);
    EXPECT_EQ(std::count(json.out.begin(), json.out.end(), '\n'), 3);
    EXPECT_NE(json.out.find("\"rule\":\"my_number.check_digit\""), std::string::npos);
    // A batch with errors renders nothing.
    EXPECT_EQ(Todoke("forms render bad.json --out out --today 2025-04-30").status, 1);
    EXPECT_FALSE(std::filesystem::exists(dir_ / "out"));
}

TEST_F(FormsCliTest, UnreadableInputsExitTwo) {
    EXPECT_EQ(Todoke("forms validate missing.json").status, 2);
    testing::WriteFile(dir_ / "broken.json", "{");
    EXPECT_EQ(Todoke("forms validate broken.json").status, 2);
}

}  // namespace
}  // namespace todoke
