// The rule of each field kind, applied to one value (see catalogue.hpp FieldKind).
#include "field_rules.hpp"

#include "todoke/forms/chars.hpp"
#include "todoke/forms/identifiers.hpp"
#include "todoke/forms/nendo_koshin.hpp"
#include "todoke/forms/wareki.hpp"

namespace todoke::forms::detail {
namespace {

using Hits = std::vector<Violation>;

std::size_t CharCount(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) {
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    return n;
}

void Add(Hits& hits, std::string rule, std::string message, std::string hint = {}) {
    hits.push_back({std::move(rule), std::move(message), std::move(hint)});
}

void CheckLengths(const FieldSpec& f, std::string_view value, std::size_t sjis_bytes, Hits& hits) {
    if (f.max_length > 0 && CharCount(value) > static_cast<std::size_t>(f.max_length)) {
        Add(hits, "length.characters",
            "has " + std::to_string(CharCount(value)) + " characters; at most " +
                std::to_string(f.max_length) + " are allowed");
    }
    if (f.max_sjis_bytes > 0 && sjis_bytes > static_cast<std::size_t>(f.max_sjis_bytes)) {
        Add(hits, "length.sjis_bytes",
            "is " + std::to_string(sjis_bytes) + " bytes in Shift_JIS; at most " +
                std::to_string(f.max_sjis_bytes) + " are allowed (full-width characters count 2)");
    }
}

// Names: one separator between family and given name, none doubled, none at the ends.
void CheckNameSeparator(std::string_view value, char32_t separator, Hits& hits) {
    const auto cps = CodePoints(value);
    int separators = 0;
    bool bad_space = false;
    for (std::size_t i = 0; i < cps.size(); ++i) {
        const char32_t c = cps[i];
        if (c == separator) {
            ++separators;
            if (i == 0 || i + 1 == cps.size() || cps[i - 1] == separator) {
                bad_space = true;
            }
        } else if (c == U' ' || c == U'\u3000') {
            bad_space = true;
        }
    }
    if (bad_space || separators != 1) {
        Add(hits, "name.separator",
            separator == U'\u3000'
                ? "must have exactly one full-width space (U+3000) between family and given name"
                : "must have exactly one half-width space between family and given name",
            "e.g. 佐藤　花子 / サトウ　ハナコ");
    }
}

}  // namespace

std::vector<Violation> CheckField(const FieldSpec& f, std::string_view value) {
    Hits hits;
    switch (f.kind) {
        case FieldKind::kKanji:
        case FieldKind::kNameKanji: {
            if (auto v = CheckJisCharacters(value, HalfWidthKana::kForbidden)) {
                hits.push_back(*v);
            }
            if (f.kind == FieldKind::kNameKanji) {
                CheckNameSeparator(value, U'\u3000', hits);
            }
            if (f.kind == FieldKind::kKanji && value.find(' ') != std::string::npos &&
                (f.path == "address" || f.path == "employer.address")) {
                Add(hits, "address.half_width_space", "must not contain half-width spaces");
            }
            CheckLengths(f, value, ShiftJisLength(value), hits);
            break;
        }
        case FieldKind::kNameKana:
        case FieldKind::kAddressKana: {
            for (char32_t c : CodePoints(value)) {
                const bool ok = IsFullWidthKatakana(c) ||
                                (f.kind == FieldKind::kAddressKana &&
                                 ((c >= U'０' && c <= U'９') || c == U'－' || c == U'−' ||
                                  (c >= U'0' && c <= U'9') || c == U'-'));
                if (!ok) {
                    Add(hits, "kana.full_width",
                        IsHalfWidthKatakana(c)
                            ? "must be written in full-width katakana (half-width kana found)"
                            : "must be written in full-width katakana only",
                        "todoke converts to half-width where a target needs it");
                    break;
                }
            }
            if (f.kind == FieldKind::kNameKana) {
                CheckNameSeparator(value, U'\u3000', hits);
            }
            auto half = ToHalfWidthKana(value);
            CheckLengths(f, value, half ? half->size() : value.size(), hits);
            break;
        }
        case FieldKind::kOfficeSymbol: {
            const auto cps = CodePoints(value);
            bool alnum = !cps.empty(), kana = !cps.empty();
            for (char32_t c : cps) {
                alnum = alnum && ((c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z'));
                kana = kana && (IsFullWidthKatakana(c) || IsHalfWidthKatakana(c)) && c != U'\u3000';
            }
            if ((!alnum && !kana) || cps.size() > 4 ||
                value.find_first_not_of('0') == std::string::npos) {
                Add(hits, "nenkin.office_symbol",
                    "事業所記号 is 1–4 upper-case alphanumerics or 1–4 katakana, not all zero",
                    "e.g. アイウ (printed 01-アイウ)");
            }
            break;
        }
        case FieldKind::kDigits:
            if (!IsAsciiDigits(value) || value.size() < static_cast<std::size_t>(f.min_length) ||
                (f.max_length > 0 && value.size() > static_cast<std::size_t>(f.max_length))) {
                Add(hits, "digits.format",
                    "must be " + std::to_string(f.min_length) +
                        (f.max_length != f.min_length ? "–" + std::to_string(f.max_length) : "") +
                        " half-width digits");
            } else if (!f.allow_zero && value.find_first_not_of('0') == std::string::npos) {
                Add(hits, "digits.all_zero", "must not be all zeros");
            }
            break;
        case FieldKind::kCode: {
            bool found = false;
            std::string list;
            for (auto c : f.codes) {
                found = found || value == c;
                if (list.size() < 80) {
                    list += (list.empty() ? "" : ", ") + std::string(c);
                }
            }
            if (!found) {
                Add(hits, "code.unknown", "is not one of the allowed codes", "allowed: " + list);
            }
            break;
        }
        case FieldKind::kDate:
            if (auto d = ParseIsoDate(value); !d) {
                Add(hits, d.error().field, d.error().message, "write dates as YYYY-MM-DD");
            } else if (auto w = ToWareki(*d); !w) {
                Add(hits, w.error().field, w.error().message);
            }
            break;
        case FieldKind::kAmount:
            if (const auto yen = ParseWholeNumber(value, 12); !yen || *yen > f.max_amount) {
                Add(hits, "amount.format", "must be a whole number of yen (digits only)",
                    "no commas or currency signs");
            }
            break;
        case FieldKind::kFlag:
            if (value != "0" && value != "1") {
                Add(hits, "flag.format", "must be true or false");
            }
            break;
        case FieldKind::kMyNumber:
            if (auto v = CheckMyNumber(value)) {
                hits.push_back(*v);
            }
            break;
        case FieldKind::kCorporateNumber:
            if (auto v = CheckCorporateNumber(value)) {
                hits.push_back(*v);
            }
            break;
        case FieldKind::kKisoNenkin: {
            const auto dash = value.find('-');
            if (dash == std::string::npos) {
                Add(hits, "kiso_nenkin.format", "基礎年金番号 is written 1234-567890");
            } else if (auto v =
                           CheckKisoNenkinNumber(value.substr(0, dash), value.substr(dash + 1))) {
                hits.push_back(*v);
            }
            break;
        }
        case FieldKind::kPostalCode:
            if (auto v = CheckPostalCode(value)) {
                hits.push_back(*v);
            }
            break;
        case FieldKind::kPhone:
            if (auto v = CheckPhoneNumber(value)) {
                hits.push_back(*v);
            }
            break;
        case FieldKind::kKoyoNumber: {
            const auto a = value.find('-');
            const auto b = a == std::string::npos ? a : value.find('-', a + 1);
            if (b == std::string::npos) {
                Add(hits, "koyo_hoken_number.format", "is written 1234-567890-1 (4-6-1 digits)");
            } else if (auto v =
                           CheckKoyoHokenNumber(value.substr(0, a), value.substr(a + 1, b - a - 1),
                                                value.substr(b + 1))) {
                hits.push_back(*v);
            }
            break;
        }
        case FieldKind::kAlnum: {
            bool ok = value.size() >= static_cast<std::size_t>(f.min_length) &&
                      (f.max_length == 0 || value.size() <= static_cast<std::size_t>(f.max_length));
            for (char c : value) {
                ok = ok &&
                     ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
            }
            if (!ok) {
                Add(hits, "alnum.format",
                    "must be " + std::to_string(f.min_length) + "–" + std::to_string(f.max_length) +
                        " half-width letters or digits");
            }
            break;
        }
        case FieldKind::kYearMonth: {
            const bool shape = value.size() == 7 && value[4] == '-';
            const auto d = shape ? ParseIsoDate(std::string(value) + "-01")
                                 : Result<Date>(Fail(ErrorCode::kInvalidArgument, "", ""));
            if (!d) {
                Add(hits, "date.year_month", "must be a year and month, YYYY-MM");
            } else if (auto w = ToWareki(*d); !w) {
                Add(hits, w.error().field, w.error().message);
            }
            break;
        }
        case FieldKind::kPerMille:
            if (!ParsePerMilleTenths(value)) {
                Add(hits, "rate.per_mille", "must be a rate in ‰ with at most one decimal",
                    "e.g. 3 or 15.5 (for 15.5/1000)");
            }
            break;
        case FieldKind::kRodoNumber:
            if (auto v = CheckRodoHokenNumber(value)) {
                hits.push_back(*v);
            }
            break;
        case FieldKind::kEmail:
            if (value.find('@') == std::string::npos || value.find(' ') != std::string::npos) {
                Add(hits, "email.format", "is not an e-mail address");
            }
            break;
    }
    return hits;
}

}  // namespace todoke::forms::detail
