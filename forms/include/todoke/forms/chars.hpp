// Character rules of the portals (forms-and-data.md §7.7–7.9).
//
// e-Gov values (kousei.xml and 申請書XML) and 日本年金機構 CSV fields accept only JIS X 0208
// levels 1–2 (two bytes in Shift_JIS) and JIS X 0201 (one byte). The check maps each character
// through CP932 and accepts only the JIS X 0208 rows (0x8140–0x84BE, 0x889F–0x9FFC,
// 0xE040–0xEAA4), printable ASCII, and half-width katakana (0xA1–0xDF) where the target allows
// it. NEC special characters (①, ㈱, ㍻, Ⅰ), IBM extensions (髙, 﨑) and characters CP932 lacks
// (鷗, 𠮷) are refused, naming the character, its position and the usual substitute.
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "todoke/common/result.hpp"
#include "todoke/forms/violation.hpp"

namespace todoke::forms {

enum class HalfWidthKana { kForbidden, kAllowed };

struct CharProblem {
    std::size_t position = 0;  // 1-based, in characters
    std::string character;     // UTF-8
    char32_t code_point = 0;
    std::string substitute;  // the usual JIS X 0208 replacement, or empty
};

// Every character that breaks the rule, in order. Invalid UTF-8 is reported once, at its
// position, with code_point 0xFFFD.
std::vector<CharProblem> FindNonJisCharacters(std::string_view utf8, HalfWidthKana kana);

// One Violation (rule "chars.jis_x0208") naming every offending character, e.g.
// "character 1 '髙' (U+9AD9) is not in JIS X 0208; use '高'", or nullopt when all are allowed.
std::optional<Violation> CheckJisCharacters(std::string_view utf8, HalfWidthKana kana);

// CP932 (Shift_JIS as Windows and the 年金機構 write it) bytes of the value.
Result<std::string> ToShiftJis(std::string_view utf8);
// ToShiftJis appending to `out` (which keeps what was converted before a failure).
Result<void> AppendShiftJis(std::string& out, std::string_view utf8);
// Length in Shift_JIS bytes (full-width 2, half-width 1); characters CP932 lacks count 2.
std::size_t ShiftJisLength(std::string_view utf8);

// Decodes UTF-8 into code points; invalid sequences become U+FFFD.
std::vector<char32_t> CodePoints(std::string_view utf8);

// Converts what a person types for a 年金機構 CSV kana field into its half-width form:
// full-width katakana (ガ -> ｶﾞ, voiced marks become their own character), hiragana, the long
// mark, full-width spaces, digits, letters and hyphen-like signs. Fails (field "chars.kana")
// naming the first character that has no half-width form (kanji, for instance).
Result<std::string> ToHalfWidthKana(std::string_view utf8);

bool IsFullWidthKatakana(char32_t c);  // ァ–ヶ, ー, ヴ, and the full-width space U+3000
bool IsHalfWidthKatakana(char32_t c);  // U+FF61–U+FF9F

}  // namespace todoke::forms
