#include "todoke/forms/identifiers.hpp"

#include <algorithm>
#include <string>

namespace todoke::forms {
namespace {

bool AllZero(std::string_view s) { return s.find_first_not_of('0') == std::string_view::npos; }

Violation Make(std::string rule, std::string message, std::string hint = {}) {
    return {std::move(rule), std::move(message), std::move(hint)};
}

}  // namespace

std::optional<Violation> CheckMyNumber(std::string_view v) {
    if (v.size() != 12 || !IsAsciiDigits(v)) {
        return Make("my_number.format", "個人番号 must be exactly 12 half-width digits",
                    "no hyphens or spaces; full-width digits are not accepted");
    }
    static constexpr int kWeights[11] = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    int sum = 0;
    for (int i = 0; i < 11; ++i) {
        sum += (v[static_cast<std::size_t>(i)] - '0') * kWeights[i];
    }
    const int r = sum % 11;
    const int check = r <= 1 ? 0 : 11 - r;
    if (v[11] - '0' != check) {
        return Make(
            "my_number.check_digit", "個人番号 check digit does not match",
            "a digit was probably mistyped; compare with the 通知カード or マイナンバーカード");
    }
    return std::nullopt;
}

std::optional<Violation> CheckCorporateNumber(std::string_view v) {
    if (v.size() != 13 || !IsAsciiDigits(v)) {
        return Make("corporate_number.format", "法人番号 must be exactly 13 half-width digits");
    }
    int sum = 0;
    for (std::size_t n = 1; n <= 12; ++n) {  // n-th digit of the base from the right
        const int digit = v[13 - n] - '0';
        sum += digit * (n % 2 == 1 ? 1 : 2);
    }
    const int check = 9 - sum % 9;
    if (v[0] - '0' != check) {
        return Make("corporate_number.check_digit",
                    "法人番号 check digit (the first digit) does not match",
                    "look the number up at the 国税庁法人番号公表サイト");
    }
    return std::nullopt;
}

std::optional<Violation> CheckKisoNenkinNumber(std::string_view office, std::string_view serial) {
    if (office.empty() && serial.empty()) {
        return std::nullopt;
    }
    if (office.empty() || serial.empty()) {
        return Make("kiso_nenkin.partial",
                    "基礎年金番号 needs both parts: 課所符号 (4 digits) and 一連番号 (6 digits)");
    }
    if (office.size() != 4 || !IsAsciiDigits(office) || AllZero(office)) {
        return Make("kiso_nenkin.format", "基礎年金番号 課所符号 must be 4 digits, not 0000");
    }
    if (serial.size() != 6 || !IsAsciiDigits(serial) || AllZero(serial)) {
        return Make("kiso_nenkin.format", "基礎年金番号 一連番号 must be 6 digits, not 000000");
    }
    return std::nullopt;
}

std::optional<Violation> CheckKoyoHokenNumber(std::string_view four, std::string_view six,
                                              std::string_view check_digit) {
    if (four.size() != 4 || six.size() != 6 || check_digit.size() != 1 || !IsAsciiDigits(four) ||
        !IsAsciiDigits(six) || !IsAsciiDigits(check_digit)) {
        return Make("koyo_hoken_number.format", "a 雇用保険 number has the shape 4-6-1 digits",
                    "numbers issued before 1981-07-06 (16 digits): use the lower 10 digits + 0");
    }
    return std::nullopt;
}

std::optional<Violation> CheckRodoHokenNumber(std::string_view v) {
    if (v.size() != 14 || !IsAsciiDigits(v)) {
        return Make("rodo_hoken_number.format",
                    "a 労働保険番号 is 14 half-width digits (府県 2, 所掌 1, 管轄 2, 基幹番号 6, "
                    "枝番号 3)",
                    "write it without hyphens, e.g. 13101123456000");
    }
    const int prefecture = (v[0] - '0') * 10 + (v[1] - '0');
    if (prefecture < 1 || prefecture > 47) {
        return Make("rodo_hoken_number.prefecture", "the first two digits (府県) must be 01–47",
                    "");
    }
    if (v[2] != '1' && v[2] != '3') {
        return Make("rodo_hoken_number.shosho",
                    "the third digit (所掌) must be 1 (労働基準監督署) or 3 (公共職業安定所)", "");
    }
    return std::nullopt;
}

std::optional<Violation> CheckPostalCode(std::string_view v) {
    if (v.size() != 7 || !IsAsciiDigits(v)) {
        return Make("postal_code.format", "郵便番号 must be 7 half-width digits without hyphen",
                    "e.g. 1000014; full-width digits fail e-Gov's check");
    }
    return std::nullopt;
}

std::optional<Violation> CheckPhoneNumber(std::string_view v) {
    std::size_t parts[3] = {0, 0, 0};
    int part = 0;
    for (char c : v) {
        if (c == '-') {
            if (++part > 2) {
                break;
            }
            continue;
        }
        if (c < '0' || c > '9') {
            part = 3;
            break;
        }
        ++parts[part];
    }
    const bool ok = part == 2 && parts[0] >= 2 && parts[0] <= 5 && parts[1] >= 1 && parts[1] <= 4 &&
                    parts[2] >= 4 && parts[2] <= 5;
    if (!ok) {
        return Make("phone.format",
                    "電話番号 must be half-width digits in three hyphen-separated parts",
                    "e.g. 03-1234-5678");
    }
    return std::nullopt;
}

std::array<std::string, 3> SplitHyphenated(std::string_view value) {
    std::array<std::string, 3> parts;
    std::size_t i = 0;
    for (char c : value) {
        if (c == '-') {
            if (++i == parts.size()) {
                break;
            }
        } else {
            parts[i] += c;
        }
    }
    return parts;
}

bool IsAsciiDigits(std::string_view value) {
    return !value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos;
}

std::optional<long long> ParseWholeNumber(std::string_view value, std::size_t max_digits) {
    if (value.empty() || value.size() > std::min<std::size_t>(max_digits, 18)) {
        return std::nullopt;
    }
    long long n = 0;
    for (char c : value) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        n = n * 10 + (c - '0');
    }
    return n;
}

std::string MaskPersonal(std::string_view value) {
    // Count characters, not bytes, so that a name stays valid UTF-8.
    std::size_t chars = 0;
    for (char c : value) {
        chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    const std::size_t hidden = chars > 4 ? chars - 4 : 0;
    std::string out(hidden, '*');
    std::size_t seen = 0;
    for (char c : value) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++seen;
        }
        if (seen > hidden) {
            out += c;
        }
    }
    return out;
}

}  // namespace todoke::forms
