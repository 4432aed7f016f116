#include "todoke/forms/chars.hpp"

#include <iconv.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <map>

namespace todoke::forms {
namespace {

// iconv_t is not thread-safe and opening one costs microseconds, so each thread keeps one
// (Encoder() below).
class Cp932Encoder {
  public:
    Cp932Encoder() : cd_(iconv_open("CP932", "UTF-8")) {}
    ~Cp932Encoder() {
        if (ok()) {
            iconv_close(cd_);
        }
    }
    Cp932Encoder(const Cp932Encoder&) = delete;
    Cp932Encoder& operator=(const Cp932Encoder&) = delete;

    bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }

    // The CP932 bytes of one UTF-8 character, or empty when CP932 has none.
    std::string Encode(std::string_view utf8_char) {
        iconv(cd_, nullptr, nullptr, nullptr, nullptr);  // reset shift state
        char* in = const_cast<char*>(utf8_char.data());
        std::size_t in_left = utf8_char.size();
        std::array<char, 8> out{};
        char* dst = out.data();
        std::size_t out_left = out.size();
        if (iconv(cd_, &in, &in_left, &dst, &out_left) == static_cast<std::size_t>(-1) ||
            in_left != 0) {
            return {};
        }
        return std::string(out.data(), out.size() - out_left);
    }

  private:
    iconv_t cd_;
};

Cp932Encoder& Encoder() {
    thread_local Cp932Encoder encoder;
    return encoder;
}

bool IsJisX0208Row(unsigned code) {
    return (code >= 0x8140 && code <= 0x84BE) || (code >= 0x889F && code <= 0x9FFC) ||
           (code >= 0xE040 && code <= 0xEAA4);
}

// The usual replacements offices use for characters outside JIS X 0208 (forms-and-data.md §7.7:
// substitute, and attach a note with the real character where it matters).
const std::map<char32_t, std::string>& Substitutes() {
    static const std::map<char32_t, std::string> table{
        {U'髙', "高"},     {U'﨑', "崎"},     {U'德', "徳"},     {U'栁', "柳"},
        {U'桒', "桑"},     {U'𠮷', "吉"},     {U'鷗', "鴎"},     {U'\uFA10', "塚"},
        {U'\uF9DC', "隆"}, {U'\uFA19', "神"}, {U'㈱', "（株）"}, {U'㈲', "（有）"},
        {U'㈹', "（代）"}, {U'㍻', "平成"},   {U'㍼', "昭和"},   {U'㍽', "大正"},
        {U'㍾', "明治"},   {U'㋿', "令和"},  {U'①', "１"},      {U'②', "２"},
        {U'③', "３"},      {U'④', "４"},      {U'⑤', "５"},      {U'⑥', "６"},
        {U'⑦', "７"},      {U'⑧', "８"},      {U'⑨', "９"},      {U'⑩', "１０"},
        {U'Ⅰ', "Ｉ"},      {U'Ⅱ', "ＩＩ"},    {U'Ⅲ', "ＩＩＩ"},  {U'Ⅳ', "ＩＶ"},
        {U'Ⅴ', "Ｖ"},      {U'№', "Ｎｏ．"},  {U'℡', "ＴＥＬ"},  {U'㎡', "平方メートル"},
    };
    return table;
}

void AppendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// One UTF-8 character; an invalid byte becomes its own "character" with U+FFFD.
struct Utf8Char {
    std::string_view bytes;
    char32_t code_point;
};

// The character at `i`, advancing `i` past it.
Utf8Char NextUtf8(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
        return {s.substr(i++, 1), c};
    }
    const std::size_t n = (c & 0xE0) == 0xC0   ? 2
                          : (c & 0xF0) == 0xE0 ? 3
                          : (c & 0xF8) == 0xF0 ? 4
                                               : 0;
    char32_t cp = n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    bool valid = n != 0 && i + n <= s.size();
    for (std::size_t k = 1; valid && k < n; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) {
            valid = false;
        }
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (valid && ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
                  (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))) {
        valid = false;
    }
    if (!valid) {
        return {s.substr(i++, 1), 0xFFFD};
    }
    const Utf8Char out{s.substr(i, n), cp};
    i += n;
    return out;
}

// The CP932 form of each BMP code point, asked of iconv once per code point and process and
// kept: an entry is 0 (not asked yet), kNoForm, 0x100 | b for the single byte b, or the two
// bytes (lead << 8 | trail; leads are 0x81 and above, so never below 0x8100). Entries are
// atomics: threads that ask at once store the same answer.
class Cp932Table {
  public:
    static constexpr std::uint16_t kNoForm = 0xFFFF;

    std::uint16_t Lookup(char32_t cp) {
        if (cp < 0x80) {
            return static_cast<std::uint16_t>(0x100 | cp);
        }
        if (cp > 0xFFFF) {
            return kNoForm;  // CP932 has no character outside the BMP
        }
        std::uint16_t entry = entries_[cp].load(std::memory_order_relaxed);
        if (entry == 0) {
            entry = Ask(cp);
            entries_[cp].store(entry, std::memory_order_relaxed);
        }
        return entry;
    }

    // Appends the bytes of a found entry.
    static void Append(std::string& out, std::uint16_t entry) {
        if (entry < 0x200) {
            out.push_back(static_cast<char>(entry & 0xFF));
        } else {
            out.push_back(static_cast<char>(entry >> 8));
            out.push_back(static_cast<char>(entry & 0xFF));
        }
    }

  private:
    static std::uint16_t Ask(char32_t cp) {
        Cp932Encoder& encoder = Encoder();
        if (!encoder.ok()) {
            return kNoForm;
        }
        std::string utf8;
        AppendUtf8(utf8, cp);
        const std::string sjis = encoder.Encode(utf8);
        if (sjis.size() == 1) {
            return static_cast<std::uint16_t>(0x100 | static_cast<unsigned char>(sjis[0]));
        }
        if (sjis.size() == 2) {
            return static_cast<std::uint16_t>((static_cast<unsigned char>(sjis[0]) << 8) |
                                              static_cast<unsigned char>(sjis[1]));
        }
        return kNoForm;
    }

    std::array<std::atomic<std::uint16_t>, 0x10000> entries_{};
};

Cp932Table& Table() {
    static Cp932Table table;
    return table;
}

// Whether one CP932 entry is allowed where JIS X 0208/0201 is asked for.
bool JisAllowed(std::uint16_t entry, HalfWidthKana kana) {
    if (entry == Cp932Table::kNoForm) {
        return false;
    }
    if (entry < 0x200) {
        const unsigned b = entry & 0xFF;
        return (b >= 0x20 && b <= 0x7E) ||
               (b >= 0xA1 && b <= 0xDF && kana == HalfWidthKana::kAllowed);
    }
    return IsJisX0208Row(entry);
}

std::string Hex(char32_t cp) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (int shift = cp > 0xFFFF ? 16 : 12; shift >= 0; shift -= 4) {
        out.push_back(kDigits[(cp >> shift) & 0xF]);
    }
    return out;
}

// Full-width katakana U+30A1 (ァ) .. U+30F6 (ヶ) to half-width, "" where none exists.
// Voiced (゛) and semi-voiced (゜) forms are the base letter plus ﾞ / ﾟ.
const std::array<std::string_view, 0x56>& KatakanaTable() {
    static const std::array<std::string_view, 0x56> table{
        "ｧ",  "ｱ",  "ｨ",  "ｲ",  "ｩ",  "ｳ",  "ｪ",  "ｴ", "ｫ",  "ｵ",  "ｶ",  "ｶﾞ", "ｷ",  "ｷﾞ", "ｸ",
        "ｸﾞ", "ｹ",  "ｹﾞ", "ｺ",  "ｺﾞ", "ｻ",  "ｻﾞ", "ｼ", "ｼﾞ", "ｽ",  "ｽﾞ", "ｾ",  "ｾﾞ", "ｿ",  "ｿﾞ",
        "ﾀ",  "ﾀﾞ", "ﾁ",  "ﾁﾞ", "ｯ",  "ﾂ",  "ﾂﾞ", "ﾃ", "ﾃﾞ", "ﾄ",  "ﾄﾞ", "ﾅ",  "ﾆ",  "ﾇ",  "ﾈ",
        "ﾉ",  "ﾊ",  "ﾊﾞ", "ﾊﾟ", "ﾋ",  "ﾋﾞ", "ﾋﾟ", "ﾌ", "ﾌﾞ", "ﾌﾟ", "ﾍ",  "ﾍﾞ", "ﾍﾟ", "ﾎ",  "ﾎﾞ",
        "ﾎﾟ", "ﾏ",  "ﾐ",  "ﾑ",  "ﾒ",  "ﾓ",  "ｬ",  "ﾔ", "ｭ",  "ﾕ",  "ｮ",  "ﾖ",  "ﾗ",  "ﾘ",  "ﾙ",
        "ﾚ",  "ﾛ",  "ﾜ",  "ﾜ",  "ｲ",  "ｴ",  "ｦ",  "ﾝ", "ｳﾞ", "ｶ",  "ｹ",
    };
    return table;
}

}  // namespace

Result<std::string> ToHalfWidthKana(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    std::size_t position = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        const Utf8Char ch = NextUtf8(utf8, i);
        ++position;
        char32_t c = ch.code_point;
        if (c >= U'ぁ' && c <= U'ゖ') {
            c += U'ァ' - U'ぁ';  // hiragana -> katakana
        }
        if (c >= U'ァ' && c <= U'ヶ') {
            out += KatakanaTable()[c - U'ァ'];
        } else if (c == U'ー') {
            out += "ｰ";
        } else if (c == U'゛' || c == U'\u3099') {
            out += "ﾞ";
        } else if (c == U'゜' || c == U'\u309A') {
            out += "ﾟ";
        } else if (c == U'・') {
            out += "･";
        } else if (c == U'\u3000') {
            out += ' ';
        } else if (c >= 0xFF01 && c <= 0xFF5E) {
            AppendUtf8(out, c - 0xFF01 + 0x21);  // full-width ASCII
        } else if (c == U'−' || c == U'‐' || c == U'―') {
            out += '-';
        } else if (c < 0x7F && c >= 0x20) {
            out += static_cast<char>(c);
        } else if (IsHalfWidthKatakana(c)) {
            out += ch.bytes;
        } else {
            return Fail(ErrorCode::kInvalidArgument,
                        "character " + std::to_string(position) + " '" + std::string(ch.bytes) +
                            "' has no half-width kana form",
                        "chars.kana");
        }
    }
    return out;
}

std::vector<char32_t> CodePoints(std::string_view utf8) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < utf8.size();) {
        out.push_back(NextUtf8(utf8, i).code_point);
    }
    return out;
}

bool IsFullWidthKatakana(char32_t c) {
    return (c >= U'ァ' && c <= U'ヶ') || c == U'ー' || c == U'ヴ' || c == U'\u3000';
}

bool IsHalfWidthKatakana(char32_t c) { return c >= 0xFF61 && c <= 0xFF9F; }

std::vector<CharProblem> FindNonJisCharacters(std::string_view utf8, HalfWidthKana kana) {
    std::vector<CharProblem> problems;
    Cp932Table& table = Table();
    std::size_t position = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        const Utf8Char ch = NextUtf8(utf8, i);
        ++position;
        if (ch.code_point != 0xFFFD && JisAllowed(table.Lookup(ch.code_point), kana)) {
            continue;
        }
        CharProblem p;
        p.position = position;
        p.character = std::string(ch.bytes);
        p.code_point = ch.code_point;
        if (auto it = Substitutes().find(ch.code_point); it != Substitutes().end()) {
            p.substitute = it->second;
        }
        problems.push_back(std::move(p));
    }
    return problems;
}

std::optional<Violation> CheckJisCharacters(std::string_view utf8, HalfWidthKana kana) {
    const auto problems = FindNonJisCharacters(utf8, kana);
    if (problems.empty()) {
        return std::nullopt;
    }
    Violation v;
    v.rule = "chars.jis_x0208";
    std::string hints;
    for (const auto& p : problems) {
        if (!v.message.empty()) {
            v.message += "; ";
        }
        const bool half_kana = IsHalfWidthKatakana(p.code_point);
        const bool control = p.code_point < 0x20 || p.code_point == 0x7F;
        v.message += "character " + std::to_string(p.position) + " ";
        if (p.code_point == 0xFFFD) {
            v.message += "is not valid UTF-8";
        } else if (control) {
            v.message += "is a control character (U+" + Hex(p.code_point) + ")";
        } else {
            v.message += "'" + p.character + "' (U+" + Hex(p.code_point) + ") " +
                         (half_kana ? "is half-width katakana, not allowed here"
                                    : "is not in JIS X 0208/0201");
        }
        if (!p.substitute.empty()) {
            if (!hints.empty()) {
                hints += ", ";
            }
            hints += "'" + p.character + "' -> '" + p.substitute + "'";
        }
    }
    if (!hints.empty()) {
        v.hint = "usual substitutes: " + hints +
                 " (attach a note with the exact character where it matters)";
    } else {
        v.hint = "use characters of JIS X 0208 levels 1-2 (e-Gov: 指定可能な文字)";
    }
    return v;
}

Result<void> AppendShiftJis(std::string& out, std::string_view utf8) {
    Cp932Table& table = Table();
    std::size_t position = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        if (static_cast<unsigned char>(utf8[i]) < 0x80) {
            // ASCII is itself in CP932: copy the run at once (a CSV row is mostly digits
            // and commas).
            std::size_t end = i + 1;
            while (end < utf8.size() && static_cast<unsigned char>(utf8[end]) < 0x80) {
                ++end;
            }
            out.append(utf8, i, end - i);
            position += end - i;
            i = end;
            continue;
        }
        ++position;
        const Utf8Char ch = NextUtf8(utf8, i);
        const std::uint16_t entry =
            ch.code_point == 0xFFFD ? Cp932Table::kNoForm : table.Lookup(ch.code_point);
        if (entry == Cp932Table::kNoForm) {
            return Fail(ErrorCode::kInvalidArgument,
                        "character " + std::to_string(position) + " has no Shift_JIS form",
                        "chars.shift_jis");
        }
        Cp932Table::Append(out, entry);
    }
    return Ok();
}

Result<std::string> ToShiftJis(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());  // CP932 is never longer than UTF-8
    TODOKE_RETURN_IF_ERROR(AppendShiftJis(out, utf8));
    return out;
}

std::size_t ShiftJisLength(std::string_view utf8) {
    // CP932 writes ASCII and half-width katakana in one byte and every other character it has
    // in two; characters it lacks are counted as two as well.
    std::size_t n = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        const char32_t c = NextUtf8(utf8, i).code_point;
        n += c < 0x80 || IsHalfWidthKatakana(c) ? 1 : 2;
    }
    return n;
}

}  // namespace todoke::forms
