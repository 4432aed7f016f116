// Validates records against the catalogue: every field rule and every correlation rule of every
// person, all errors of all records in one pass (a batch never stops at the first bad row).
#pragma once

#include <string>
#include <vector>

#include "todoke/forms/catalogue.hpp"
#include "todoke/forms/record.hpp"
#include "todoke/forms/wareki.hpp"

namespace todoke::forms {

struct FieldError {
    std::size_t record = 0;  // 1-based index in the input
    std::string source;      // file
    std::size_t line = 0;    // CSV line of the person (0 when the record came from JSON)
    std::string record_id;
    std::string field;  // full path: "persons[2].birth_date"
    std::string label;  // form item name: 生年月日
    std::string rule;   // "date.invalid", "shutoku.my_number_xor_address", ...
    std::string message;
    std::string value;  // the offending value, masked when the field is personal
    std::string hint;
};

// `today` is the system check date (dates such as 資格取得年月日 may not lie after it).
std::vector<FieldError> ValidateRecord(const Record& record, const Catalogue& catalogue,
                                       Date today);

// One line for a person: "record 2 (a.json, id X) persons[1].name_kana [chars.kana]: ..."
std::string FormatError(const FieldError& e);
// One JSON object per line.
std::string FormatErrorJson(const FieldError& e);

}  // namespace todoke::forms
