// 労働保険 年度更新 (概算・確定保険料申告書, 継続事業): the arithmetic of nendo_koshin.hpp, the
// record rules, and the form XML (element names unconfirmed; the golden file pins them).
#include "todoke/forms/nendo_koshin.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "forms_test_util.hpp"
#include "todoke/forms/package.hpp"
#include "todoke/forms/record_validator.hpp"

namespace todoke::forms {
namespace {

class NendoKoshinTest : public test::SampleRecordTest {
  protected:
    NendoKoshinTest() : SampleRecordTest("rodo_nendo_koshin.json", {2026, 6, 15}) {}
    void SetUp() override {
        SampleRecordTest::SetUp();
        procedure_ = Catalogue::Default().Find("rodo_nendo_koshin");
        ASSERT_NE(procedure_, nullptr);
    }
    boost::json::object& Declaration() { return record_.data["declaration"].as_object(); }
    boost::json::object& Part(const char* name) { return Declaration()[name].as_object(); }
    NendoKoshinResult Compute() {
        auto r = ComputeNendoKoshin(Declaration());
        EXPECT_TRUE(r.has_value());
        return r.value_or(NendoKoshinResult{});
    }
    const Procedure* procedure_ = nullptr;
};

TEST(PerMille, TenthsOfAPerMille) {
    EXPECT_EQ(ParsePerMilleTenths("3"), 30);
    EXPECT_EQ(ParsePerMilleTenths("15.5"), 155);
    EXPECT_EQ(ParsePerMilleTenths("0.0"), 0);
    EXPECT_EQ(ParsePerMilleTenths("88"), 880);
    for (const char* bad : {"", ".5", "1.25", "1,5", "-3", "1e2", "1000", "3."}) {
        EXPECT_FALSE(ParsePerMilleTenths(bad)) << bad;
    }
}

TEST_F(NendoKoshinTest, TheSampleIsValidAndItsAmountsAreTheLaws) {
    EXPECT_EQ(Errors(), std::vector<std::string>{});
    const auto r = Compute();
    // 確定: 52,340千円 × 3‰ = 157,020; 50,120千円 × 15.5‰ = 776,860.
    EXPECT_EQ(r.final_rosai.premium, 157'020);
    EXPECT_EQ(r.final_koyo.premium, 776'860);
    EXPECT_EQ(r.final_total, 933'880);
    // 概算: both 見込額 lie within 50 %–200 % of last year's, so last year's bases count.
    EXPECT_TRUE(r.estimate_rosai_from_final);
    EXPECT_TRUE(r.estimate_koyo_from_final);
    EXPECT_EQ(r.estimate_rosai.base_thousand_yen, 52'340);
    EXPECT_EQ(r.estimate_koyo.premium, 726'740);  // 50,120 × 14.5‰
    EXPECT_EQ(r.estimate_total, 883'760);
    // 一般拠出金: 52,340,000 × 0.02‰ = 1,046.8 -> 1,046.
    EXPECT_EQ(r.contribution, 1'046);
    // 申告済 900,000 < 確定 933,880: 不足額 33,880 with the first period.
    EXPECT_EQ(r.shortfall, 33'880);
    EXPECT_EQ(r.surplus, 0);
    // 延納: 883,760 / 3 = 294,586 r 2; the first period takes the remainder.
    ASSERT_TRUE(r.installments_allowed);
    EXPECT_EQ(r.periods[0].estimate, 294'588);
    EXPECT_EQ(r.periods[1].estimate, 294'586);
    EXPECT_EQ(r.periods[2].estimate, 294'586);
    EXPECT_EQ(r.periods[0].payable, 294'588 + 33'880 + 1'046);
    EXPECT_EQ(r.periods[0].payable + r.periods[1].payable + r.periods[2].payable,
              r.estimate_total + r.shortfall + r.contribution);
}

TEST_F(NendoKoshinTest, AnEstimateOutsideHalfToDoubleIsUsedAsItIs) {
    Part("estimate")["koyo_base_thousand_yen"] = 25'059;  // below half of 50,120
    auto r = Compute();
    EXPECT_FALSE(r.estimate_koyo_from_final);
    EXPECT_EQ(r.estimate_koyo.base_thousand_yen, 25'059);
    Part("estimate")["koyo_base_thousand_yen"] = 25'060;  // exactly half: last year's
    r = Compute();
    EXPECT_TRUE(r.estimate_koyo_from_final);
    Part("estimate")["koyo_base_thousand_yen"] = 100'241;  // above double
    r = Compute();
    EXPECT_FALSE(r.estimate_koyo_from_final);
}

TEST_F(NendoKoshinTest, ASurplusIsAppliedToThePeriodsOrRefunded) {
    Declaration()["paid_estimate_yen"] = 1'300'000;  // 366,120 above the 確定
    auto r = Compute();
    EXPECT_EQ(r.surplus, 366'120);
    EXPECT_EQ(r.shortfall, 0);
    // Applied to the first period (294,588 + 1,046) and the rest to the second.
    EXPECT_EQ(r.periods[0].payable, 0);
    EXPECT_EQ(r.periods[1].applied, 366'120 - (294'588 + 1'046));
    EXPECT_EQ(r.applied, 366'120);
    EXPECT_EQ(r.refund, 0);
    Declaration()["surplus"] = "refund";
    r = Compute();
    EXPECT_EQ(r.applied, 0);
    EXPECT_EQ(r.refund, 366'120);
    EXPECT_EQ(r.periods[0].payable, 294'588 + 1'046);
}

TEST_F(NendoKoshinTest, InstallmentsNeedTheMinimumPremium) {
    // Only 労災: 200,000 yen is the floor. 66,667千円 × 3‰ = 200,001.
    Part("final").erase("koyo_base_thousand_yen");
    Part("final").erase("koyo_rate_per_mille");
    Part("estimate").erase("koyo_base_thousand_yen");
    Part("estimate").erase("koyo_rate_per_mille");
    Part("final")["rosai_base_thousand_yen"] = 66'667;
    Part("estimate")["rosai_base_thousand_yen"] = 66'667;
    EXPECT_EQ(Errors(), std::vector<std::string>{});
    Part("estimate")["rosai_base_thousand_yen"] = 200'000;  // >200 %: used as it is
    Part("estimate")["rosai_rate_per_mille"] = "0.9";       // 180,000 yen
    EXPECT_TRUE(Has("declaration.installments:nendo.installments_not_allowed"));
    // Both insurances: 400,000 yen.
    record_.data["declaration"] =
        boost::json::parse(test::Sample("rodo_nendo_koshin.json")).as_object()["declaration"];
    Part("estimate")["koyo_rate_per_mille"] = "1.0";  // 50,120 + 157,020 < 400,000
    EXPECT_TRUE(Has("declaration.installments:nendo.installments_not_allowed"));
    Declaration()["installments"] = "1";
    EXPECT_EQ(Errors(), std::vector<std::string>{});
}

TEST_F(NendoKoshinTest, AllErrorsOfTheFilingInOnePass) {
    record_.data["employer"].as_object()["rodo"].as_object()["insurance_number"] = "48301123456000";
    Declaration()["fiscal_year"] = 2019;
    Part("final")["koyo_rate_per_mille"] = "15.55";
    Part("estimate").erase("koyo_rate_per_mille");
    Part("estimate")["rosai_rate_per_mille"] = "0";
    Declaration()["paid_estimate_yen"] = "90万";
    record_.data["persons"] = boost::json::array{boost::json::object{{"name", "見本　一郎"}}};
    const auto all = Errors();
    for (const char* expected :
         {"employer.rodo.insurance_number:rodo_hoken_number.prefecture",
          "declaration.fiscal_year:nendo.fiscal_year",
          "declaration.final.koyo_rate_per_mille:rate.per_mille",
          "declaration.estimate.koyo_rate_per_mille:nendo.rate_required",
          "declaration.estimate.rosai_rate_per_mille:nendo.rate_range",
          "declaration.paid_estimate_yen:amount.format", "persons:persons.unexpected"}) {
        EXPECT_NE(std::find(all.begin(), all.end(), expected), all.end()) << expected;
    }
    // The message names the field's label.
    const auto errors = ValidateRecord(record_, Catalogue::Default(), today_);
    const auto it = std::find_if(errors.begin(), errors.end(), [](const FieldError& e) {
        return e.rule == "nendo.rate_required";
    });
    ASSERT_NE(it, errors.end());
    EXPECT_EQ(it->label, "概算保険料 雇用保険率 (‰)");
}

TEST_F(NendoKoshinTest, TheInsuranceNumberShape) {
    auto& rodo = record_.data["employer"].as_object()["rodo"].as_object();
    rodo["insurance_number"] = "1310112345600";
    EXPECT_TRUE(Has("employer.rodo.insurance_number:rodo_hoken_number.format"));
    rodo["insurance_number"] = "13201123456000";
    EXPECT_TRUE(Has("employer.rodo.insurance_number:rodo_hoken_number.shosho"));
    rodo["insurance_number"] = "13301123456000";  // 所掌 3: 公共職業安定所
    EXPECT_EQ(Errors(), std::vector<std::string>{});
}

TEST_F(NendoKoshinTest, RendersTheGoldenForm) {
    EXPECT_FALSE(procedure_->confirmed);  // the v2 手続ID is a placeholder until configured
    PackageOptions options;
    options.submitted_on = {2026, 6, 15};
    auto files = RenderApplication(*procedure_, record_, options);
    ASSERT_TRUE(files) << files.error().ToString();
    ASSERT_EQ(files->files.size(), 2u);
    EXPECT_EQ(files->files[1].name, "495001902801810004_01.xml");
    EXPECT_EQ(files->files[1].bytes, test::Golden("rodo_nendo_koshin_495001902801810004_01.xml"));
    EXPECT_NE(files->files[1].bytes.find("<年度>\r\n<年号>令和</年号>\r\n<年>8</年>"),
              std::string::npos);
    EXPECT_NE(files->files[0].bytes.find("<手続ID>4950019900028000</手続ID>"), std::string::npos);
}

}  // namespace
}  // namespace todoke::forms
