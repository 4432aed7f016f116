#include "todoke/common/config.hpp"

#include <boost/json.hpp>
#include <map>
#include <set>

#include "todoke/common/file.hpp"

namespace todoke {

struct ConfigNode::Impl {
    boost::json::object object;
    std::string path;    // "zip" or "" for the root
    std::string origin;  // file name, for messages
    std::set<std::string, std::less<>> used;
    std::map<std::string, std::shared_ptr<Impl>, std::less<>> sections;

    std::string KeyPath(std::string_view key) const {
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    }
    Unexpected Bad(std::string_view key, std::string_view rule) const {
        return Fail(ErrorCode::kInvalidArgument,
                    origin + ": " + KeyPath(key) + ": " + std::string(rule), KeyPath(key));
    }
    const boost::json::value* Find(std::string_view key) {
        const auto it = object.find(key);
        if (it == object.end()) {
            return nullptr;
        }
        used.emplace(key);
        return &it->value();
    }
};

ConfigNode::ConfigNode(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
ConfigNode::ConfigNode(ConfigNode&&) noexcept = default;
ConfigNode& ConfigNode::operator=(ConfigNode&&) noexcept = default;
ConfigNode::~ConfigNode() = default;

ConfigNode ConfigNode::Empty() { return ConfigNode(std::make_shared<Impl>()); }

Result<ConfigNode> ConfigNode::Parse(std::string_view json_text, std::string origin) {
    boost::system::error_code ec;
    boost::json::value root = boost::json::parse(json_text, ec);
    if (ec) {
        return Fail(ErrorCode::kInvalidArgument, origin + ": not valid JSON (" + ec.message() + ")",
                    "config");
    }
    if (!root.is_object()) {
        return Fail(ErrorCode::kInvalidArgument, origin + ": the top level must be an object",
                    "config");
    }
    auto impl = std::make_shared<Impl>();
    impl->object = std::move(root.as_object());
    impl->origin = std::move(origin);
    return ConfigNode(std::move(impl));
}

Result<ConfigNode> ConfigNode::LoadFile(const std::filesystem::path& path) {
    TODOKE_ASSIGN_OR_RETURN(std::string text, ReadFileBytes(path, "configuration file"));
    return Parse(text, path.string());
}

bool ConfigNode::Has(std::string_view key) const { return impl_->object.contains(key); }

Result<void> ConfigNode::Read(std::string_view key, std::uint64_t& target, std::uint64_t min,
                              std::uint64_t max) {
    const auto* v = impl_->Find(key);
    if (v == nullptr) {
        return Ok();
    }
    std::uint64_t n = 0;
    if (v->is_uint64()) {
        n = v->as_uint64();
    } else if (v->is_int64() && v->as_int64() >= 0) {
        n = static_cast<std::uint64_t>(v->as_int64());
    } else {
        return impl_->Bad(key, "must be a whole number");
    }
    if (n < min || n > max) {
        return impl_->Bad(key, "must be between " + std::to_string(min) + " and " +
                                   std::to_string(max) + ", got " + std::to_string(n));
    }
    target = n;
    return Ok();
}

Result<void> ConfigNode::Read(std::string_view key, std::int64_t& target, std::int64_t min,
                              std::int64_t max) {
    const auto* v = impl_->Find(key);
    if (v == nullptr) {
        return Ok();
    }
    if (!v->is_int64() && !(v->is_uint64() && v->as_uint64() <= INT64_MAX)) {
        return impl_->Bad(key, "must be a whole number");
    }
    const std::int64_t n =
        v->is_int64() ? v->as_int64() : static_cast<std::int64_t>(v->as_uint64());
    if (n < min || n > max) {
        return impl_->Bad(key, "must be between " + std::to_string(min) + " and " +
                                   std::to_string(max) + ", got " + std::to_string(n));
    }
    target = n;
    return Ok();
}

Result<void> ConfigNode::Read(std::string_view key, bool& target) {
    const auto* v = impl_->Find(key);
    if (v == nullptr) {
        return Ok();
    }
    if (!v->is_bool()) {
        return impl_->Bad(key, "must be true or false");
    }
    target = v->as_bool();
    return Ok();
}

Result<void> ConfigNode::Read(std::string_view key, std::string& target) {
    const auto* v = impl_->Find(key);
    if (v == nullptr) {
        return Ok();
    }
    if (!v->is_string()) {
        return impl_->Bad(key, "must be a string");
    }
    target = std::string(v->as_string());
    return Ok();
}

Result<void> ConfigNode::Read(std::string_view key, std::vector<std::string>& target) {
    const auto* v = impl_->Find(key);
    if (v == nullptr) {
        return Ok();
    }
    if (!v->is_array()) {
        return impl_->Bad(key, "must be a list of strings");
    }
    std::vector<std::string> out;
    for (const auto& item : v->as_array()) {
        if (!item.is_string()) {
            return impl_->Bad(key, "must be a list of strings");
        }
        out.emplace_back(item.as_string());
    }
    target = std::move(out);
    return Ok();
}

Result<ConfigNode> ConfigNode::Section(std::string_view key) {
    if (auto it = impl_->sections.find(key); it != impl_->sections.end()) {
        return ConfigNode(it->second);
    }
    auto child = std::make_shared<Impl>();
    child->path = impl_->KeyPath(key);
    child->origin = impl_->origin;
    if (const auto* v = impl_->Find(key)) {
        if (!v->is_object()) {
            return impl_->Bad(key, "must be an object");
        }
        child->object = v->as_object();
    }
    impl_->sections.emplace(std::string(key), child);
    return ConfigNode(child);
}

Result<void> ConfigNode::CheckAllKeysUsed() const {
    for (const auto& [key, value] : impl_->object) {
        if (!impl_->used.contains(std::string_view(key))) {
            return impl_->Bad(key, "unknown key");
        }
        if (auto it = impl_->sections.find(std::string_view(key)); it != impl_->sections.end()) {
            TODOKE_RETURN_IF_ERROR(ConfigNode(it->second).CheckAllKeysUsed());
        }
    }
    return Ok();
}

}  // namespace todoke
