#include "todoke/forms/nenkin_csv.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "nenkin_csv_rows.hpp"
#include "todoke/forms/chars.hpp"
#include "todoke/forms/identifiers.hpp"

namespace todoke::forms {
namespace {

constexpr std::string_view kCrlf = "\r\n";

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
        TODOKE_RETURN_IF_ERROR(detail::CheckSeparators(office[i].first, office[i].second));
        block += office[i].first;
    }
    block += kCrlf;
    block += "[data]";
    block += kCrlf;
    TODOKE_ASSIGN_OR_RETURN(const std::string block_sjis, ToShiftJis(block));

    TODOKE_ASSIGN_OR_RETURN(detail::CsvRows data, detail::RenderCsvRows(procedure, record));
    const std::string& rows = data.bytes;
    const std::vector<std::size_t>& row_end = data.row_end;
    const auto& persons = record.data.at("persons").as_array();

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
