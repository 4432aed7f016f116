#include "todoke/forms/nenkin_csv.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>

#include "todoke/forms/chars.hpp"
#include "todoke/forms/identifiers.hpp"
#include "todoke/forms/santei.hpp"

namespace todoke::forms {
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

// A value holding the CSV's separators cannot be written (the format has no quoting).
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

Result<std::vector<NenkinCsvPart>> RenderNenkinCsvParts(const Procedure& procedure,
                                                        const Record& record,
                                                        const NenkinCsvOptions& options) {
    auto emp = [&](std::string_view path) { return GetText(record.data, path).value_or(""); };
    TODOKE_ASSIGN_OR_RETURN(std::string symbol,
                            ToHalfWidthKana(emp("employer.nenkin.office_symbol")));
    const std::string postal = emp("employer.postal_code");
    const auto phone_parts = SplitHyphenated(emp("employer.phone"));  // 市外, 市内, 加入者
    // 媒体管理: 都道府県, 郡市区, 事業所記号, 媒体通番, 作成年月日, 代表届書コード
    auto media_line = [&](int serial) {
        char tail[64];
        std::snprintf(tail, sizeof tail, "%03d,%04d%02d%02d,22223", (serial - 1) % 999 + 1,
                      options.created_on.year, options.created_on.month, options.created_on.day);
        return emp("employer.nenkin.prefecture_code") + "," + emp("employer.nenkin.city_code") +
               "," + symbol + "," + tail + std::string(kCrlf);
    };
    const std::vector<std::pair<std::string, std::string_view>> office{
        {emp("employer.nenkin.prefecture_code"), "都道府県コード"},
        {emp("employer.nenkin.city_code"), "郡市区符号"},
        {symbol, "事業所記号"},
        {emp("employer.nenkin.office_number"), "事業所番号"},
        {postal.size() == 7 ? postal.substr(0, 3) : "", "郵便番号"},
        {postal.size() == 7 ? postal.substr(3) : "", "郵便番号"},
        {emp("employer.address"), "事業所所在地"},
        {emp("employer.name"), "事業所名称"},
        {emp("employer.owner_name"), "事業主氏名"},
        {phone_parts[0], "電話番号"},
        {phone_parts[1], "電話番号"},
        {phone_parts[2], "電話番号"},
    };
    std::string block = "[kanri]";
    block += kCrlf;
    block += ",001";  // 事業所数: one 事業所 per e-Gov application
    block += kCrlf;
    for (std::size_t i = 0; i < office.size(); ++i) {
        if (i > 0) {
            block += ',';
        }
        TODOKE_RETURN_IF_ERROR(CheckSeparators(office[i].first, office[i].second));
        block += office[i].first;
    }
    block += kCrlf;
    block += "[data]";
    block += kCrlf;
    TODOKE_ASSIGN_OR_RETURN(const std::string block_sjis, ToShiftJis(block));

    // The rows in Shift_JIS one after the other, each with its CRLF; row_end[p] is where
    // person p's row ends. Each column writes Shift_JIS itself: only text copied from the record
    // needs converting.
    const auto& persons = record.data.at("persons").as_array();
    std::string rows;
    std::vector<std::size_t> row_end;
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

    // Rows go into parts below 4.5 MB; each part is one application with the next 媒体通番.
    std::vector<NenkinCsvPart> parts;
    int serial = options.media_serial;
    std::size_t next = 0;
    while (next < persons.size()) {
        NenkinCsvPart part;
        part.media_serial = (serial - 1) % 999 + 1;
        TODOKE_ASSIGN_OR_RETURN(part.bytes, ToShiftJis(media_line(serial++)));
        part.bytes += block_sjis;
        part.first_person = next;
        const std::size_t start = next == 0 ? 0 : row_end[next - 1];
        while (next < persons.size() &&
               part.bytes.size() + (row_end[next] - start) < kNenkinCsvMaxBytes) {
            ++next;
        }
        if (next == part.first_person) {
            return Fail(ErrorCode::kInvalidArgument,
                        "persons[" + std::to_string(next) + "] alone exceeds the CSV size limit",
                        "csv.size");
        }
        part.bytes.append(rows, start, row_end[next - 1] - start);
        part.person_count = next - part.first_person;
        parts.push_back(std::move(part));
    }
    return parts;
}

Result<std::string> RenderNenkinCsv(const Procedure& procedure, const Record& record,
                                    const NenkinCsvOptions& options) {
    TODOKE_ASSIGN_OR_RETURN(auto parts, RenderNenkinCsvParts(procedure, record, options));
    if (parts.size() != 1) {
        return Fail(ErrorCode::kInvalidArgument,
                    "the persons need " + std::to_string(parts.size()) +
                        " CSV files below 4,500,000 bytes, i.e. as many applications",
                    "csv.size");
    }
    return std::move(parts.front().bytes);
}

Result<void> CheckNenkinCsv(const Procedure& procedure, std::string_view sjis_bytes) {
    auto fail = [](const std::string& message) {
        return Fail(ErrorCode::kInternal, "generated CSV: " + message, "csv.structure");
    };
    // Read as CP932 without decoding: ASCII, half-width katakana (A1–DF), or a lead byte
    // (81–9F, E0–FC) with its trail (40–7E, 80–FC). Commas, CR and LF are below 40, so they
    // are never part of a two-byte character and can be looked for in the bytes.
    std::vector<std::string_view> lines;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < sjis_bytes.size();) {
        // Eight bytes at a time while they are printable ASCII without CR or LF (most of a row:
        // digits and commas); what remains is read a byte or a character at a time.
        if (i + 8 <= sjis_bytes.size()) {
            std::uint64_t word;
            std::memcpy(&word, sjis_bytes.data() + i, 8);
            constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
            constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
            // A byte below 0x20 (CR and LF among them) or at 0x80 or above: the classic "has a
            // byte less than n" test, with the high bits of the word itself.
            if ((((word - kOnes * 0x20) | word) & kHigh) == 0) {
                i += 8;
                continue;
            }
        }
        const auto b = static_cast<unsigned char>(sjis_bytes[i]);
        if (b == '\r') {
            if (i + 1 >= sjis_bytes.size() || sjis_bytes[i + 1] != '\n') {
                return fail("a bare CR at byte " + std::to_string(i));
            }
            lines.push_back(sjis_bytes.substr(line_start, i - line_start));
            i += 2;
            line_start = i;
        } else if (b == '\n') {
            return fail("a bare LF at byte " + std::to_string(i));
        } else if (b < 0x80 || (b >= 0xA1 && b <= 0xDF)) {
            ++i;
        } else if ((b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC)) {
            const auto t =
                i + 1 < sjis_bytes.size() ? static_cast<unsigned char>(sjis_bytes[i + 1]) : 0;
            if (!((t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFC))) {
                return fail("not Shift_JIS at byte " + std::to_string(i));
            }
            i += 2;
        } else {
            return fail("not Shift_JIS at byte " + std::to_string(i));
        }
    }
    if (line_start != sjis_bytes.size() || lines.empty()) {
        return fail("does not end with CRLF");
    }
    if (lines.size() < 6 || lines[1] != "[kanri]" || lines[2] != ",001" || lines[4] != "[data]") {
        return fail("the media line, [kanri], one 事業所 and [data] are not in place");
    }
    auto fields = [](std::string_view l) {
        return static_cast<std::size_t>(std::count(l.begin(), l.end(), ',')) + 1;
    };
    if (fields(lines[0]) != 6 || fields(lines[3]) != 12) {
        return fail("the media or 事業所 line has the wrong number of fields");
    }
    const std::string form_code = std::string(procedure.csv_form_code) + ",";
    for (std::size_t i = 5; i < lines.size(); ++i) {
        const std::string_view row = lines[i];
        if (fields(row) != procedure.csv_columns.size() || !row.starts_with(form_code)) {
            return fail("data row " + std::to_string(i - 4) + " does not have the " +
                        std::to_string(procedure.csv_columns.size()) + " items of 様式 " +
                        std::string(procedure.csv_form_code));
        }
    }
    return Ok();
}

}  // namespace todoke::forms
