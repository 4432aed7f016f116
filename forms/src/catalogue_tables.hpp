// The procedure tables of the catalogue, one function per procedure (catalogue_*.cpp).
#pragma once

#include <iterator>
#include <vector>

#include "todoke/forms/catalogue.hpp"

namespace todoke::forms::detail {

// Moves `more` onto the end of `to` (fields or CSV columns made by a shared helper).
template <typename T>
void AppendAll(std::vector<T>& to, std::vector<T> more) {
    to.insert(to.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

// Short forms of the FieldSpecs the tables repeat.
// A personal amount in yen (or 千円 with max 9999).
inline FieldSpec Amount(std::string_view path, std::string_view label, bool required,
                        long long max = 999'999'999) {
    return {path, label, FieldKind::kAmount, required, true, 0, 0, 0, {}, max};
}
// Half-width digits, min..max of them; `zero_is_value`: "0" is a value, not a blank.
inline FieldSpec Digits(std::string_view path, std::string_view label, bool required, int min,
                        int max, bool zero_is_value = false) {
    return {path, label, FieldKind::kDigits, required, false, min, max, 0, {}, 0, zero_is_value};
}
inline FieldSpec Code(std::string_view path, std::string_view label, bool required,
                      std::vector<std::string_view> codes) {
    return {path, label, FieldKind::kCode, required, false, 0, 0, 0, std::move(codes)};
}

// The 提出先 and the contact (the submitter) of a form-XML procedure: kousei.xml's 提出先情報 and
// 連絡先.
std::vector<FieldSpec> FormContactFields();  // catalogue_koyo.cpp

// 日本年金機構 (健康保険・厚生年金保険) procedures, CSV添付方式: catalogue_nenkin.cpp.
Procedure KenpoShutoku();
Procedure KenpoSoshitsu();
Procedure KenpoSantei();
Procedure KenpoShoyo();
Procedure KenpoGetsuhen();
// 雇用保険 procedures, e-Gov form XML: catalogue_koyo.cpp.
Procedure KoyoShutoku();
Procedure KoyoSoshitsu();
// 労働保険 procedures, e-Gov form XML: catalogue_rodo.cpp.
Procedure RodoNendoKoshin();

}  // namespace todoke::forms::detail
