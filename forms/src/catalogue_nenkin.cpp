// 日本年金機構 procedure tables. Sources: forms-and-data.md §3–4 and §6 (item orders and rules
// from the 年金機構 自動チェック tables as transcribed there).
#include <deque>
#include <string>
#include <tuple>

#include "catalogue_tables.hpp"
#include "correlation_rules.hpp"

namespace todoke::forms::detail {
namespace {

// 年金機構 都道府県コード (forms-and-data.md §3.2; not JIS X 0401).
const std::vector<std::string_view> kNenkinPrefectures{
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "21", "31", "32", "33",
    "34", "35", "36", "37", "38", "39", "41", "42", "51", "52", "53", "54", "55", "56", "57", "58",
    "59", "60", "61", "71", "72", "73", "74", "75", "76", "77", "78", "79", "80", "81", "82"};

// The employer (事業所) of every 年金機構 CSV procedure.
std::vector<FieldSpec> NenkinEmployer() {
    return {
        {"employer.name", "事業所名称", FieldKind::kKanji, true, false, 0, 25},
        {"employer.owner_name", "事業主氏名", FieldKind::kNameKanji, true, false, 0, 12},
        {"employer.postal_code", "事業所郵便番号", FieldKind::kPostalCode, true},
        {"employer.address", "事業所所在地", FieldKind::kKanji, true, false, 0, 37},
        {"employer.phone", "事業所電話番号", FieldKind::kPhone, true},
        {"employer.corporate_number", "法人番号", FieldKind::kCorporateNumber},
        {"employer.nenkin.prefecture_code", "都道府県コード", FieldKind::kCode, true, false, 0, 0,
         0, kNenkinPrefectures},
        {"employer.nenkin.city_code", "郡市区符号", FieldKind::kDigits, true, false, 2, 2},
        {"employer.nenkin.office_symbol", "事業所記号", FieldKind::kOfficeSymbol, true},
        {"employer.nenkin.office_number", "事業所番号", FieldKind::kDigits, true, false, 1, 5},
    };
}

}  // namespace

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
    p.csv_columns = {
        {"様式コード", CsvFormat::kFixed, "", "", "2200700"},
        {"都道府県コード", CsvFormat::kText, "employer.nenkin.prefecture_code"},
        {"郡市区符号", CsvFormat::kText, "employer.nenkin.city_code"},
        {"事業所記号", CsvFormat::kHalfKana, "employer.nenkin.office_symbol"},
        {"事業所番号", CsvFormat::kText, "employer.nenkin.office_number"},
        {"被保険者整理番号", CsvFormat::kText, "insured_number"},
        {"氏名カナ", CsvFormat::kHalfKana, "name_kana"},
        {"氏名漢字", CsvFormat::kText, "name"},
        {"生年月日 元号", CsvFormat::kEraCode, "birth_date"},
        {"生年月日", CsvFormat::kYymmdd, "birth_date"},
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
    };
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
    p.csv_columns = {
        {"様式コード", CsvFormat::kFixed, "", "", "2201700"},
        {"都道府県コード", CsvFormat::kText, "employer.nenkin.prefecture_code"},
        {"郡市区符号", CsvFormat::kText, "employer.nenkin.city_code"},
        {"事業所記号", CsvFormat::kHalfKana, "employer.nenkin.office_symbol"},
        {"事業所番号", CsvFormat::kText, "employer.nenkin.office_number"},
        {"被保険者整理番号", CsvFormat::kText, "insured_number"},
        {"氏名カナ", CsvFormat::kHalfKana, "name_kana"},
        {"氏名漢字", CsvFormat::kText, "name"},
        {"生年月日 元号", CsvFormat::kEraCode, "birth_date"},
        {"生年月日", CsvFormat::kYymmdd, "birth_date"},
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
    };
    p.rules = {rules::SoshitsuIdentity, rules::SoshitsuDates, rules::NenkinCityCode};
    return p;
}

Procedure KenpoSantei() {
    Procedure p;
    p.id = "kenpo_santei";
    p.name = "健康保険・厚生年金保険 被保険者報酬月額算定基礎届";
    p.channel = Channel::kNenkinCsv;
    p.proc_id = "4950000020415000";  // §2.2 (2016 list); the CSV添付方式, 個別ファイル署名形式
    p.form_id = "495000020415029955";
    p.form_version = "0001";
    p.confirmed = false;  // recorded in an old list only
    p.csv_form_code = "2225700";
    p.employer_fields = NenkinEmployer();
    p.employer_fields.push_back({"applies_from", "適用年月", FieldKind::kYearMonth, true});
    FieldSpec days{"", "", FieldKind::kDigits, true, false, 1, 2, 0, {}, 0, true};
    FieldSpec yen{"", "", FieldKind::kAmount, true, true, 0, 0, 0, {}, 999'999'999};
    p.person_fields = {
        {"insured_number", "被保険者整理番号", FieldKind::kDigits, true, false, 1, 6},
        {"name", "氏名", FieldKind::kNameKanji, true, true, 0, 0, 25},
        {"name_kana", "氏名カナ", FieldKind::kNameKana, true, true, 0, 0, 25},
        {"birth_date", "生年月日", FieldKind::kDate, true, true},
        {"previous_standard_health",
         "従前の標準報酬月額 健保 (千円)",
         FieldKind::kAmount,
         true,
         true,
         0,
         0,
         0,
         {},
         9999},
        {"previous_standard_pension",
         "従前の標準報酬月額 厚年 (千円)",
         FieldKind::kAmount,
         true,
         true,
         0,
         0,
         0,
         {},
         9999},
        {"previous_revision", "従前の改定月", FieldKind::kYearMonth, true},
        {"raise_month", "昇(降)給月", FieldKind::kDigits, false, false, 1, 2},
        {"raise_kind", "昇(降)給区分", FieldKind::kCode, false, false, 0, 0, 0, {"1", "2"}},
        {"retro_month", "遡及支払月", FieldKind::kCode, false, false, 0, 0, 0, {"04", "05", "06"}},
        {"retro_amount", "遡及支払額", FieldKind::kAmount, false, true, 0, 0, 0, {}, 999'999'999},
        {"my_number", "個人番号 (70歳以上被用者)", FieldKind::kMyNumber, false, true},
        {"kiso_nenkin_number", "基礎年金番号", FieldKind::kKisoNenkin, false, true},
        {"corrected_average",
         "修正平均額",
         FieldKind::kAmount,
         false,
         true,
         0,
         0,
         0,
         {},
         999'999'999},
        {"over70", "70歳以上被用者", FieldKind::kFlag},
        {"over70_base_months", "70歳算定基礎月", FieldKind::kDigits, false, false, 2, 4},
        {"multiple_offices", "二以上勤務", FieldKind::kFlag},
        {"expected_revision", "月額変更予定", FieldKind::kFlag},
        {"joined_midway", "途中入社", FieldKind::kFlag},
        {"on_leave", "病休・育休・休職等", FieldKind::kFlag},
        {"short_time", "短時間労働者", FieldKind::kFlag},
        {"part_time", "パート", FieldKind::kFlag},
        {"annual_average", "年間平均", FieldKind::kFlag},
        {"remarks", "備考欄", FieldKind::kKanji, false, false, 0, 0, 75},
        {"over70_only", "70歳以上被用者届のみ提出", FieldKind::kFlag},
    };
    for (const char* month : {"april", "may", "june"}) {
        // The catalogue lives for the process; a deque keeps the viewed strings in place.
        static std::deque<std::string> names;
        const std::string m(month);
        const std::string ja = m == "april" ? "4月" : m == "may" ? "5月" : "6月";
        for (const auto& [suffix, label, spec] :
             {std::tuple{"_days", "支払基礎日数", days}, std::tuple{"_currency", "報酬 通貨", yen},
              std::tuple{"_in_kind", "報酬 現物", yen}}) {
            names.push_back(m + suffix);
            names.push_back(ja + " " + label);
            FieldSpec f = spec;
            f.path = names[names.size() - 2];
            f.label = names.back();
            f.required = std::string(suffix) != "_in_kind";
            p.person_fields.push_back(f);
        }
    }
    // The 53 items of 様式コード 2225700 (§4.3). Items 43–51 are 備考欄項目 1–8 with item 44 the
    // 70歳算定基礎月; their order here follows the paper form (unconfirmed).
    p.csv_columns = {
        {"様式コード", CsvFormat::kFixed, "", "", "2225700"},
        {"都道府県コード", CsvFormat::kText, "employer.nenkin.prefecture_code"},
        {"郡市区符号", CsvFormat::kText, "employer.nenkin.city_code"},
        {"事業所記号", CsvFormat::kHalfKana, "employer.nenkin.office_symbol"},
        {"被保険者整理番号", CsvFormat::kText, "insured_number"},
        {"氏名カナ", CsvFormat::kHalfKana, "name_kana"},
        {"氏名漢字", CsvFormat::kText, "name"},
        {"生年月日 元号", CsvFormat::kEraCode, "birth_date"},
        {"生年月日", CsvFormat::kYymmdd, "birth_date"},
        {"適用年月 元号", CsvFormat::kYmEraCode, "record.applies_from"},
        {"適用年", CsvFormat::kYmEraYear, "record.applies_from"},
        {"適用月", CsvFormat::kYmMonth, "record.applies_from"},
        {"従前 健保", CsvFormat::kThousand4, "previous_standard_health"},
        {"従前 厚年", CsvFormat::kThousand4, "previous_standard_pension"},
        {"従前改定月 元号", CsvFormat::kYmEraCode, "previous_revision"},
        {"従前改定月 年", CsvFormat::kYmEraYear, "previous_revision"},
        {"従前改定月 月", CsvFormat::kYmMonth, "previous_revision"},
        {"昇(降)給月", CsvFormat::kPad2, "raise_month"},
        {"昇(降)給区分", CsvFormat::kText, "raise_kind"},
        {"遡及支払月", CsvFormat::kText, "retro_month"},
        {"遡及支払額", CsvFormat::kAmount7, "retro_amount"},
        {"給与支給月 4月", CsvFormat::kFixed, "", "", "04"},
        {"給与支給月 5月", CsvFormat::kFixed, "", "", "05"},
        {"給与支給月 6月", CsvFormat::kFixed, "", "", "06"},
        {"基礎日数 4月", CsvFormat::kPad2, "april_days"},
        {"基礎日数 5月", CsvFormat::kPad2, "may_days"},
        {"基礎日数 6月", CsvFormat::kPad2, "june_days"},
        {"通貨 4月", CsvFormat::kAmount7, "april_currency"},
        {"通貨 5月", CsvFormat::kAmount7, "may_currency"},
        {"通貨 6月", CsvFormat::kAmount7, "june_currency"},
        {"現物 4月", CsvFormat::kAmount7, "april_in_kind"},
        {"現物 5月", CsvFormat::kAmount7, "may_in_kind"},
        {"現物 6月", CsvFormat::kAmount7, "june_in_kind"},
        {"合計 4月", CsvFormat::kSumAmount7, "april_currency", "april_in_kind"},
        {"合計 5月", CsvFormat::kSumAmount7, "may_currency", "may_in_kind"},
        {"合計 6月", CsvFormat::kSumAmount7, "june_currency", "june_in_kind"},
        {"総計", CsvFormat::kSanteiTotal},
        {"平均額", CsvFormat::kSanteiAverage},
        {"修正平均額", CsvFormat::kAmount7, "corrected_average"},
        {"個人番号", CsvFormat::kText, "my_number"},
        {"基礎年金番号 課所符号", CsvFormat::kKisoOffice, "kiso_nenkin_number"},
        {"基礎年金番号 一連番号", CsvFormat::kKisoSerial, "kiso_nenkin_number"},
        {"備考1 70歳以上被用者", CsvFormat::kFlag1, "over70"},
        {"70歳算定基礎月", CsvFormat::kText, "over70_base_months"},
        {"備考2 二以上勤務", CsvFormat::kFlag1, "multiple_offices"},
        {"備考3 月額変更予定", CsvFormat::kFlag1, "expected_revision"},
        {"備考4 途中入社", CsvFormat::kFlag1, "joined_midway"},
        {"備考5 病休・育休・休職等", CsvFormat::kFlag1, "on_leave"},
        {"備考6 短時間労働者", CsvFormat::kFlag1, "short_time"},
        {"備考7 パート", CsvFormat::kFlag1, "part_time"},
        {"備考8 年間平均", CsvFormat::kFlag1, "annual_average"},
        {"備考欄", CsvFormat::kText, "remarks"},
        {"70歳以上被用者届のみ提出", CsvFormat::kFlag1, "over70_only"},
    };
    p.rules = {rules::Santei, rules::NenkinCityCode};
    return p;
}

Procedure KenpoShoyo() {
    Procedure p;
    p.id = "kenpo_shoyo";
    p.name = "健康保険・厚生年金保険 被保険者賞与支払届";
    p.channel = Channel::kNenkinCsv;
    p.proc_id = "4950000020417000";  // unknown in the domain notes (§2.2): configure
    p.form_id = "495000020415029955";
    p.form_version = "0001";
    p.confirmed = false;
    p.csv_form_code = "2265700";
    p.employer_fields = NenkinEmployer();
    p.person_fields = {
        {"insured_number", "被保険者整理番号", FieldKind::kDigits, true, false, 1, 6},
        {"name", "氏名", FieldKind::kNameKanji, true, true, 0, 0, 25},
        {"name_kana", "氏名カナ", FieldKind::kNameKana, true, true, 0, 0, 25},
        {"birth_date", "生年月日", FieldKind::kDate, true, true},
        {"paid_on", "賞与支払年月日", FieldKind::kDate, true},
        {"bonus_currency",
         "賞与額(通貨)",
         FieldKind::kAmount,
         true,
         true,
         0,
         0,
         0,
         {},
         999'999'999},
        {"bonus_in_kind",
         "賞与額(現物)",
         FieldKind::kAmount,
         false,
         true,
         0,
         0,
         0,
         {},
         999'999'999},
        {"my_number", "個人番号", FieldKind::kMyNumber, false, true},
        {"kiso_nenkin_number", "基礎年金番号", FieldKind::kKisoNenkin, false, true},
        {"over70", "70歳以上被用者", FieldKind::kFlag},
        {"multiple_offices", "二以上勤務", FieldKind::kFlag},
        {"first_paid_day", "同一月内の賞与合算 初回支払日", FieldKind::kDigits, false, false, 1, 2},
        {"over70_only", "70歳以上被用者届のみ提出", FieldKind::kFlag},
    };
    // The 21 items of 様式コード 2265700 in order (§4.5).
    p.csv_columns = {
        {"様式コード", CsvFormat::kFixed, "", "", "2265700"},
        {"都道府県コード", CsvFormat::kText, "employer.nenkin.prefecture_code"},
        {"郡市区符号", CsvFormat::kText, "employer.nenkin.city_code"},
        {"事業所記号", CsvFormat::kHalfKana, "employer.nenkin.office_symbol"},
        {"被保険者整理番号", CsvFormat::kText, "insured_number"},
        {"氏名カナ", CsvFormat::kHalfKana, "name_kana"},
        {"氏名漢字", CsvFormat::kText, "name"},
        {"生年月日 元号", CsvFormat::kEraCode, "birth_date"},
        {"生年月日", CsvFormat::kYymmdd, "birth_date"},
        {"賞与支払年月日 元号", CsvFormat::kEraCode, "paid_on"},
        {"賞与支払年月日", CsvFormat::kYymmdd, "paid_on"},
        {"賞与額 通貨", CsvFormat::kAmount7, "bonus_currency"},
        {"賞与額 現物", CsvFormat::kAmount7, "bonus_in_kind"},
        {"賞与額 合計", CsvFormat::kBonusTotal, "bonus_currency", "bonus_in_kind"},
        {"個人番号", CsvFormat::kText, "my_number"},
        {"基礎年金番号 課所符号", CsvFormat::kKisoOffice, "kiso_nenkin_number"},
        {"基礎年金番号 一連番号", CsvFormat::kKisoSerial, "kiso_nenkin_number"},
        {"70歳以上被用者", CsvFormat::kFlag1, "over70"},
        {"二以上勤務", CsvFormat::kFlag1, "multiple_offices"},
        {"同一月内の賞与合算 初回支払日", CsvFormat::kPad2, "first_paid_day"},
        {"70歳以上被用者届のみ提出", CsvFormat::kFlag1, "over70_only"},
    };
    p.rules = {rules::Shoyo, rules::NenkinCityCode};
    return p;
}

}  // namespace todoke::forms::detail
