#include "package_layout.hpp"

namespace todoke::signing::detail {

Result<std::vector<std::string>> ApplicationFolders(const ZipReader& reader) {
    std::vector<std::string> folders;
    for (const auto& e : reader.entries()) {
        const std::size_t slash = e.name.find('/');
        if (slash == std::string::npos) {
            return Fail(ErrorCode::kInvalidArgument,
                        "\"" + e.name +
                            "\" lies at the ZIP root; e-Gov rejects files outside the "
                            "{proc_id}/ folder",
                        "package.layout");
        }
        if (e.name.substr(slash + 1) == "kousei.xml") {
            folders.push_back(e.name.substr(0, slash + 1));
        }
    }
    if (folders.empty()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "the ZIP has no {proc_id}/kousei.xml; it is not an application package",
                    "package.layout");
    }
    return folders;
}

}  // namespace todoke::signing::detail
