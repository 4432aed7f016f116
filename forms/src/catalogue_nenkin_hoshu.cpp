// 日本年金機構 procedure tables: the remuneration procedures (報酬月額算定基礎届, 賞与支払届).
// Sources: forms-and-data.md §4.3, §4.5.
#include <deque>
#include <string>
#include <tuple>

#include "catalogue_nenkin_common.hpp"
#include "catalogue_tables.hpp"
#include "correlation_rules.hpp"

namespace todoke::forms::detail {

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
    p.csv_columns = HeadColumns("2225700", /*with_office_number=*/false);
    Append(p.csv_columns,
           {
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
           });
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
    p.csv_columns = HeadColumns("2265700", /*with_office_number=*/false);
    Append(p.csv_columns,
           {
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
           });
    p.rules = {rules::Shoyo, rules::NenkinCityCode};
    return p;
}

}  // namespace todoke::forms::detail
