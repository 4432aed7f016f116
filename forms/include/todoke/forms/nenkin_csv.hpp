// 日本年金機構 CSV (SHFD0006.CSV, forms-and-data.md §6): Shift_JIS, CRLF, comma-separated, no
// quoting. One file per 事業所 (1申請1事業所): the media line, [kanri] with the 事業所 count
// and the 事業所 line, then [data] with one row per person in the procedure's column order.
#pragma once

#include <string>
#include <vector>

#include "todoke/common/result.hpp"
#include "todoke/forms/catalogue.hpp"
#include "todoke/forms/record.hpp"
#include "todoke/forms/wareki.hpp"

namespace todoke::forms {

inline constexpr std::size_t kNenkinCsvMaxBytes = 4'500'000;  // e-Gov refuses larger files
inline constexpr std::string_view kNenkinCsvFileName = "SHFD0006.CSV";

struct NenkinCsvOptions {
    Date created_on;       // 作成年月日 of the media line
    int media_serial = 1;  // 媒体通番 001–999
};

// The CSV as Shift_JIS bytes. Fails for a value holding a comma, CR or LF (csv.separator), a
// character without Shift_JIS form (chars.shift_jis), or persons that do not fit one file below
// 4.5 MB (csv.size; RenderNenkinCsvParts splits them).
Result<std::string> RenderNenkinCsv(const Procedure& procedure, const Record& record,
                                    const NenkinCsvOptions& options);

// One CSV of a split filing: its bytes and which persons of the record it holds.
struct NenkinCsvPart {
    std::string bytes;             // Shift_JIS
    std::size_t first_person = 0;  // index into the record's persons
    std::size_t person_count = 0;
    int media_serial = 1;  // 媒体通番 written in its media line (001–999)
};

// Splits the persons over as many CSVs as needed to keep each below 4,500,000 bytes, in the
// record's order; each part is one e-Gov application (1申請1事業所) and carries the next
// 媒体通番 (media_serial, media_serial + 1, ...).
Result<std::vector<NenkinCsvPart>> RenderNenkinCsvParts(const Procedure& procedure,
                                                        const Record& record,
                                                        const NenkinCsvOptions& options);

// Re-reads a rendered CSV and checks its structure: Shift_JIS, CRLF line ends (also after the
// last line), the section markers, one 事業所, and the column count and 様式コード of every row.
Result<void> CheckNenkinCsv(const Procedure& procedure, std::string_view sjis_bytes);

}  // namespace todoke::forms
