// Collecting an official document (公文書) safely (egov-api.md §14.4, DESIGN.md): download the
// ZIP, store it durably, verify its 官職 signature against the pinned government CA, and only
// then tell the portal 取得完了. A document that fails verification is moved to quarantine/ and
// never acknowledged, so a person can look at it while the portal still offers it.
#pragma once

#include <filesystem>
#include <string>

#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"
#include "todoke/egov/portal.hpp"
#include "todoke/signing/trust_store.hpp"
#include "todoke/signing/verifier.hpp"

namespace todoke::egov {

struct CollectedDocument {
    std::filesystem::path path;  // {dir}/{arrive_id}_{notice_sub_id}.zip
    std::string signer;          // subject of the 官職 certificate
    std::vector<std::string> signed_files;
};

// Fails with kRejected (field from the verifier, e.g. "signature.digest_mismatch") for a
// document that does not verify (then stored under {dir}/quarantine/), or with the portal's
// error when it could not be fetched or acknowledged (retry: the stored copy is reused).
Result<CollectedDocument> CollectOfficialDocument(Portal& portal, const std::string& arrive_id,
                                                  int notice_sub_id,
                                                  const signing::TrustStore& government_ca,
                                                  const std::filesystem::path& dir, TimePoint now);

}  // namespace todoke::egov
