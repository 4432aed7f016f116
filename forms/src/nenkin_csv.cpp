#include "todoke/forms/nenkin_csv.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "todoke/common/encoding.hpp"
#include "todoke/forms/chars.hpp"
#include "todoke/forms/identifiers.hpp"
#include "todoke/forms/santei.hpp"

namespace todoke::forms {
namespace {

constexpr std::string_view kCrlf = "\r\n";

std::string Value(const Record& record, const boost::json::object& person, std::string_view path) {
    if (path.rfind("record.", 0) == 0) {
        return GetText(record.data, path.substr(7)).value_or("");
    }
    const bool record_level = path.rfind("employer.", 0) == 0 || path.rfind("submitter.", 0) == 0;
    return GetText(record_level ? record.data : person, path).value_or("");
}

std::string Amount7(long long yen) {
    if (yen >= 10'000'000) {
        return "9999999";
    }
    std::string digits = std::to_string(yen < 0 ? 0 : yen);
    return std::string(digits.size() < 7 ? 7 - digits.size() : 0, '0') + digits;
}

Result<long long> AmountOf(const std::string& text) {
    if (text.empty()) {
        return 0LL;
    }
    for (char c : text) {
        if (c < '0' || c > '9') {
            return Fail(ErrorCode::kInvalidArgument, "not a whole amount", "csv.amount");
        }
    }
    return std::stoll(text);
}

// Whether a column's value is the same on every row (the filing's, not the person's).
bool RecordLevel(const CsvColumn& c) {
    return c.format == CsvFormat::kFixed || c.path.rfind("record.", 0) == 0 ||
           c.path.rfind("employer.", 0) == 0 || c.path.rfind("submitter.", 0) == 0;
}

Result<std::string> Column(const CsvColumn& c, const Record& record,
                           const boost::json::object& person,
                           std::optional<std::optional<SanteiResult>>& santei) {
    const std::string v = c.format == CsvFormat::kFixed ? "" : Value(record, person, c.path);
    switch (c.format) {
        case CsvFormat::kFixed:
            return std::string(c.fixed);
        case CsvFormat::kText:
            return v;
        case CsvFormat::kHalfKana:
            return v.empty() ? Result<std::string>(v) : ToHalfWidthKana(v);
        case CsvFormat::kEraCode:
        case CsvFormat::kYymmdd: {
            if (v.empty()) {
                return std::string();
            }
            TODOKE_ASSIGN_OR_RETURN(Date d, ParseIsoDate(v));
            TODOKE_ASSIGN_OR_RETURN(Wareki w, ToWareki(d));
            return c.format == CsvFormat::kEraCode ? std::to_string(NenkinEraCode(w.era))
                                                   : NenkinYymmdd(w);
        }
        case CsvFormat::kAmount7: {
            if (v.empty()) {
                return std::string();  // an absent optional amount stays empty
            }
            TODOKE_ASSIGN_OR_RETURN(long long yen, AmountOf(v));
            return Amount7(yen);
        }
        case CsvFormat::kSumAmount7: {
            TODOKE_ASSIGN_OR_RETURN(long long a, AmountOf(v));
            TODOKE_ASSIGN_OR_RETURN(long long b, AmountOf(Value(record, person, c.path2)));
            return Amount7(a + b);
        }
        case CsvFormat::kFlag1:
            return std::string(v == "1" ? "1" : "");
        case CsvFormat::kBool01:
            return std::string(v == "1" ? "1" : "0");
        case CsvFormat::kKisoOffice:
        case CsvFormat::kKisoSerial: {
            const auto dash = v.find('-');
            if (dash == std::string::npos) {
                return std::string();
            }
            return c.format == CsvFormat::kKisoOffice ? v.substr(0, dash) : v.substr(dash + 1);
        }
        case CsvFormat::kYmEraCode:
        case CsvFormat::kYmEraYear:
        case CsvFormat::kYmMonth: {
            if (v.empty()) {
                return std::string();
            }
            TODOKE_ASSIGN_OR_RETURN(Date d, ParseIsoDate(v + "-01"));
            TODOKE_ASSIGN_OR_RETURN(Wareki w, ToWareki(d));
            if (c.format == CsvFormat::kYmEraCode) {
                return std::to_string(NenkinEraCode(w.era));
            }
            return NenkinYymmdd(w).substr(c.format == CsvFormat::kYmEraYear ? 0 : 2, 2);
        }
        case CsvFormat::kPad2:
            return v.size() == 1 ? "0" + v : v;
        case CsvFormat::kThousand4:
            return v.empty() ? v : std::string(v.size() < 4 ? 4 - v.size() : 0, '0') + v;
        case CsvFormat::kBonusTotal: {
            TODOKE_ASSIGN_OR_RETURN(long long a, AmountOf(v));
            TODOKE_ASSIGN_OR_RETURN(long long b, AmountOf(Value(record, person, c.path2)));
            const long long total = a + b;
            return total >= 10'000'000 ? std::string("9999000") : Amount7(total / 1000 * 1000);
        }
        case CsvFormat::kSanteiTotal:
        case CsvFormat::kSanteiAverage: {
            // `path` names the month prefixes (santei.hpp); 算定 by default. Computed once per
            // row for its 総計 and 平均額 columns.
            if (!santei) {
                santei = ComputeSantei(person, c.path.empty() ? kSanteiMonths : c.path);
            }
            const auto& r = *santei;
            if (!r) {
                return Fail(ErrorCode::kInvalidArgument, "the months' values are incomplete",
                            "csv.santei");
            }
            return Amount7(c.format == CsvFormat::kSanteiTotal ? r->sum : r->average);
        }
        case CsvFormat::kPostalHead:
            return v.size() == 7 ? v.substr(0, 3) : std::string();
        case CsvFormat::kPostalTail:
            return v.size() == 7 ? v.substr(3) : std::string();
    }
    return std::string();
}

Result<void> AppendField(std::string& line, const std::string& value, std::string_view label) {
    if (value.find_first_of(",\r\n") != std::string::npos) {
        return Fail(ErrorCode::kInvalidArgument,
                    std::string(label) +
                        " contains a comma or line break, which the CSV "
                        "format cannot carry",
                    "csv.separator");
    }
    line += value;
    return Ok();
}

std::vector<std::string> SplitFields(std::string_view line) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    for (;;) {
        const std::size_t comma = line.find(',', pos);
        out.emplace_back(
            line.substr(pos, comma == std::string_view::npos ? line.npos : comma - pos));
        if (comma == std::string_view::npos) {
            break;
        }
        pos = comma + 1;
    }
    return out;
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
    std::string line;
    for (std::size_t i = 0; i < office.size(); ++i) {
        if (i > 0) {
            line += ',';
        }
        TODOKE_RETURN_IF_ERROR(AppendField(line, office[i].first, office[i].second));
    }
    block += line;
    block += kCrlf;
    block += "[data]";
    block += kCrlf;
    TODOKE_ASSIGN_OR_RETURN(const std::string block_sjis, ToShiftJis(block));

    std::vector<std::string> rows;  // Shift_JIS, each with its CRLF
    const auto& persons = record.data.at("persons").as_array();
    rows.reserve(persons.size());
    // The filing's own columns (様式コード, 事業所整理記号, ...) are rendered once for all rows.
    const boost::json::object no_person;
    std::vector<std::optional<std::string>> shared(procedure.csv_columns.size());
    for (std::size_t i = 0; i < procedure.csv_columns.size(); ++i) {
        const auto& column = procedure.csv_columns[i];
        if (RecordLevel(column)) {
            std::optional<std::optional<SanteiResult>> none;
            TODOKE_ASSIGN_OR_RETURN(std::string value, Column(column, record, no_person, none));
            TODOKE_RETURN_IF_ERROR(AppendField(line, value, column.label));
            shared[i] = std::move(value);
        }
    }
    for (std::size_t p = 0; p < persons.size(); ++p) {
        line.clear();
        const auto& person = persons[p].as_object();
        std::optional<std::optional<SanteiResult>> santei;
        for (std::size_t i = 0; i < procedure.csv_columns.size(); ++i) {
            const auto& column = procedure.csv_columns[i];
            if (shared[i]) {
                if (i > 0) {
                    line += ',';
                }
                line += *shared[i];
                continue;
            }
            auto value = Column(column, record, person, santei);
            if (!value) {
                Error e = value.error();
                e.message = "persons[" + std::to_string(p) + "] " + std::string(column.label) +
                            ": " + e.message;
                return Fail(std::move(e));
            }
            if (i > 0) {
                line += ',';
            }
            TODOKE_RETURN_IF_ERROR(AppendField(line, *value, column.label));
        }
        line += kCrlf;
        TODOKE_ASSIGN_OR_RETURN(std::string row, ToShiftJis(line));
        rows.push_back(std::move(row));
    }

    // Rows go into parts below 4.5 MB; each part is one application with the next 媒体通番.
    std::vector<NenkinCsvPart> parts;
    int serial = options.media_serial;
    std::size_t next = 0;
    while (next < rows.size()) {
        NenkinCsvPart part;
        part.media_serial = (serial - 1) % 999 + 1;
        TODOKE_ASSIGN_OR_RETURN(part.bytes, ToShiftJis(media_line(serial++)));
        part.bytes += block_sjis;
        part.first_person = next;
        while (next < rows.size() && part.bytes.size() + rows[next].size() < kNenkinCsvMaxBytes) {
            part.bytes += rows[next++];
        }
        if (next == part.first_person) {
            return Fail(ErrorCode::kInvalidArgument,
                        "persons[" + std::to_string(next) + "] alone exceeds the CSV size limit",
                        "csv.size");
        }
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
    TODOKE_ASSIGN_OR_RETURN(std::string text, Cp932ToUtf8(sjis_bytes));
    if (text.size() < 2 || text.substr(text.size() - 2) != "\r\n") {
        return fail("does not end with CRLF");
    }
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t eol = text.find("\r\n", pos);
        lines.push_back(text.substr(pos, eol - pos));
        pos = eol + 2;
    }
    for (const auto& l : lines) {
        if (l.find_first_of("\r\n") != std::string::npos) {
            return fail("a bare CR or LF");
        }
    }
    if (lines.size() < 6 || lines[1] != "[kanri]" || lines[2] != ",001" || lines[4] != "[data]") {
        return fail("the media line, [kanri], one 事業所 and [data] are not in place");
    }
    if (SplitFields(lines[0]).size() != 6 || SplitFields(lines[3]).size() != 12) {
        return fail("the media or 事業所 line has the wrong number of fields");
    }
    const std::string form_code = std::string(procedure.csv_form_code) + ",";
    for (std::size_t i = 5; i < lines.size(); ++i) {
        const std::string_view row = lines[i];
        const auto fields = static_cast<std::size_t>(std::count(row.begin(), row.end(), ',')) + 1;
        if (fields != procedure.csv_columns.size() || !row.starts_with(form_code)) {
            return fail("data row " + std::to_string(i - 4) + " does not have the " +
                        std::to_string(procedure.csv_columns.size()) + " items of 様式 " +
                        std::string(procedure.csv_form_code));
        }
    }
    return Ok();
}

}  // namespace todoke::forms
