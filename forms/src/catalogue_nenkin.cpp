// 日本年金機構 procedure tables: the qualification procedures (資格取得届, 資格喪失届). Sources:
// forms-and-data.md §3–4 and §6 (item orders and rules from the 年金機構 自動チェック tables as
// transcribed there).
#include "catalogue_nenkin_common.hpp"
#include "catalogue_tables.hpp"
#include "correlation_rules.hpp"

namespace todoke::forms::detail {

Procedure KenpoShutoku() {
    Procedure p;
    p.id = "kenpo_shutoku";
    p.name = "健康保険・厚生年金保険 被保険者資格取得届";
    p.channel = Channel::kNenkinCsv;
    // The domain notes know no 16-digit proc_id for this CSV procedure (§2.2: pattern
    // 49500000204xx000, unconfirmed) and no 総括票 form for it: configure before going live.
    p.proc_id = "4950000020400000";
    p.form_id = "495000020415029955";  // the CSV形式届書総括票 of 算定 (§2.2), assumed shared
    p.form_version = "0001";
    p.form_name = kSoukatsuhyoName;
    p.confirmed = false;
    p.csv_form_code = "2200700";
    p.employer_fields = NenkinEmployer();
    p.person_fields = {
        {"name", "氏名", FieldKind::kNameKanji, true, true, 0, 0, 25},
        {"name_kana", "氏名カナ", FieldKind::kNameKana, true, true, 0, 0, 25},
        {"birth_date", "生年月日", FieldKind::kDate, true, true},
        {"kind", "種別", FieldKind::kCode, true, false, 0, 0, 0, {"1", "2", "3", "5", "6", "7"}},
        {"acquisition_type",
         "取得区分",
         FieldKind::kCode,
         true,
         false,
         0,
         0,
         0,
         {"1", "3", "4", "6", "7"}},
        {"insured_number", "被保険者整理番号", FieldKind::kDigits, false, false, 1, 6},
        {"my_number", "個人番号", FieldKind::kMyNumber, false, true},
        {"no_address_reason",
         "住民票住所を記載できない理由",
         FieldKind::kCode,
         false,
         false,
         0,
         0,
         0,
         {"1", "2", "3"}},
        {"kiso_nenkin_number", "基礎年金番号", FieldKind::kKisoNenkin, false, true},
        {"acquired_on", "資格取得年月日", FieldKind::kDate, true},
        {"has_dependents", "被扶養者の有無", FieldKind::kFlag, true},
        {"pay_currency",
         "報酬月額(通貨)",
         FieldKind::kAmount,
         true,
         true,
         0,
         0,
         0,
         {},
         999'999'999},
        {"pay_in_kind",
         "報酬月額(現物)",
         FieldKind::kAmount,
         false,
         true,
         0,
         0,
         0,
         {},
         999'999'999},
        {"over70", "70歳以上被用者該当", FieldKind::kFlag},
        {"multiple_offices", "二以上事業所勤務者", FieldKind::kFlag},
        {"short_time", "短時間労働者", FieldKind::kFlag},
        {"rehired", "退職後の継続再雇用者", FieldKind::kFlag},
        {"remarks", "備考", FieldKind::kKanji, false, false, 0, 0, 75},
        {"postal_code", "郵便番号", FieldKind::kPostalCode, false, true},
        {"address_kana", "住所カナ", FieldKind::kAddressKana, false, true, 0, 0, 75},
        {"address", "住所", FieldKind::kKanji, false, true, 0, 0, 74},
        {"certificate_requested", "資格確認書発行要否", FieldKind::kFlag},
    };
    // The 34 items of 様式コード 2200700 in order (§4.1).
    p.csv_columns = HeadColumns("2200700", /*with_office_number=*/true);
    Append(p.csv_columns,
           {
               {"種別", CsvFormat::kText, "kind"},
               {"取得区分", CsvFormat::kText, "acquisition_type"},
               {"個人番号", CsvFormat::kText, "my_number"},
               {"住民票住所を記載できない理由", CsvFormat::kText, "no_address_reason"},
               {"個人番号情報(備考欄)", CsvFormat::kFixed, "", "", ""},
               {"基礎年金番号 課所符号", CsvFormat::kKisoOffice, "kiso_nenkin_number"},
               {"基礎年金番号 一連番号", CsvFormat::kKisoSerial, "kiso_nenkin_number"},
               {"資格取得年月日 元号", CsvFormat::kEraCode, "acquired_on"},
               {"資格取得年月日", CsvFormat::kYymmdd, "acquired_on"},
               {"被扶養者の有無", CsvFormat::kBool01, "has_dependents"},
               {"報酬月額 通貨", CsvFormat::kAmount7, "pay_currency"},
               {"報酬月額 現物", CsvFormat::kAmount7, "pay_in_kind"},
               {"報酬月額 合計", CsvFormat::kSumAmount7, "pay_currency", "pay_in_kind"},
               {"備考1 70歳以上被用者該当", CsvFormat::kFlag1, "over70"},
               {"備考2 二以上事業所勤務者", CsvFormat::kFlag1, "multiple_offices"},
               {"備考3 短時間労働者", CsvFormat::kFlag1, "short_time"},
               {"備考4 退職後の継続再雇用者", CsvFormat::kFlag1, "rehired"},
               {"備考欄", CsvFormat::kText, "remarks"},
               {"郵便番号 親番号", CsvFormat::kPostalHead, "postal_code"},
               {"郵便番号 子番号", CsvFormat::kPostalTail, "postal_code"},
               {"住所カナ", CsvFormat::kHalfKana, "address_kana"},
               {"住所漢字", CsvFormat::kText, "address"},
               {"70歳以上被用者届のみ提出", CsvFormat::kFixed, "", "", ""},
               {"資格確認書発行要否", CsvFormat::kFlag1, "certificate_requested"},
           });
    p.rules = {rules::ShutokuMyNumberOrAddress, rules::ShutokuDates, rules::ShutokuPayTotal,
               rules::NenkinCityCode};
    return p;
}

Procedure KenpoSoshitsu() {
    Procedure p;
    p.id = "kenpo_soshitsu";
    p.name = "健康保険・厚生年金保険 被保険者資格喪失届";
    p.channel = Channel::kNenkinCsv;
    p.proc_id = "4950000020401000";  // unknown in the domain notes (§2.2): configure
    p.form_id = "495000020415029955";
    p.form_version = "0001";
    p.form_name = kSoukatsuhyoName;
    p.confirmed = false;
    p.csv_form_code = "2201700";
    p.employer_fields = NenkinEmployer();
    p.person_fields = {
        {"name", "氏名", FieldKind::kNameKanji, true, true, 0, 0, 25},
        {"name_kana", "氏名カナ", FieldKind::kNameKana, true, true, 0, 0, 25},
        {"birth_date", "生年月日", FieldKind::kDate, true, true},
        {"insured_number", "被保険者整理番号", FieldKind::kDigits, false, false, 1, 6},
        {"my_number", "個人番号", FieldKind::kMyNumber, false, true},
        {"kiso_nenkin_number", "基礎年金番号", FieldKind::kKisoNenkin, false, true},
        {"lost_on", "資格喪失年月日", FieldKind::kDate, true},
        {"loss_reason",
         "喪失(不該当)原因",
         FieldKind::kCode,
         true,
         false,
         0,
         0,
         0,
         {"4", "5", "7", "9", "11"}},
        {"retired_on", "退職日/死亡日", FieldKind::kDate},
        {"multiple_offices", "備考1 二以上事業所勤務者の喪失", FieldKind::kFlag},
        {"rehired", "備考2 退職後の継続再雇用者の喪失", FieldKind::kFlag},
        {"remarks", "備考欄", FieldKind::kKanji, false, false, 0, 0, 75},
        {"certificates_collected",
         "資格確認書回収 (添付)",
         FieldKind::kDigits,
         false,
         false,
         1,
         2,
         0,
         {},
         0,
         true},
        {"certificates_unreturnable",
         "資格確認書回収 (返不能)",
         FieldKind::kDigits,
         false,
         false,
         1,
         2,
         0,
         {},
         0,
         true},
        {"over70_ineligible", "70歳不該当", FieldKind::kFlag},
        {"ineligible_on", "不該当年月日", FieldKind::kDate},
        {"over70_only", "70歳以上被用者届のみ提出", FieldKind::kFlag},
    };
    // The 27 items of 様式コード 2201700 in order (§4.2). The meanings of 備考1/備考2 are
    // taken from the paper form (unconfirmed).
    p.csv_columns = HeadColumns("2201700", /*with_office_number=*/true);
    Append(p.csv_columns,
           {
               {"個人番号", CsvFormat::kText, "my_number"},
               {"基礎年金番号 課所符号", CsvFormat::kKisoOffice, "kiso_nenkin_number"},
               {"基礎年金番号 一連番号", CsvFormat::kKisoSerial, "kiso_nenkin_number"},
               {"資格喪失年月日 元号", CsvFormat::kEraCode, "lost_on"},
               {"資格喪失年月日", CsvFormat::kYymmdd, "lost_on"},
               {"喪失(不該当)原因", CsvFormat::kText, "loss_reason"},
               {"退職日/死亡日 元号", CsvFormat::kEraCode, "retired_on"},
               {"退職日/死亡日", CsvFormat::kYymmdd, "retired_on"},
               {"備考1", CsvFormat::kFlag1, "multiple_offices"},
               {"備考2", CsvFormat::kFlag1, "rehired"},
               {"備考欄", CsvFormat::kText, "remarks"},
               {"資格確認書回収 添付", CsvFormat::kText, "certificates_collected"},
               {"資格確認書回収 返不能", CsvFormat::kText, "certificates_unreturnable"},
               {"70歳不該当", CsvFormat::kFlag1, "over70_ineligible"},
               {"不該当年月日 元号", CsvFormat::kEraCode, "ineligible_on"},
               {"不該当年月日", CsvFormat::kYymmdd, "ineligible_on"},
               {"70歳以上被用者届のみ提出", CsvFormat::kFlag1, "over70_only"},
           });
    p.rules = {rules::SoshitsuIdentity, rules::SoshitsuDates, rules::NenkinCityCode};
    return p;
}

}  // namespace todoke::forms::detail
