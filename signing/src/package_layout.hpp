// The layout rule shared by signing and verifying application packages (egov-api.md §8).
#pragma once

#include <string>
#include <vector>

#include "todoke/common/result.hpp"
#include "todoke/common/zip.hpp"

namespace todoke::signing::detail {

// The application folders ("{proc_id}/", or "{proc_id}(n)/" in a bulk ZIP): every folder that
// holds a kousei.xml, in archive order. Files at the ZIP root, or no kousei.xml at all, are
// package.layout errors: e-Gov rejects both.
Result<std::vector<std::string>> ApplicationFolders(const ZipReader& reader);

}  // namespace todoke::signing::detail
