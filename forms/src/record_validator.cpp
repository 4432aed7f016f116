#include "todoke/forms/record_validator.hpp"

#include <boost/json.hpp>

#include "field_rules.hpp"
#include "todoke/forms/chars.hpp"
#include "todoke/forms/identifiers.hpp"

namespace todoke::forms {
namespace {

// One error of a record: where, which rule, and the value (masked when personal).
FieldError ErrorAt(const Record& record, std::string field, std::string_view label,
                   const Violation& v, std::optional<std::string_view> value = std::nullopt,
                   bool personal = false) {
    FieldError e;
    e.record = record.index;
    e.source = record.source;
    e.record_id = record.id();
    e.field = std::move(field);
    e.label = std::string(label);
    e.rule = v.rule;
    e.message = v.message;
    e.hint = v.hint;
    if (value) {
        e.value = personal ? MaskPersonal(*value) : std::string(*value);
    }
    return e;
}

// A correlation rule's hit on a field of `scope` (the record or one person, whose fields are
// `fields`), labelled from that table.
FieldError HitError(const Record& record, const std::vector<FieldSpec>& fields,
                    const boost::json::object& scope, const std::string& prefix, const RuleHit& h) {
    std::string_view label;
    bool personal = false;
    for (const auto& f : fields) {
        if (f.path == h.field) {
            label = f.label;
            personal = f.personal;
        }
    }
    std::string scratch;
    return ErrorAt(record, prefix + h.field, label, h.violation,
                   GetTextView(scope, h.field, scratch), personal);
}

// The fields of a table, to find them in one object after another.
MemberIndex FieldIndex(const std::vector<FieldSpec>& fields) {
    std::vector<std::string_view> paths;
    paths.reserve(fields.size());
    for (const auto& f : fields) {
        paths.push_back(f.path);
    }
    return MemberIndex(std::move(paths));
}

void CheckFields(const Record& record, const boost::json::object& scope,
                 const std::vector<FieldSpec>& fields, MemberIndex& values,
                 const std::string& prefix, std::vector<FieldError>& out) {
    values.Load(scope);
    std::string scratch;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const FieldSpec& f = fields[i];
        const boost::json::value* found = values.Get(i);
        const auto value = found == nullptr ? std::nullopt : ValueText(*found, scratch);
        auto make = [&](const Violation& v) {
            return ErrorAt(record, prefix + std::string(f.path), f.label, v, value, f.personal);
        };
        if (!value || value->empty()) {
            if (found != nullptr && !found->is_null() && !value) {
                out.push_back(
                    make({"value.type", "must be text, a whole number or true/false", ""}));
            } else if (f.required) {
                out.push_back(make({"required", "is required", ""}));
            }
            continue;
        }
        for (const auto& v : detail::CheckField(f, *value)) {
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
        out.push_back(ErrorAt(record, std::move(field), "",
                              {std::move(rule), std::move(message), std::move(hint)}));
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
    MemberIndex employer_values = FieldIndex(procedure->employer_fields);
    CheckFields(record, record.data, procedure->employer_fields, employer_values, "", out);
    // A hit on a record path ("employer.phone", "declaration.installments"), labelled from the
    // record-level fields.
    auto record_hit = [&](const RuleHit& h) {
        out.push_back(HitError(record, procedure->employer_fields, record.data, "", h));
    };
    if (!procedure->record_rules.empty()) {
        std::vector<RuleHit> hits;
        for (const auto rule : procedure->record_rules) {
            rule(record, today, hits);
        }
        for (const auto& h : hits) {
            record_hit(h);
        }
    }
    const auto persons = record.data.find("persons");
    if (!procedure->takes_persons) {
        if (persons != record.data.end() && !persons->value().is_null() &&
            !(persons->value().is_array() && persons->value().as_array().empty())) {
            record_error("persons", "persons.unexpected",
                         "this procedure is filed for the 事業所 alone and takes no persons",
                         "remove \"persons\"");
        }
        return out;
    }
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
    MemberIndex person_values = FieldIndex(procedure->person_fields);
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string prefix = "persons[" + std::to_string(i) + "].";
        if (!list[i].is_object()) {
            record_error(prefix.substr(0, prefix.size() - 1), "value.type", "must be an object");
            continue;
        }
        const auto& person = list[i].as_object();
        const std::size_t first_new = out.size();
        CheckFields(record, person, procedure->person_fields, person_values, prefix, out);
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
                record_hit(h);
                continue;
            }
            if (h.field.rfind("employer.", 0) == 0 || h.field.rfind("submitter.", 0) == 0) {
                record_hit(h);
                continue;
            }
            out.push_back(HitError(record, procedure->person_fields, person, prefix, h));
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
