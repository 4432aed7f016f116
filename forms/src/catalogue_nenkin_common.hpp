// Pieces shared by the 日本年金機構 procedure tables (catalogue_nenkin*.cpp).
#pragma once

#include <initializer_list>
#include <string_view>
#include <vector>

#include "todoke/forms/catalogue.hpp"

namespace todoke::forms::detail {

// 申請書様式名称 of the 総括票 form of every CSV添付方式 procedure (forms-and-data.md §2.2).
inline constexpr std::string_view kSoukatsuhyoName = "健康保険厚生年金保険CSV形式届書総括票";

// The employer (事業所) of every 年金機構 CSV procedure.
std::vector<FieldSpec> NenkinEmployer();
// Items 1.. of every 年金機構 data row: 様式コード, the 事業所整理記号 (都道府県コード, 郡市区符号,
// 事業所記号), the 事業所番号 (取得届 and 喪失届 only), 被保険者整理番号, 氏名カナ, 氏名漢字,
// 生年月日.
std::vector<CsvColumn> HeadColumns(std::string_view form_code, bool with_office_number);
void Append(std::vector<CsvColumn>& columns, std::initializer_list<CsvColumn> more);
void Append(std::vector<FieldSpec>& fields, std::initializer_list<FieldSpec> more);

}  // namespace todoke::forms::detail
