// Violation: one broken rule found in one value. Validators return every violation they find;
// the record validator adds which record and field it concerns (see record_validator.hpp).
#pragma once

#include <string>

namespace todoke::forms {

struct Violation {
    std::string rule;     // machine name, e.g. "my_number.check_digit", "chars.jis_x0208"
    std::string message;  // for a person; never contains the value of a personal field
    std::string hint;     // how to fix it, possibly empty
};

}  // namespace todoke::forms
