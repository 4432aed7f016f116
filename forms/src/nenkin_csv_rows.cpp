// The [data] rows of the 日本年金機構 CSV: one per person, in the procedure's column order,
// written in Shift_JIS column by column.
#include "nenkin_csv_rows.hpp"

#include <algorithm>
#include <optional>

#include "todoke/forms/chars.hpp"
#include "todoke/forms/identifiers.hpp"
#include "todoke/forms/santei.hpp"
#include "todoke/forms/wareki.hpp"

namespace todoke::forms::detail {
namespace {

constexpr std::string_view kCrlf = "\r\n";

// An amount of yen; nullopt when there is none (an absent optional amount).
Result<std::optional<long long>> AmountOf(std::string_view text) {
    if (text.empty()) {
        return std::optional<long long>();
    }
    const auto yen = ParseWholeNumber(text, 15);
    if (!yen) {
        return Fail(ErrorCode::kInvalidArgument, "not a whole amount", "csv.amount");
    }
    return std::optional<long long>(*yen);
}

// Whether a path names a value of the filing ("record.…", "employer.…", "submitter.…"), not
// of the person.
bool FilingPath(std::string_view path) {
    return path.starts_with("record.") || path.starts_with("employer.") ||
           path.starts_with("submitter.");
}

// Whether a column's value is the same on every row (the filing's, not the person's).
bool RecordLevel(const CsvColumn& c) { return c.format == CsvFormat::kFixed || FilingPath(c.path); }

// The values of a row's columns: the filing's ("record.…", "employer.…", "submitter.…") from
// the record, the person's through a MemberIndex loaded once per row. Name i is column i's
// path, name columns + i its path2.
class RowValues {
  public:
    RowValues(const Record& record, const std::vector<CsvColumn>& columns)
        : record_(record),
          santei_months_(SanteiMonths(columns)),
          santei_keys_(SanteiKeys(santei_months_)),
          members_(PersonNames(columns, santei_keys_)),
          filing_(2 * columns.size()),
          santei_first_(2 * columns.size()) {
        for (std::size_t i = 0; i < columns.size(); ++i) {
            filing_[i] = FilingPath(columns[i].path);
            filing_[columns.size() + i] = FilingPath(columns[i].path2);
        }
    }

    void Load(const boost::json::object& person) { members_.Load(person); }

    // A string is viewed in place; a number is written into `scratch`.
    std::string_view Get(std::size_t name, std::string_view path, std::string& scratch) const {
        if (!filing_[name]) {
            const boost::json::value* v = members_.Get(name);
            return v == nullptr ? std::string_view() : ValueText(*v, scratch).value_or("");
        }
        if (path.starts_with("record.")) {
            return GetTextView(record_.data, path.substr(7), scratch).value_or("");
        }
        return GetTextView(record_.data, path, scratch).value_or("");
    }

    // The months the procedure's 総計 and 平均額 columns average (the first such column's).
    std::string_view santei_months() const { return santei_months_; }
    // The row's values of SanteiKeys(santei_months()), found in the pass Load made.
    std::array<const boost::json::value*, kSanteiKeyCount> SanteiValues() const {
        std::array<const boost::json::value*, kSanteiKeyCount> v{};
        for (std::size_t i = 0; i < v.size(); ++i) {
            v[i] = members_.Get(santei_first_ + i);
        }
        return v;
    }

    // Get's value as an amount of yen: nullopt when it has no text (an absent optional
    // amount), an error when it is not a whole number. A number is taken as it is instead
    // of being written out and read back.
    Result<std::optional<long long>> Amount(std::size_t name, std::string_view path,
                                            std::string& scratch) const {
        if (filing_[name]) {
            return AmountOf(Get(name, path, scratch));
        }
        const boost::json::value* v = members_.Get(name);
        const bool text =
            v != nullptr && (v->is_string() || v->is_int64() || v->is_uint64() || v->is_bool());
        if (!text || (v->is_string() && v->as_string().empty())) {
            return std::optional<long long>();
        }
        const auto yen = WholeNumberOf(*v, 15);
        if (!yen) {
            return Fail(ErrorCode::kInvalidArgument, "not a whole amount", "csv.amount");
        }
        return std::optional<long long>(*yen);
    }

  private:
    static std::string_view SanteiMonths(const std::vector<CsvColumn>& columns) {
        for (const auto& c : columns) {
            if (c.format == CsvFormat::kSanteiTotal || c.format == CsvFormat::kSanteiAverage) {
                return c.path.empty() ? kSanteiMonths : std::string_view(c.path);
            }
        }
        return kSanteiMonths;
    }

    // Name i: column i's path; columns + i: its path2; 2 * columns + k: santei key k.
    static std::vector<std::string_view> PersonNames(
        const std::vector<CsvColumn>& columns,
        const std::array<std::string, kSanteiKeyCount>& santei_keys) {
        std::vector<std::string_view> names(2 * columns.size());
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (!RecordLevel(columns[i])) {
                names[i] = columns[i].path;
                names[columns.size() + i] = columns[i].path2;
            }
        }
        names.insert(names.end(), santei_keys.begin(), santei_keys.end());
        return names;
    }

    const Record& record_;
    std::string_view santei_months_;
    std::array<std::string, kSanteiKeyCount> santei_keys_;  // named by members_
    MemberIndex members_;
    std::vector<char> filing_;  // per name: whether its path is FilingPath
    std::size_t santei_first_;  // the name of santei key 0
};

// Seven digits, zero-padded; 9999999 from ten million yen on (§4.3: the field's ceiling).
void AppendAmount7(std::string& out, long long yen) {
    if (yen >= 10'000'000) {
        out += "9999999";
        return;
    }
    char digits[7];
    unsigned long long v = yen < 0 ? 0 : static_cast<unsigned long long>(yen);
    for (int i = 6; i >= 0; --i) {
        digits[i] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    out.append(digits, 7);
}

}  // namespace

Result<void> CheckSeparators(std::string_view value, std::string_view label) {
    // A plain loop: values are a few bytes, where find_first_of's three memchr calls cost more.
    const bool found = std::any_of(value.begin(), value.end(),
                                   [](char c) { return c == ',' || c == '\r' || c == '\n'; });
    if (found) {
        return Fail(ErrorCode::kInvalidArgument,
                    std::string(label) +
                        " contains a comma or line break, which the CSV format cannot carry",
                    "csv.separator");
    }
    return Ok();
}

namespace {

// A value copied from the record, its separators checked, in Shift_JIS. The other formats write
// ASCII digits they made, which are Shift_JIS as they are.
Result<void> AppendText(std::string& out, std::string_view value, std::string_view label) {
    TODOKE_RETURN_IF_ERROR(CheckSeparators(value, label));
    return AppendShiftJis(out, value);
}

// Appends the value of column `index` (of `columns`) for one row to `line`, in Shift_JIS.
Result<void> FormatColumn(std::string& line, const CsvColumn& c, std::size_t index,
                          std::size_t columns, const RowValues& values,
                          const boost::json::object& person,
                          std::optional<std::optional<SanteiResult>>& santei,
                          std::string& scratch) {
    if (c.format == CsvFormat::kFixed) {
        return AppendText(line, c.fixed, c.label);
    }
    // Amounts are read as numbers (RowValues::Amount), the rest as text.
    const bool amount = c.format == CsvFormat::kAmount7 || c.format == CsvFormat::kSumAmount7 ||
                        c.format == CsvFormat::kBonusTotal || c.format == CsvFormat::kSanteiTotal ||
                        c.format == CsvFormat::kSanteiAverage;
    const std::string_view v = amount ? std::string_view() : values.Get(index, c.path, scratch);
    auto yen = [&]() -> Result<long long> {  // path's amount; an absent one is 0
        TODOKE_ASSIGN_OR_RETURN(auto a, values.Amount(index, c.path, scratch));
        return a.value_or(0);
    };
    auto other = [&]() -> Result<long long> {  // path2's
        std::string scratch2;
        TODOKE_ASSIGN_OR_RETURN(auto a, values.Amount(columns + index, c.path2, scratch2));
        return a.value_or(0);
    };
    switch (c.format) {
        case CsvFormat::kFixed:
            break;
        case CsvFormat::kText:
            return AppendText(line, v, c.label);
        case CsvFormat::kHalfKana:
            if (!v.empty()) {
                TODOKE_ASSIGN_OR_RETURN(std::string kana, ToHalfWidthKana(v));
                return AppendText(line, kana, c.label);
            }
            break;
        case CsvFormat::kEraCode:
        case CsvFormat::kYymmdd: {
            if (v.empty()) {
                break;
            }
            TODOKE_ASSIGN_OR_RETURN(Date d, ParseIsoDate(v));
            TODOKE_ASSIGN_OR_RETURN(Wareki w, ToWareki(d));
            if (c.format == CsvFormat::kEraCode) {
                line += static_cast<char>('0' + NenkinEraCode(w.era));
            } else {
                line += NenkinYymmdd(w);
            }
            break;
        }
        case CsvFormat::kAmount7: {
            TODOKE_ASSIGN_OR_RETURN(auto a, values.Amount(index, c.path, scratch));
            if (a) {  // an absent optional amount stays empty
                AppendAmount7(line, *a);
            }
            break;
        }
        case CsvFormat::kSumAmount7: {
            TODOKE_ASSIGN_OR_RETURN(long long a, yen());
            TODOKE_ASSIGN_OR_RETURN(long long b, other());
            AppendAmount7(line, a + b);
            break;
        }
        case CsvFormat::kFlag1:
            if (v == "1") {
                line += '1';
            }
            break;
        case CsvFormat::kBool01:
            line += v == "1" ? '1' : '0';
            break;
        case CsvFormat::kKisoOffice:
        case CsvFormat::kKisoSerial: {
            const auto dash = v.find('-');
            if (dash != std::string_view::npos) {
                return AppendText(
                    line,
                    c.format == CsvFormat::kKisoOffice ? v.substr(0, dash) : v.substr(dash + 1),
                    c.label);
            }
            break;
        }
        case CsvFormat::kYmEraCode:
        case CsvFormat::kYmEraYear:
        case CsvFormat::kYmMonth: {
            if (v.empty()) {
                break;
            }
            // "YYYY-MM" read as the first of its month.
            char day_one[16];
            const std::size_t n = std::min(v.size(), sizeof day_one - 3);
            std::copy_n(v.begin(), n, day_one);
            std::copy_n("-01", 3, day_one + n);
            TODOKE_ASSIGN_OR_RETURN(Date d, ParseIsoDate(std::string_view(day_one, n + 3)));
            TODOKE_ASSIGN_OR_RETURN(Wareki w, ToWareki(d));
            if (c.format == CsvFormat::kYmEraCode) {
                line += static_cast<char>('0' + NenkinEraCode(w.era));
            } else {
                line += NenkinYymmdd(w).substr(c.format == CsvFormat::kYmEraYear ? 0 : 2, 2);
            }
            break;
        }
        case CsvFormat::kPad2:
        case CsvFormat::kThousand4: {
            if (v.find_first_not_of("0123456789") != std::string_view::npos) {
                return Fail(ErrorCode::kInvalidArgument, std::string(c.label) + " is not a number",
                            "csv.number");
            }
            const std::size_t width = c.format == CsvFormat::kPad2 ? 2 : 4;
            if (!v.empty() && v.size() < width) {
                line.append(width - v.size(), '0');
            }
            line += v;
            break;
        }
        case CsvFormat::kBonusTotal: {
            TODOKE_ASSIGN_OR_RETURN(long long a, yen());
            TODOKE_ASSIGN_OR_RETURN(long long b, other());
            const long long total = a + b;
            if (total >= 10'000'000) {
                line += "9999000";
            } else {
                AppendAmount7(line, total / 1000 * 1000);
            }
            break;
        }
        case CsvFormat::kSanteiTotal:
        case CsvFormat::kSanteiAverage: {
            // `path` names the month prefixes (santei.hpp); 算定 by default. Computed once per
            // row for its 総計 and 平均額 columns.
            if (!santei) {
                const std::string_view months = c.path.empty() ? kSanteiMonths : c.path;
                santei = months == values.santei_months() ? ComputeSantei(values.SanteiValues())
                                                          : ComputeSantei(person, months);
            }
            const auto& r = *santei;
            if (!r) {
                return Fail(ErrorCode::kInvalidArgument, "the months' values are incomplete",
                            "csv.santei");
            }
            AppendAmount7(line, c.format == CsvFormat::kSanteiTotal ? r->sum : r->average);
            break;
        }
        case CsvFormat::kPostalHead:
            if (v.size() == 7) {
                return AppendText(line, v.substr(0, 3), c.label);
            }
            break;
        case CsvFormat::kPostalTail:
            if (v.size() == 7) {
                return AppendText(line, v.substr(3), c.label);
            }
            break;
    }
    return Ok();
}

}  // namespace

Result<CsvRows> RenderCsvRows(const Procedure& procedure, const Record& record) {
    // Each column writes Shift_JIS itself: only text copied from the record needs converting.
    const auto& persons = record.data.at("persons").as_array();
    CsvRows out;
    std::string& rows = out.bytes;
    std::vector<std::size_t>& row_end = out.row_end;
    row_end.reserve(persons.size());
    // The filing's own columns (様式コード, 事業所整理記号, ...) are rendered once for all rows.
    const boost::json::object no_person;
    std::string scratch;
    const std::size_t columns = procedure.csv_columns.size();
    RowValues values(record, procedure.csv_columns);
    std::vector<std::optional<std::string>> shared(procedure.csv_columns.size());
    for (std::size_t i = 0; i < procedure.csv_columns.size(); ++i) {
        const auto& column = procedure.csv_columns[i];
        if (RecordLevel(column)) {
            std::optional<std::optional<SanteiResult>> none;
            std::string value;
            TODOKE_RETURN_IF_ERROR(
                FormatColumn(value, column, i, columns, values, no_person, none, scratch));
            shared[i] = std::move(value);
        }
    }
    for (std::size_t p = 0; p < persons.size(); ++p) {
        const auto& person = persons[p].as_object();
        values.Load(person);
        std::optional<std::optional<SanteiResult>> santei;
        for (std::size_t i = 0; i < procedure.csv_columns.size(); ++i) {
            if (i > 0) {
                rows += ',';
            }
            if (shared[i]) {
                rows += *shared[i];
                continue;
            }
            const auto& column = procedure.csv_columns[i];
            if (auto appended =
                    FormatColumn(rows, column, i, columns, values, person, santei, scratch);
                !appended) {
                Error e = appended.error();
                e.message = "persons[" + std::to_string(p) + "] " + std::string(column.label) +
                            ": " + e.message;
                return Fail(std::move(e));
            }
        }
        rows += kCrlf;
        row_end.push_back(rows.size());
    }
    return out;
}

}  // namespace todoke::forms::detail
