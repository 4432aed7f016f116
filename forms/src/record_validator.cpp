#include "todoke/forms/record_validator.hpp"

#include <boost/json.hpp>

#include "todoke/forms/chars.hpp"
#include "todoke/forms/identifiers.hpp"

namespace todoke::forms {
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

Hits CheckField(const FieldSpec& f, const std::string& value) {
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
            if (!IsAsciiDigits(value) || value.size() > 12 || std::stoll(value) > f.max_amount) {
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
            const auto d = shape ? ParseIsoDate(value + "-01")
                                 : Result<Date>(Fail(ErrorCode::kInvalidArgument, "", ""));
            if (!d) {
                Add(hits, "date.year_month", "must be a year and month, YYYY-MM");
            } else if (auto w = ToWareki(*d); !w) {
                Add(hits, w.error().field, w.error().message);
            }
            break;
        }
        case FieldKind::kEmail:
            if (value.find('@') == std::string::npos || value.find(' ') != std::string::npos) {
                Add(hits, "email.format", "is not an e-mail address");
            }
            break;
    }
    return hits;
}

void CheckFields(const Record& record, const boost::json::object& scope,
                 const std::vector<FieldSpec>& fields, const std::string& prefix,
                 std::vector<FieldError>& out) {
    for (const auto& f : fields) {
        const auto value = GetText(scope, f.path);
        const std::string field = prefix + std::string(f.path);
        auto make = [&](const Violation& v) {
            FieldError e;
            e.record = record.index;
            e.source = record.source;
            e.record_id = record.id();
            e.field = field;
            e.label = std::string(f.label);
            e.rule = v.rule;
            e.message = v.message;
            e.hint = v.hint;
            if (value) {
                e.value = f.personal ? MaskPersonal(*value) : *value;
            }
            return e;
        };
        if (!value || value->empty()) {
            if (HasPath(scope, f.path) && !value) {
                out.push_back(
                    make({"value.type", "must be text, a whole number or true/false", ""}));
            } else if (f.required) {
                out.push_back(make({"required", "is required", ""}));
            }
            continue;
        }
        for (const auto& v : CheckField(f, *value)) {
            out.push_back(make(v));
        }
    }
}

}  // namespace

std::vector<FieldError> ValidateRecord(const Record& record, const Catalogue& catalogue,
                                       Date today) {
    std::vector<FieldError> out;
    auto record_error = [&](std::string field, std::string rule, std::string message,
                            std::string hint = {}) {
        FieldError e;
        e.record = record.index;
        e.source = record.source;
        e.record_id = record.id();
        e.field = std::move(field);
        e.rule = std::move(rule);
        e.message = std::move(message);
        e.hint = std::move(hint);
        out.push_back(std::move(e));
    };
    const std::string procedure_id = record.procedure();
    const Procedure* procedure = catalogue.Find(procedure_id);
    if (procedure == nullptr) {
        std::string known;
        for (const auto& p : catalogue.procedures()) {
            known += (known.empty() ? "" : ", ") + std::string(p.id);
        }
        record_error("procedure", procedure_id.empty() ? "required" : "procedure.unknown",
                     procedure_id.empty() ? "is required" : "is not in the catalogue",
                     "known procedures: " + known);
        return out;
    }
    CheckFields(record, record.data, procedure->employer_fields, "", out);
    const auto persons = record.data.find("persons");
    if (persons == record.data.end() || !persons->value().is_array() ||
        persons->value().as_array().size() < static_cast<std::size_t>(procedure->min_persons)) {
        record_error("persons", "persons.missing", "at least one person is required");
        return out;
    }
    const auto& list = persons->value().as_array();
    if (procedure->max_persons > 0 &&
        list.size() > static_cast<std::size_t>(procedure->max_persons)) {
        record_error("persons", "persons.too_many",
                     "this procedure takes " + std::to_string(procedure->max_persons) +
                         " person(s) per record",
                     "make one record per person");
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string prefix = "persons[" + std::to_string(i) + "].";
        if (!list[i].is_object()) {
            record_error(prefix.substr(0, prefix.size() - 1), "value.type", "must be an object");
            continue;
        }
        const auto& person = list[i].as_object();
        const std::size_t first_new = out.size();
        CheckFields(record, person, procedure->person_fields, prefix, out);
        std::vector<RuleHit> hits;
        const PersonRef ref{record, person, i};
        for (const auto rule : procedure->rules) {
            rule(ref, today, hits);
        }
        for (auto& h : hits) {
            if (h.field.rfind("record.", 0) == 0) {
                h.field.erase(0, 7);  // a record-level field such as applies_from
                if (i > 0) {
                    continue;
                }
                FieldError e;
                e.record = record.index;
                e.source = record.source;
                e.record_id = record.id();
                e.field = h.field;
                e.rule = h.violation.rule;
                e.message = h.violation.message;
                e.hint = h.violation.hint;
                e.value = GetText(record.data, h.field).value_or("");
                out.push_back(std::move(e));
                continue;
            }
            const bool record_level = h.field.rfind("employer.", 0) == 0 ||
                                      h.field.rfind("submitter.", 0) == 0 ||
                                      h.field.rfind("record.", 0) == 0;
            std::string label;
            bool personal = false;
            for (const auto& f :
                 record_level ? procedure->employer_fields : procedure->person_fields) {
                if (f.path == h.field) {
                    label = std::string(f.label);
                    personal = f.personal;
                }
            }
            FieldError e;
            e.record = record.index;
            e.source = record.source;
            e.record_id = record.id();
            e.field = record_level ? h.field : prefix + h.field;
            e.label = label;
            e.rule = h.violation.rule;
            e.message = h.violation.message;
            e.hint = h.violation.hint;
            if (auto v = GetText(record_level ? record.data : person, h.field)) {
                e.value = personal ? MaskPersonal(*v) : *v;
            }
            out.push_back(std::move(e));
        }
        if (i < record.person_lines.size()) {
            for (std::size_t k = first_new; k < out.size(); ++k) {
                if (out[k].field.rfind(prefix, 0) == 0) {
                    out[k].line = record.person_lines[i];
                }
            }
        }
    }
    return out;
}

std::string FormatError(const FieldError& e) {
    std::string out = "record " + std::to_string(e.record) + " (" + e.source;
    if (e.line > 0) {
        out += ":" + std::to_string(e.line);
    }
    if (!e.record_id.empty()) {
        out += ", id " + e.record_id;
    }
    out += ") " + e.field;
    if (!e.label.empty()) {
        out += " " + e.label;
    }
    out += " [" + e.rule + "]: " + e.message;
    if (!e.value.empty()) {
        out += " (value \"" + e.value + "\")";
    }
    if (!e.hint.empty()) {
        out += "; " + e.hint;
    }
    return out;
}

std::string FormatErrorJson(const FieldError& e) {
    boost::json::object o{
        {"record", e.record}, {"source", e.source}, {"line", e.line}, {"record_id", e.record_id},
        {"field", e.field},   {"label", e.label},   {"rule", e.rule}, {"message", e.message},
        {"value", e.value},   {"hint", e.hint}};
    return boost::json::serialize(o);
}

}  // namespace todoke::forms
