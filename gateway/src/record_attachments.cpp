#include "todoke/gateway/record_attachments.hpp"

#include <filesystem>

#include "todoke/common/encoding.hpp"
#include "todoke/common/file.hpp"

namespace todoke::gateway {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

Result<const json::array*> AttachmentList(const forms::Record& record) {
    const auto it = record.data.find("attachments");
    if (it == record.data.end()) {
        return static_cast<const json::array*>(nullptr);
    }
    if (!it->value().is_array()) {
        return Fail(ErrorCode::kInvalidArgument, "\"attachments\" must be a list", "attachments");
    }
    return &it->value().as_array();
}

}  // namespace

Result<std::vector<forms::Attachment>> RecordAttachments(const forms::Record& record) {
    std::vector<forms::Attachment> out;
    TODOKE_ASSIGN_OR_RETURN(const json::array* list, AttachmentList(record));
    if (list == nullptr) {
        return out;
    }
    const fs::path base = fs::path(record.source).parent_path();
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto* a = (*list)[i].if_object();
        const std::string field = "attachments[" + std::to_string(i) + "]";
        const auto label = a != nullptr ? forms::GetText(*a, "label") : std::nullopt;
        const auto file = a != nullptr ? forms::GetText(*a, "file") : std::nullopt;
        const auto data = a != nullptr ? forms::GetText(*a, "data_base64") : std::nullopt;
        const auto name = a != nullptr ? forms::GetText(*a, "file_name") : std::nullopt;
        if (!label || (!file && !(data && name))) {
            return Fail(ErrorCode::kInvalidArgument,
                        "each attachment needs \"label\" and \"file\" (or \"file_name\" with "
                        "\"data_base64\")",
                        field);
        }
        if (data) {
            auto bytes = Base64Decode(*data);
            if (!bytes) {
                return Fail(ErrorCode::kInvalidArgument, "data_base64 is not Base64", field);
            }
            out.push_back({*label, *name, std::move(*bytes)});
            continue;
        }
        TODOKE_ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(base / *file, "attachment"));
        out.push_back({*label, fs::path(*file).filename().string(), std::move(bytes)});
    }
    return out;
}

Result<void> EmbedAttachments(forms::Record& record) {
    TODOKE_ASSIGN_OR_RETURN(std::vector<forms::Attachment> all, RecordAttachments(record));
    if (all.empty()) {
        return Ok();
    }
    json::array embedded;
    for (const auto& a : all) {
        embedded.push_back(json::object{{"label", a.label},
                                        {"file_name", a.file_name},
                                        {"data_base64", Base64Encode(a.bytes)}});
    }
    record.data["attachments"] = std::move(embedded);
    return Ok();
}

}  // namespace todoke::gateway
