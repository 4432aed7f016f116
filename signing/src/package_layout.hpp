// The layout rule shared by signing and verifying application packages (egov-api.md §8).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "todoke/common/result.hpp"
#include "todoke/common/zip.hpp"

namespace todoke::signing::detail {

// The kousei.xml elements the applicant signature is about: <構成情報 ID="構成情報">, which the
// first Reference covers, and <署名情報>, which holds the signatures after it.
inline constexpr std::string_view kKousei = "構成情報";
inline constexpr std::string_view kSignatureInfo = "署名情報";

// The application folders ("{proc_id}/", or "{proc_id}(n)/" in a bulk ZIP): every folder that
// holds a kousei.xml, in archive order. Files at the ZIP root, or no kousei.xml at all, are
// package.layout errors: e-Gov rejects both.
Result<std::vector<std::string>> ApplicationFolders(const ZipReader& reader);

}  // namespace todoke::signing::detail
