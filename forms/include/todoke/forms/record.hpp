// Filing records: what an office keeps about one filing, as JSON (docs/records.md).
//
// One record = one procedure for one 事業所: "procedure", "employer", "submitter" and
// "persons". Values are read by path ("employer.nenkin.office_number", "persons[2].name").
// Strings, whole numbers and booleans are accepted; dates are ISO "YYYY-MM-DD".
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "todoke/common/result.hpp"

namespace todoke::forms {

struct Record {
    std::size_t index = 0;  // 1-based position among the records of one input
    std::string source;     // file name, for messages
    boost::json::object data;
    std::vector<std::size_t> person_lines;  // CSV intake: the line of each person, 1-based

    std::string id() const;         // "record_id", or "" when absent
    std::string procedure() const;  // "procedure", or ""
    std::size_t PersonCount() const;
};

// A file holds one record object or an array of them. Syntax errors name the file and
// position (field "record.json").
Result<std::vector<Record>> ParseJsonRecords(std::string_view text, const std::string& source);

// Bulk intake from CSV (docs/records.md "CSV intake"): UTF-8 (BOM allowed) or Shift_JIS as
// Excel writes it; RFC 4180 quoting; the header names record paths ("record_id", "procedure",
// "employer.name", "persons.name", ...); one row per person; rows with the same record_id
// form one record, whose record-level columns must agree on every row. Values "true"/"false"
// become booleans; empty cells are absent. Errors name the line (field "record.csv").
Result<std::vector<Record>> ParseCsvRecords(std::string_view text, const std::string& source);

// JSON or CSV by the file name's extension (".csv", any case, is CSV).
Result<std::vector<Record>> ParseRecords(std::string_view text, const std::string& source);

// The value at a path as text: strings as they are, whole numbers in decimal, true as "1",
// false as "0"; nullopt when absent or null. Paths use dots and [n] for list elements.
std::optional<std::string> GetText(const boost::json::object& root, std::string_view path);
// GetText without a copy: a string value is viewed where it is; a number or boolean is
// written into `scratch`, which the view then points into.
std::optional<std::string_view> GetTextView(const boost::json::object& root, std::string_view path,
                                            std::string& scratch);
// The text of one value by GetText's rules (nullopt for null, objects, arrays, fractions).
std::optional<std::string_view> ValueText(const boost::json::value& v, std::string& scratch);
// A value as a whole number of at most `max_digits` digits (18 at most), read as ValueText's
// text would be read (a numeral string, a whole number, a boolean as 1 or 0) but without
// writing a number out and reading it back; nullopt for anything else, a negative number
// included.
std::optional<long long> WholeNumberOf(const boost::json::value& v, std::size_t max_digits);
bool HasPath(const boost::json::object& root, std::string_view path);

// The values a procedure's table names, read from one object at a time: plain keys in one
// pass over the object's members instead of one search per name (most names are optional
// members the object does not have); a name holding '.' or '[' is walked as a path; an empty
// name is never found. The names must outlive the index (they are the catalogue's).
class MemberIndex {
  public:
    explicit MemberIndex(std::vector<std::string_view> names);
    // Moved, not copied: the remembered shape points into this index's own table.
    MemberIndex(MemberIndex&&) = default;
    MemberIndex& operator=(MemberIndex&&) = default;
    MemberIndex(const MemberIndex&) = delete;
    MemberIndex& operator=(const MemberIndex&) = delete;
    // Reads `o`; afterwards Get(i) is its value for name i, or nullptr.
    void Load(const boost::json::object& o);
    const boost::json::value* Get(std::size_t i) const { return found_[i]; }

  private:
    // The names a key fills; nullptr for a key no name has.
    const std::vector<std::size_t>* NamesOf(std::string_view key) const;

    std::vector<std::size_t> walked_;      // the names that are paths, walked from the object
    std::vector<std::string_view> paths_;  // per name: the path to walk, or empty
    std::unordered_map<std::string_view, std::vector<std::size_t>> keys_;  // key -> names
    std::vector<const boost::json::value*> found_;
    // The members of the object loaded last: its j-th key and the names it filled. The persons
    // of a filing usually have their keys in one order, so the next object's j-th key is
    // compared with this one before it is looked up (a copy: that object may be gone by then).
    struct Shape {
        std::string key;
        const std::vector<std::size_t>* names = nullptr;
    };
    std::vector<Shape> shape_;
};

}  // namespace todoke::forms
