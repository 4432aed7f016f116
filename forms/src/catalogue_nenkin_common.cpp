#include "catalogue_nenkin_common.hpp"

namespace todoke::forms::detail {

// 年金機構 都道府県コード (forms-and-data.md §3.2; not JIS X 0401).
static const std::vector<std::string_view> kNenkinPrefectures{
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "21", "31", "32", "33",
    "34", "35", "36", "37", "38", "39", "41", "42", "51", "52", "53", "54", "55", "56", "57", "58",
    "59", "60", "61", "71", "72", "73", "74", "75", "76", "77", "78", "79", "80", "81", "82"};

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

// Items 1.. of every 年金機構 data row: 様式コード, the 事業所整理記号 (都道府県コード, 郡市区符号,
// 事業所記号), the 事業所番号 (取得届 and 喪失届 only), 被保険者整理番号, 氏名カナ, 氏名漢字,
// 生年月日.
std::vector<CsvColumn> HeadColumns(std::string_view form_code, bool with_office_number) {
    std::vector<CsvColumn> columns{
        {"様式コード", CsvFormat::kFixed, "", "", form_code},
        {"都道府県コード", CsvFormat::kText, "employer.nenkin.prefecture_code"},
        {"郡市区符号", CsvFormat::kText, "employer.nenkin.city_code"},
        {"事業所記号", CsvFormat::kHalfKana, "employer.nenkin.office_symbol"},
    };
    if (with_office_number) {
        columns.push_back({"事業所番号", CsvFormat::kText, "employer.nenkin.office_number"});
    }
    for (CsvColumn c : std::initializer_list<CsvColumn>{
             {"被保険者整理番号", CsvFormat::kText, "insured_number"},
             {"氏名カナ", CsvFormat::kHalfKana, "name_kana"},
             {"氏名漢字", CsvFormat::kText, "name"},
             {"生年月日 元号", CsvFormat::kEraCode, "birth_date"},
             {"生年月日", CsvFormat::kYymmdd, "birth_date"},
         }) {
        columns.push_back(c);
    }
    return columns;
}

void Append(std::vector<CsvColumn>& columns, std::initializer_list<CsvColumn> more) {
    columns.insert(columns.end(), more);
}

void Append(std::vector<FieldSpec>& fields, std::initializer_list<FieldSpec> more) {
    fields.insert(fields.end(), more);
}

}  // namespace todoke::forms::detail
