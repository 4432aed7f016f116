// Per-value field rules of the record validator.
#pragma once

#include <string>
#include <vector>

#include "todoke/forms/catalogue.hpp"
#include "todoke/forms/violation.hpp"

namespace todoke::forms::detail {

// Every violation of `value` against the rule of the field's kind, lengths and codes.
std::vector<Violation> CheckField(const FieldSpec& f, std::string_view value);

}  // namespace todoke::forms::detail
