// 労働保険 procedure tables. Source: forms-and-data.md §2.2 (手続ID, 様式ID), §4.9 (労働保険番号);
// the items follow the paper 様式第6号 (継続事業) as todoke knows it: UNCONFIRMED
// (nendo_koshin.hpp).
#include "catalogue_tables.hpp"
#include "correlation_rules.hpp"

namespace todoke::forms::detail {
namespace {

// A 算定基礎額 in 千円 or an amount in yen: the 事業所's, not personal.
FieldSpec Money(std::string_view path, std::string_view label, bool required) {
    return {path, label, FieldKind::kAmount, required, false, 0, 0, 0, {}, 999'999'999'999};
}
FieldSpec Rate(std::string_view path, std::string_view label, bool required) {
    return {path, label, FieldKind::kPerMille, required};
}

}  // namespace

Procedure RodoNendoKoshin() {
    Procedure p;
    p.id = "rodo_nendo_koshin";
    p.name = "労働保険年度更新申告";
    p.channel = Channel::kEgovFormXml;
    // The domain notes give the API v1 13-digit 手続ID 4950019900028 and the 様式ID
    // 495001902801810004 (§2.2, paperzz doc). The 16-digit v2 手続ID is unknown: the 13 digits
    // + "000" (the pattern of the 雇用保険 取得届's IDs) is a placeholder to configure, and the
    // 様式バージョン and the element names are todoke's (forms/schemas/rodo_nendo_koshin.xsd).
    p.proc_id = "4950019900028000";
    p.form_id = "495001902801810004";
    p.form_version = "0001";
    p.form_name = "労働保険概算・確定保険料申告書(継続事業)";
    p.confirmed = false;
    p.takes_persons = false;
    p.min_persons = 0;
    p.employer_fields = {
        {"employer.rodo.insurance_number", "労働保険番号", FieldKind::kRodoNumber, true},
        {"employer.name", "事業の名称", FieldKind::kKanji, true, false, 0, 30},
        {"employer.postal_code", "事業の所在地 郵便番号", FieldKind::kPostalCode, true},
        {"employer.address", "事業の所在地", FieldKind::kKanji, true, false, 0, 60},
        {"employer.phone", "電話番号", FieldKind::kPhone, true},
        {"employer.rodo.business_kind", "事業の種類", FieldKind::kKanji, true, false, 0, 20},
        {"employer.owner_name", "事業主 氏名 (法人のときは代表者の氏名)", FieldKind::kNameKanji,
         true, false, 0, 20},
        Digits("declaration.fiscal_year", "年度 (概算保険料の保険年度)", true, 4, 4),
        Money("declaration.final.rosai_base_thousand_yen",
              "確定保険料 労災保険分 算定基礎額 (千円)", true),
        Rate("declaration.final.rosai_rate_per_mille", "確定保険料 労災保険率 (‰)", true),
        Money("declaration.final.koyo_base_thousand_yen", "確定保険料 雇用保険分 算定基礎額 (千円)",
              false),
        Rate("declaration.final.koyo_rate_per_mille", "確定保険料 雇用保険率 (‰)", false),
        Money("declaration.estimate.rosai_base_thousand_yen",
              "概算保険料 労災保険分 算定基礎額の見込額 (千円)", true),
        Rate("declaration.estimate.rosai_rate_per_mille", "概算保険料 労災保険率 (‰)", true),
        Money("declaration.estimate.koyo_base_thousand_yen",
              "概算保険料 雇用保険分 算定基礎額の見込額 (千円)", false),
        Rate("declaration.estimate.koyo_rate_per_mille", "概算保険料 雇用保険率 (‰)", false),
        Money("declaration.paid_estimate_yen", "申告済概算保険料額 (円)", true),
        Code("declaration.installments", "延納の申請 納付回数", true, {"1", "3"}),
        Code("declaration.surplus", "充当意思 (apply 充当 / refund 還付)", false,
             {"apply", "refund"}),
    };
    AppendAll(p.employer_fields, FormContactFields());
    p.record_rules = {rules::NendoKoshin};
    return p;
}

}  // namespace todoke::forms::detail
