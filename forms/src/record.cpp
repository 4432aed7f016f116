#include "todoke/forms/record.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "todoke/forms/identifiers.hpp"

namespace todoke::forms {
namespace {

const boost::json::value* Walk(const boost::json::object& root, std::string_view path) {
    const boost::json::value* cur = nullptr;
    const boost::json::object* obj = &root;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        std::size_t end = path.find('.', pos);
        if (end == std::string_view::npos) {
            end = path.size();
        }
        std::string_view part = path.substr(pos, end - pos);
        std::optional<std::size_t> index;
        if (const auto bracket = part.find('['); bracket != std::string_view::npos) {
            std::size_t n = 0;
            for (std::size_t i = bracket + 1; i < part.size() && part[i] != ']'; ++i) {
                n = n * 10 + static_cast<std::size_t>(part[i] - '0');
            }
            index = n;
            part = part.substr(0, bracket);
        }
        if (obj == nullptr) {
            return nullptr;
        }
        const auto it = obj->find(part);
        if (it == obj->end()) {
            return nullptr;
        }
        cur = &it->value();
        if (index) {
            if (!cur->is_array() || *index >= cur->as_array().size()) {
                return nullptr;
            }
            cur = &cur->as_array()[*index];
        }
        obj = cur->is_object() ? &cur->as_object() : nullptr;
        pos = end + 1;
    }
    return cur;
}

}  // namespace

std::string Record::id() const { return GetText(data, "record_id").value_or(""); }
std::string Record::procedure() const { return GetText(data, "procedure").value_or(""); }

std::size_t Record::PersonCount() const {
    const auto it = data.find("persons");
    return it != data.end() && it->value().is_array() ? it->value().as_array().size() : 0;
}

Result<std::vector<Record>> ParseJsonRecords(std::string_view text, const std::string& source) {
    boost::system::error_code ec;
    boost::json::value root = boost::json::parse(text, ec);
    if (ec) {
        return Fail(ErrorCode::kInvalidArgument, source + ": not valid JSON (" + ec.message() + ")",
                    "record.json");
    }
    std::vector<Record> out;
    auto add = [&](boost::json::value& v) -> Result<void> {
        if (!v.is_object()) {
            return Fail(
                ErrorCode::kInvalidArgument,
                source + ": record " + std::to_string(out.size() + 1) + " is not a JSON object",
                "record.json");
        }
        Record r;
        r.index = out.size() + 1;
        r.source = source;
        r.data = std::move(v.as_object());
        out.push_back(std::move(r));
        return Ok();
    };
    if (root.is_array()) {
        for (auto& v : root.as_array()) {
            TODOKE_RETURN_IF_ERROR(add(v));
        }
    } else {
        TODOKE_RETURN_IF_ERROR(add(root));
    }
    return out;
}

Result<std::vector<Record>> ParseRecords(std::string_view text, const std::string& source) {
    std::string ext = source.size() >= 4 ? source.substr(source.size() - 4) : "";
    for (char& c : ext) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return ext == ".csv" ? ParseCsvRecords(text, source) : ParseJsonRecords(text, source);
}

std::optional<std::string_view> ValueText(const boost::json::value& v, std::string& scratch) {
    if (v.is_string()) {
        return std::string_view(v.as_string());
    }
    if (v.is_int64()) {
        scratch = std::to_string(v.as_int64());
        return std::string_view(scratch);
    }
    if (v.is_uint64()) {
        scratch = std::to_string(v.as_uint64());
        return std::string_view(scratch);
    }
    if (v.is_bool()) {
        return std::string_view(v.as_bool() ? "1" : "0");
    }
    return std::nullopt;  // null, objects, arrays and fractions are not text
}

std::optional<long long> WholeNumberOf(const boost::json::value& v, std::size_t max_digits) {
    static constexpr auto kPowersOfTen = [] {
        std::array<unsigned long long, 19> p{};
        p[0] = 1;
        for (std::size_t i = 1; i < p.size(); ++i) {
            p[i] = p[i - 1] * 10;
        }
        return p;
    }();
    const unsigned long long limit = kPowersOfTen[std::min<std::size_t>(max_digits, 18)];
    if (v.is_string()) {
        return ParseWholeNumber(v.as_string(), max_digits);
    }
    if (v.is_int64()) {
        const long long n = v.as_int64();
        return n >= 0 && static_cast<unsigned long long>(n) < limit ? std::optional(n)
                                                                    : std::nullopt;
    }
    if (v.is_uint64()) {
        const unsigned long long n = v.as_uint64();
        return n < limit ? std::optional(static_cast<long long>(n)) : std::nullopt;
    }
    if (v.is_bool()) {
        return v.as_bool() ? 1 : 0;
    }
    return std::nullopt;
}

std::optional<std::string_view> GetTextView(const boost::json::object& root, std::string_view path,
                                            std::string& scratch) {
    const boost::json::value* v = Walk(root, path);
    return v == nullptr ? std::nullopt : ValueText(*v, scratch);
}

std::optional<std::string> GetText(const boost::json::object& root, std::string_view path) {
    std::string scratch;
    const auto view = GetTextView(root, path, scratch);
    return view ? std::optional<std::string>(std::string(*view)) : std::nullopt;
}

MemberIndex::MemberIndex(std::vector<std::string_view> names)
    : paths_(names.size()), found_(names.size(), nullptr) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i].find_first_of(".[") != std::string_view::npos) {
            paths_[i] = names[i];
            walked_.push_back(i);
        } else if (!names[i].empty()) {
            keys_[names[i]].push_back(i);
        }
    }
}

const std::vector<std::size_t>* MemberIndex::NamesOf(std::string_view key) const {
    const auto it = keys_.find(key);
    return it == keys_.end() ? nullptr : &it->second;
}

void MemberIndex::Load(const boost::json::object& o) {
    std::fill(found_.begin(), found_.end(), nullptr);
    std::size_t j = 0;
    for (const auto& kv : o) {
        const std::string_view key = kv.key();
        if (j == shape_.size()) {
            shape_.push_back({std::string(key), NamesOf(key)});
        } else if (shape_[j].key != key) {
            shape_[j] = {std::string(key), NamesOf(key)};
        }
        if (const auto* names = shape_[j].names) {
            for (const std::size_t i : *names) {
                found_[i] = &kv.value();
            }
        }
        ++j;
    }
    for (const std::size_t i : walked_) {
        found_[i] = Walk(o, paths_[i]);
    }
}

bool HasPath(const boost::json::object& root, std::string_view path) {
    const boost::json::value* v = Walk(root, path);
    return v != nullptr && !v->is_null();
}

}  // namespace todoke::forms
