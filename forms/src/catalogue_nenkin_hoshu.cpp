// 日本年金機構 procedure tables: the remuneration procedures (報酬月額算定基礎届, 賞与支払届).
// Sources: forms-and-data.md §4.3, §4.5.
#include <array>
#include <deque>
#include <string>
#include <tuple>
#include <utility>

#include "catalogue_nenkin_common.hpp"
#include "catalogue_tables.hpp"
#include "correlation_rules.hpp"
#include "todoke/forms/santei.hpp"

namespace todoke::forms::detail {
namespace {

// The catalogue lives for the process; a deque keeps the generated names in place for the
// string_views of the tables.
std::string_view Keep(std::string text) {
    static std::deque<std::string> kept;
    return kept.emplace_back(std::move(text));
}

// Items 5–9 of the 算定/月変/賞与 rows: 被保険者整理番号 (required), 氏名, 氏名カナ, 生年月日.
std::vector<FieldSpec> PersonHead() {
    return {
        {"insured_number", "被保険者整理番号", FieldKind::kDigits, true, false, 1, 6},
        {"name", "氏名", FieldKind::kNameKanji, true, true, 0, 0, 25},
        {"name_kana", "氏名カナ", FieldKind::kNameKana, true, true, 0, 0, 25},
        {"birth_date", "生年月日", FieldKind::kDate, true, true},
    };
}

// {prefix}_days, _currency (required) and _in_kind (optional) of three months.
void AppendMonthFields(
    std::vector<FieldSpec>& fields,
    std::initializer_list<std::pair<std::string_view, std::string_view>> months) {
    const FieldSpec days{"", "", FieldKind::kDigits, true, false, 1, 2, 0, {}, 0, true};
    const FieldSpec yen{"", "", FieldKind::kAmount, true, true, 0, 0, 0, {}, 999'999'999};
    for (const auto& [prefix, ja] : months) {
        for (const auto& [suffix, label, spec] :
             {std::tuple{"_days", "支払基礎日数", days}, std::tuple{"_currency", "報酬 通貨", yen},
              std::tuple{"_in_kind", "報酬 現物", yen}}) {
            FieldSpec f = spec;
            f.path = Keep(std::string(prefix) + suffix);
            f.label = Keep(std::string(ja) + " " + label);
            f.required = std::string_view(suffix) != "_in_kind";
            fields.push_back(f);
        }
    }
}

// 基礎日数 ×3, 通貨 ×3, 現物 ×3, 合計 ×3, 総計, 平均額 of the months named by `prefixes`
// ("april,may,june"): items 25–38 of 算定 and of 月変.
void AppendMonthColumns(std::vector<CsvColumn>& columns, std::string_view prefixes,
                        const std::array<std::string_view, 3>& month_labels) {
    std::vector<std::string> names;
    for (std::string_view rest = prefixes; !rest.empty();) {
        const auto comma = rest.find(',');
        names.emplace_back(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    for (const auto& [suffix, label] :
         {std::pair{"_days", "基礎日数"}, std::pair{"_currency", "通貨"},
          std::pair{"_in_kind", "現物"}}) {
        for (std::size_t i = 0; i < names.size(); ++i) {
            const CsvFormat format =
                std::string_view(suffix) == "_days" ? CsvFormat::kPad2 : CsvFormat::kAmount7;
            columns.push_back({Keep(std::string(label) + " " + std::string(month_labels[i])),
                               format, Keep(names[i] + suffix)});
        }
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        columns.push_back({Keep("合計 " + std::string(month_labels[i])), CsvFormat::kSumAmount7,
                           Keep(names[i] + "_currency"), Keep(names[i] + "_in_kind")});
    }
    columns.push_back({"総計", CsvFormat::kSanteiTotal, prefixes});
    columns.push_back({"平均額", CsvFormat::kSanteiAverage, prefixes});
}

// 従前の標準報酬月額 (千円), 従前の改定月, 昇(降)給月 and 区分, 遡及支払月 and 額: the same items
// in 算定 and 月変, except that 月変 requires the 昇(降)給 and takes any 遡及 month.
std::vector<FieldSpec> RevisionFields(bool raise_required, FieldSpec retro_month) {
    return {
        Amount("previous_standard_health", "従前の標準報酬月額 健保 (千円)", true, 9999),
        Amount("previous_standard_pension", "従前の標準報酬月額 厚年 (千円)", true, 9999),
        {"previous_revision", "従前の改定月", FieldKind::kYearMonth, true},
        Digits("raise_month", "昇(降)給月", raise_required, 1, 2),
        Code("raise_kind", "昇(降)給区分", raise_required, {"1", "2"}),
        std::move(retro_month),
        Amount("retro_amount", "遡及支払額", false),
    };
}

// Items 13–21 of 算定 and 月変, in that order; `retro_month` as the 遡及支払月 is written.
std::vector<CsvColumn> RevisionColumns(CsvFormat retro_month) {
    return {
        {"従前 健保", CsvFormat::kThousand4, "previous_standard_health"},
        {"従前 厚年", CsvFormat::kThousand4, "previous_standard_pension"},
        {"従前改定月 元号", CsvFormat::kYmEraCode, "previous_revision"},
        {"従前改定月 年", CsvFormat::kYmEraYear, "previous_revision"},
        {"従前改定月 月", CsvFormat::kYmMonth, "previous_revision"},
        {"昇(降)給月", CsvFormat::kPad2, "raise_month"},
        {"昇(降)給区分", CsvFormat::kText, "raise_kind"},
        {"遡及支払月", retro_month, "retro_month"},
        {"遡及支払額", CsvFormat::kAmount7, "retro_amount"},
    };
}

// 修正平均額, 個人番号 (70歳以上被用者) and 基礎年金番号: fields and items 39–42 of 算定 and 月変.
std::vector<FieldSpec> AverageAndIdentityFields() {
    return {
        Amount("corrected_average", "修正平均額", false),
        {"my_number", "個人番号 (70歳以上被用者)", FieldKind::kMyNumber, false, true},
        {"kiso_nenkin_number", "基礎年金番号", FieldKind::kKisoNenkin, false, true},
    };
}
std::vector<CsvColumn> AverageAndIdentityColumns() {
    return {
        {"修正平均額", CsvFormat::kAmount7, "corrected_average"},
        {"個人番号", CsvFormat::kText, "my_number"},
        {"基礎年金番号 課所符号", CsvFormat::kKisoOffice, "kiso_nenkin_number"},
        {"基礎年金番号 一連番号", CsvFormat::kKisoSerial, "kiso_nenkin_number"},
    };
}

}  // namespace

Procedure KenpoSantei() {
    Procedure p;
    p.id = "kenpo_santei";
    p.name = "健康保険・厚生年金保険 被保険者報酬月額算定基礎届";
    p.channel = Channel::kNenkinCsv;
    p.proc_id = "4950000020415000";  // §2.2 (2016 list); the CSV添付方式, 個別ファイル署名形式
    p.form_id = "495000020415029955";
    p.form_version = "0001";
    p.form_name = kSoukatsuhyoName;
    p.confirmed = false;  // recorded in an old list only
    p.csv_form_code = "2225700";
    p.employer_fields = NenkinEmployer();
    p.employer_fields.push_back({"applies_from", "適用年月", FieldKind::kYearMonth, true});
    p.person_fields = PersonHead();
    AppendAll(p.person_fields,
              RevisionFields(false, Code("retro_month", "遡及支払月", false, {"04", "05", "06"})));
    AppendAll(p.person_fields, AverageAndIdentityFields());
    Append(p.person_fields,
           {
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
           });
    AppendMonthFields(p.person_fields, {{"april", "4月"}, {"may", "5月"}, {"june", "6月"}});
    // The 53 items of 様式コード 2225700 (§4.3). Items 43–51 are 備考欄項目 1–8 with item 44 the
    // 70歳算定基礎月; their order here follows the paper form (unconfirmed).
    p.csv_columns = HeadColumns("2225700", /*with_office_number=*/false);
    Append(p.csv_columns, {
                              {"適用年月 元号", CsvFormat::kYmEraCode, "record.applies_from"},
                              {"適用年", CsvFormat::kYmEraYear, "record.applies_from"},
                              {"適用月", CsvFormat::kYmMonth, "record.applies_from"},
                          });
    AppendAll(p.csv_columns, RevisionColumns(CsvFormat::kText));
    Append(p.csv_columns, {
                              {"給与支給月 4月", CsvFormat::kFixed, "", "", "04"},
                              {"給与支給月 5月", CsvFormat::kFixed, "", "", "05"},
                              {"給与支給月 6月", CsvFormat::kFixed, "", "", "06"},
                          });
    AppendMonthColumns(p.csv_columns, kSanteiMonths, {"4月", "5月", "6月"});
    AppendAll(p.csv_columns, AverageAndIdentityColumns());
    Append(p.csv_columns, {
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
    p.form_name = kSoukatsuhyoName;
    p.confirmed = false;
    p.csv_form_code = "2265700";
    p.employer_fields = NenkinEmployer();
    p.person_fields = PersonHead();
    Append(p.person_fields,
           {
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
               {"first_paid_day", "同一月内の賞与合算 初回支払日", FieldKind::kDigits, false, false,
                1, 2},
               {"over70_only", "70歳以上被用者届のみ提出", FieldKind::kFlag},
           });
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

Procedure KenpoGetsuhen() {
    Procedure p;
    p.id = "kenpo_getsuhen";
    p.name = "健康保険・厚生年金保険 被保険者報酬月額変更届";
    p.channel = Channel::kNenkinCsv;
    p.proc_id = "4950000020416000";  // §2.2 (2016 list, ID only); 個別ファイル署名形式 there
    p.form_id = "495000020415029955";  // the 総括票 of 算定, assumed shared (§2.2 gives none)
    p.form_version = "0001";
    p.form_name = kSoukatsuhyoName;
    p.confirmed = false;
    p.csv_form_code = "2221700";
    p.employer_fields = NenkinEmployer();
    p.person_fields = PersonHead();
    Append(p.person_fields, {
                                {"revision_month", "改定年月", FieldKind::kYearMonth, true},
                                {"month1", "給与支給月 1か月目", FieldKind::kYearMonth, true},
                                {"month2", "給与支給月 2か月目", FieldKind::kYearMonth, true},
                                {"month3", "給与支給月 3か月目", FieldKind::kYearMonth, true},
                            });
    AppendAll(p.person_fields,
              RevisionFields(true, Digits("retro_month", "遡及支払月", false, 1, 2)));
    AppendAll(p.person_fields, AverageAndIdentityFields());
    Append(p.person_fields,
           {
               {"over70", "70歳以上被用者", FieldKind::kFlag},
               {"multiple_offices", "二以上勤務", FieldKind::kFlag},
               {"short_time", "短時間労働者", FieldKind::kFlag},
               {"raise_reason", "昇(降)給の理由", FieldKind::kKanji, false, false, 0, 0, 40},
               {"health_only", "健康保険のみ月額変更", FieldKind::kFlag},
               {"remarks", "備考欄", FieldKind::kKanji, false, false, 0, 0, 75},
               {"over70_only", "70歳以上被用者届のみ提出", FieldKind::kFlag},
           });
    AppendMonthFields(p.person_fields,
                      {{"month1", "1か月目"}, {"month2", "2か月目"}, {"month3", "3か月目"}});
    // The 49 items of 様式コード 2221700. Items 1–42 follow the 算定 layout with 改定年月 for
    // 適用年月 and the three paid months for 04/05/06 (§4.4: "same head as 算定"); the order of
    // the trailing 備考 items 43–49 is from the paper form (unconfirmed).
    p.csv_columns = HeadColumns("2221700", /*with_office_number=*/false);
    Append(p.csv_columns, {
                              {"改定年月 元号", CsvFormat::kYmEraCode, "revision_month"},
                              {"改定年", CsvFormat::kYmEraYear, "revision_month"},
                              {"改定月", CsvFormat::kYmMonth, "revision_month"},
                          });
    AppendAll(p.csv_columns, RevisionColumns(CsvFormat::kPad2));
    Append(p.csv_columns, {
                              {"給与支給月 1か月目", CsvFormat::kYmMonth, "month1"},
                              {"給与支給月 2か月目", CsvFormat::kYmMonth, "month2"},
                              {"給与支給月 3か月目", CsvFormat::kYmMonth, "month3"},
                          });
    AppendMonthColumns(p.csv_columns, kGetsuhenMonths, {"1か月目", "2か月目", "3か月目"});
    AppendAll(p.csv_columns, AverageAndIdentityColumns());
    Append(p.csv_columns, {
                              {"備考 70歳以上被用者", CsvFormat::kFlag1, "over70"},
                              {"備考 二以上勤務", CsvFormat::kFlag1, "multiple_offices"},
                              {"備考 短時間労働者", CsvFormat::kFlag1, "short_time"},
                              {"昇(降)給の理由", CsvFormat::kText, "raise_reason"},
                              {"健康保険のみ月額変更", CsvFormat::kFlag1, "health_only"},
                              {"備考欄", CsvFormat::kText, "remarks"},
                              {"70歳以上被用者届のみ提出", CsvFormat::kFlag1, "over70_only"},
                          });
    p.rules = {rules::Getsuhen, rules::NenkinCityCode};
    return p;
}

}  // namespace todoke::forms::detail
