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
#include <vector>

#include "todoke/common/result.hpp"

namespace todoke::forms {

struct Record {
    std::size_t index = 0;  // 1-based position among the records of one input
    std::string source;     // file name, for messages
    boost::json::object data;

    std::string id() const;         // "record_id", or "" when absent
    std::string procedure() const;  // "procedure", or ""
    std::size_t PersonCount() const;
};

// A file holds one record object or an array of them. Syntax errors name the file and
// position (field "record.json").
Result<std::vector<Record>> ParseJsonRecords(std::string_view text, const std::string& source);

// The value at a path as text: strings as they are, whole numbers in decimal, true as "1",
// false as "0"; nullopt when absent or null. Paths use dots and [n] for list elements.
std::optional<std::string> GetText(const boost::json::object& root, std::string_view path);
bool HasPath(const boost::json::object& root, std::string_view path);

}  // namespace todoke::forms
