// 雇用保険 procedure tables. Source: forms-and-data.md §2.2, §4.7.
#include "catalogue_tables.hpp"
#include "correlation_rules.hpp"

namespace todoke::forms::detail {
namespace {

// The 事業所, its 公共職業安定所 and the contact of every 雇用保険 form (§4.7).
std::vector<FieldSpec> KoyoEmployer() {
    std::vector<FieldSpec> fields{
        {"employer.name", "事業所名称", FieldKind::kKanji, true, false, 0, 25},
        {"employer.owner_name", "事業主氏名", FieldKind::kNameKanji, true, false, 0, 12},
        {"employer.postal_code", "事業所郵便番号", FieldKind::kPostalCode, true},
        {"employer.address", "事業主住所", FieldKind::kKanji, true},
        {"employer.phone", "事業主電話番号", FieldKind::kPhone, true},
        {"employer.koyo.office_number", "事業所番号", FieldKind::kKoyoNumber, true},
        {"employer.koyo.destination", "あて先 (公共職業安定所)", FieldKind::kKanji, true, false, 0,
         20},
    };
    AppendAll(fields, FormContactFields());
    return fields;
}

// 一週間の所定労働時間 of the 取得届 and the 喪失届.
std::vector<FieldSpec> WeeklyHours() {
    return {Digits("weekly_hours", "一週間の所定労働時間 (時間)", true, 1, 2, true),
            Digits("weekly_minutes", "一週間の所定労働時間 (分)", false, 1, 2, true)};
}

}  // namespace

std::vector<FieldSpec> FormContactFields() {
    return {
        {"destination.id", "提出先識別子", FieldKind::kAlnum, true, false, 23, 23},
        {"destination.name", "提出先名称", FieldKind::kKanji, true},
        {"submitter.name", "連絡先 氏名", FieldKind::kNameKanji, true},
        {"submitter.postal_code", "連絡先 郵便番号", FieldKind::kPostalCode},
        {"submitter.phone", "連絡先 電話番号", FieldKind::kPhone, true},
        {"submitter.email", "連絡先 電子メールアドレス", FieldKind::kEmail},
    };
}

Procedure KoyoShutoku() {
    Procedure p;
    p.id = "koyo_shutoku";
    p.name = "雇用保険被保険者資格取得届／電子申請";
    p.channel = Channel::kEgovFormXml;
    p.proc_id = "4950000020325000";  // recorded (KIJI fixtures), forms-and-data.md §2.2
    p.form_id = "495000020325029841";
    p.form_version = "0003";
    p.form_name = "雇用保険被保険者資格取得届";
    p.confirmed = true;
    p.employer_fields = KoyoEmployer();
    p.person_fields = {
        {"insured_number", "被保険者番号", FieldKind::kKoyoNumber, false, true},
        {"acquisition_kind", "取得区分", FieldKind::kCode, true, false, 0, 0, 0, {"1", "2"}},
        {"name", "被保険者氏名", FieldKind::kNameKanji, true, true},
        {"name_kana", "被保険者氏名フリガナ", FieldKind::kNameKana, true, true},
        {"gender", "性別", FieldKind::kCode, true, false, 0, 0, 0, {"male", "female"}},
        {"birth_date", "生年月日", FieldKind::kDate, true, true},
        {"acquired_on", "資格取得年月日", FieldKind::kDate, true},
        {"cause",
         "被保険者となったことの原因",
         FieldKind::kCode,
         true,
         false,
         0,
         0,
         0,
         {"1", "2", "3", "4", "8"}},
        // The code sets of 支払の態様 and 雇用形態 are only partly known (§4.7): unconfirmed.
        {"wage_payment_mode",
         "賃金 支払の態様",
         FieldKind::kCode,
         true,
         false,
         0,
         0,
         0,
         {"1", "2", "3", "4", "5", "6", "7"}},
        {"wage_monthly_thousand_yen",
         "賃金月額 (千円)",
         FieldKind::kAmount,
         true,
         true,
         0,
         0,
         0,
         {},
         9999},
        {"employment_type",
         "雇用形態",
         FieldKind::kCode,
         true,
         false,
         0,
         0,
         0,
         {"1", "2", "3", "4", "5", "6", "7"}},
        {"occupation", "職種", FieldKind::kDigits, true, false, 1, 2},
        {"remarks", "備考", FieldKind::kKanji, false, false, 0, 0, 100},
    };
    AppendAll(p.person_fields, WeeklyHours());
    p.rules = {rules::KoyoShutoku};
    p.max_persons = 1;
    return p;
}

Procedure KoyoSoshitsu() {
    Procedure p;
    p.id = "koyo_soshitsu";
    p.name = "雇用保険被保険者資格喪失届／電子申請";
    p.channel = Channel::kEgovFormXml;
    // forms-and-data.md §2.2 and §4.8 know neither the 手続ID nor the 様式ID nor the element
    // names of this form: these are placeholders to configure (settings "catalogue"), and the
    // form follows the paper items under names modelled on the 取得届 (unconfirmed).
    p.proc_id = "4950000020326000";
    p.form_id = "495000020326029841";
    p.form_version = "0001";
    p.form_name = "雇用保険被保険者資格喪失届";
    p.confirmed = false;
    p.employer_fields = KoyoEmployer();
    p.person_fields = {
        {"insured_number", "被保険者番号", FieldKind::kKoyoNumber, true, true},
        {"name", "被保険者氏名", FieldKind::kNameKanji, true, true},
        {"name_kana", "被保険者氏名フリガナ", FieldKind::kNameKana, true, true},
        {"new_name", "新氏名", FieldKind::kNameKanji, false, true},
        {"new_name_kana", "新氏名フリガナ", FieldKind::kNameKana, false, true},
        {"gender", "性別", FieldKind::kCode, true, false, 0, 0, 0, {"male", "female"}},
        {"birth_date", "生年月日", FieldKind::kDate, true, true},
        {"my_number", "個人番号", FieldKind::kMyNumber, false, true},
        {"acquired_on", "資格取得年月日", FieldKind::kDate, true},
        {"separated_on", "離職等年月日", FieldKind::kDate, true},
        // 1 離職以外 (死亡, 在籍出向, 出向元復帰等), 2 3以外の離職, 3 事業主都合 (§4.8).
        {"loss_cause", "喪失原因", FieldKind::kCode, true, false, 0, 0, 0, {"1", "2", "3"}},
        {"separation_slip", "離職票交付希望", FieldKind::kCode, true, false, 0, 0, 0, {"1", "2"}},
        {"replacement_planned", "補充採用予定の有無", FieldKind::kFlag},
        {"address_after", "離職後の住所", FieldKind::kKanji, false, true, 0, 0, 100},
        {"remarks", "備考", FieldKind::kKanji, false, false, 0, 0, 100},
    };
    AppendAll(p.person_fields, WeeklyHours());
    p.rules = {rules::KoyoSoshitsu};
    p.max_persons = 1;
    return p;
}

}  // namespace todoke::forms::detail
