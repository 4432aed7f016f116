#include <boost/json.hpp>
#include <map>

#include "todoke/common/encoding.hpp"
#include "todoke/forms/record.hpp"

namespace todoke::forms {
namespace {

Unexpected CsvFail(const std::string& source, std::size_t line, const std::string& message) {
    return Fail(ErrorCode::kInvalidArgument, source + ":" + std::to_string(line) + ": " + message,
                "record.csv");
}

struct Row {
    std::size_t line = 0;
    std::vector<std::string> cells;
};

// RFC 4180: quoted cells may hold commas, quotes ("") and line breaks.
Result<std::vector<Row>> SplitRows(std::string_view text, const std::string& source) {
    std::vector<Row> rows;
    Row row;
    std::string cell;
    bool quoted = false;
    bool cell_started = false;
    std::size_t line = 1;
    row.line = 1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n') {
                    ++line;
                }
                cell += c;
            }
            continue;
        }
        if (c == '"' && !cell_started) {
            quoted = true;
            cell_started = true;
        } else if (c == ',') {
            row.cells.push_back(std::move(cell));
            cell.clear();
            cell_started = false;
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
            row.cells.push_back(std::move(cell));
            cell.clear();
            cell_started = false;
            if (!(row.cells.size() == 1 && row.cells[0].empty())) {
                rows.push_back(std::move(row));
            }
            row = Row{};
            row.line = ++line;
        } else {
            cell += c;
            cell_started = true;
        }
    }
    if (quoted) {
        return CsvFail(source, row.line, "a quoted cell is not closed");
    }
    if (cell_started || !row.cells.empty()) {
        row.cells.push_back(std::move(cell));
        rows.push_back(std::move(row));
    }
    return rows;
}

// Sets root[a][b][c] = value for "a.b.c".
void SetPath(boost::json::object& root, std::string_view path, boost::json::value value) {
    boost::json::object* obj = &root;
    std::size_t pos = 0;
    for (;;) {
        const std::size_t dot = path.find('.', pos);
        const std::string key(
            path.substr(pos, dot == std::string_view::npos ? path.npos : dot - pos));
        if (dot == std::string_view::npos) {
            (*obj)[key] = std::move(value);
            return;
        }
        auto& next = (*obj)[key];
        if (!next.is_object()) {
            next = boost::json::object();
        }
        obj = &next.as_object();
        pos = dot + 1;
    }
}

boost::json::value Typed(const std::string& cell) {
    if (cell == "true" || cell == "TRUE") {
        return true;
    }
    if (cell == "false" || cell == "FALSE") {
        return false;
    }
    return boost::json::string(cell);
}

// The text GetText gives for the value Typed(cell) makes.
std::string CellText(const std::string& cell) {
    if (cell == "true" || cell == "TRUE") {
        return "1";
    }
    if (cell == "false" || cell == "FALSE") {
        return "0";
    }
    return cell;
}

}  // namespace

Result<std::vector<Record>> ParseCsvRecords(std::string_view bytes, const std::string& source) {
    std::string text(bytes);
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) {
        text.erase(0, 3);
    }
    if (!IsValidUtf8(text)) {
        auto decoded = Cp932ToUtf8(text);
        if (!decoded) {
            return Fail(ErrorCode::kInvalidArgument,
                        source + ": the file is neither UTF-8 nor Shift_JIS", "record.csv");
        }
        text = std::move(*decoded);
    }
    TODOKE_ASSIGN_OR_RETURN(std::vector<Row> rows, SplitRows(text, source));
    if (rows.empty()) {
        return CsvFail(source, 1, "no header line");
    }
    const std::vector<std::string> header = rows.front().cells;
    std::size_t record_id_column = header.size();
    for (std::size_t c = 0; c < header.size(); ++c) {
        const std::string& h = header[c];
        if (h == "record_id") {
            record_id_column = c;
        }
        if (h.empty() || h.find("..") != std::string::npos || h.back() == '.') {
            return CsvFail(source, rows.front().line,
                           "column " + std::to_string(c + 1) + " has no usable name");
        }
    }
    if (record_id_column == header.size()) {
        return CsvFail(source, rows.front().line,
                       "the header needs a record_id column (rows with the same id form one "
                       "filing)");
    }
    std::vector<Record> out;
    std::map<std::string, std::size_t> by_id;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const Row& row = rows[r];
        if (row.cells.size() != header.size()) {
            return CsvFail(source, row.line,
                           "has " + std::to_string(row.cells.size()) + " cells; the header has " +
                               std::to_string(header.size()));
        }
        const std::string& id = row.cells[record_id_column];
        if (id.empty()) {
            return CsvFail(source, row.line, "record_id is empty");
        }
        auto [it, inserted] = by_id.emplace(id, out.size());
        if (inserted) {
            Record rec;
            rec.index = out.size() + 1;
            rec.source = source;
            rec.data["persons"] = boost::json::array();
            out.push_back(std::move(rec));
        }
        Record& rec = out[it->second];
        boost::json::object person;
        for (std::size_t c = 0; c < header.size(); ++c) {
            const std::string& h = header[c];
            const std::string& cell = row.cells[c];
            if (h.rfind("persons.", 0) == 0) {
                if (!cell.empty()) {
                    SetPath(person, std::string_view(h).substr(8), Typed(cell));
                }
                continue;
            }
            if (inserted) {
                if (!cell.empty()) {
                    SetPath(rec.data, h, Typed(cell));
                }
            } else if (GetText(rec.data, h).value_or("") != CellText(cell)) {
                std::string message = "column " + h;
                message += " differs from the first row of record ";
                message += id;
                message += "; filing-level columns must be the same on every row";
                return CsvFail(source, row.line, message);
            }
        }
        rec.data["persons"].as_array().push_back(std::move(person));
        rec.person_lines.push_back(row.line);
    }
    return out;
}

}  // namespace todoke::forms
