// The [data] rows of the 日本年金機構 CSV (nenkin_csv.hpp puts them into files). Internal to
// forms/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "todoke/common/result.hpp"
#include "todoke/forms/catalogue.hpp"
#include "todoke/forms/record.hpp"

namespace todoke::forms::detail {

// The persons' rows in Shift_JIS one after the other, each ending in CRLF; row_end[p] is where
// person p's row ends.
struct CsvRows {
    std::string bytes;
    std::vector<std::size_t> row_end;
};

// Fails naming the person and column ("persons[3] 氏名漢字: ...") for a value that holds a
// separator (csv.separator), has no Shift_JIS form (chars.shift_jis), or cannot be read as its
// format needs (a date, a number, an amount, the 算定 months).
Result<CsvRows> RenderCsvRows(const Procedure& procedure, const Record& record);

// A value holding the CSV's separators (comma, CR, LF) cannot be written: the format has no
// quoting. `label` names the column in the message.
Result<void> CheckSeparators(std::string_view value, std::string_view label);

}  // namespace todoke::forms::detail
