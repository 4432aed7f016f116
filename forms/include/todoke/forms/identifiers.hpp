// Identifier rules, forms-and-data.md §7.1–7.5 and §3. Each check returns nullopt when the
// value is good, or the Violation (its message never repeats the value). Thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "todoke/forms/violation.hpp"

namespace todoke::forms {

// 個人番号: 12 digits, the last a check digit (weights 6 5 4 3 2 7 6 5 4 3 2, mod 11).
std::optional<Violation> CheckMyNumber(std::string_view value);
// 法人番号: 13 digits, the FIRST a check digit (9 - Σ mod 9 over the last 12, weights 1/2).
std::optional<Violation> CheckCorporateNumber(std::string_view value);
// 基礎年金番号: 課所符号 4 digits (not 0000) + 一連番号 6 digits (not 000000); both or neither.
std::optional<Violation> CheckKisoNenkinNumber(std::string_view office, std::string_view serial);
// 雇用保険 被保険者番号 / 事業所番号: 4-6-1 digits. The check digit's algorithm is not
// published, so only the shape is checked.
std::optional<Violation> CheckKoyoHokenNumber(std::string_view four, std::string_view six,
                                              std::string_view check_digit);
// 労働保険番号: 14 digits = 府県 2 (01–47) + 所掌 1 (1 労働基準監督署, 3 公共職業安定所) +
// 管轄 2 + 基幹番号 6 + 枝番号 3 (forms-and-data.md §4.9, a secondary source; the 所掌 codes
// are todoke's reading, unconfirmed). No check digit is known.
std::optional<Violation> CheckRodoHokenNumber(std::string_view value);
// 郵便番号: 7 half-width digits, no hyphen (kousei.xml form).
std::optional<Violation> CheckPostalCode(std::string_view value);
// 電話番号 for kousei.xml: half-width digits in 3 hyphen-separated parts (2–5, 1–4, 4–5 digits).
std::optional<Violation> CheckPhoneNumber(std::string_view value);

// "03-1234-5678" -> {"03", "1234", "5678"}; "1301-123456-7" likewise. Missing parts are empty,
// a fourth part is dropped.
std::array<std::string, 3> SplitHyphenated(std::string_view value);

// True for one or more half-width digits and nothing else.
bool IsAsciiDigits(std::string_view value);
// The value of 1 to `max_digits` (at most 18) half-width digits; nullopt for anything else,
// including the empty text, so that no caller overflows or throws.
std::optional<long long> ParseWholeNumber(std::string_view value, std::size_t max_digits = 18);

// Masks a personal value for an error message: all but the last 4 characters become '*'.
std::string MaskPersonal(std::string_view value);

}  // namespace todoke::forms
