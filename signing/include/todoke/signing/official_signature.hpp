// Official-document signatures (公文書), in the profile of egov-api.md §14.2: an enveloped
// <Signature> as the last child of <DOC>, over "#DOCBODY" (the <BODY ID="DOCBODY"> element)
// plus one Reference per attached file by relative, percent-encoded URI over raw bytes.
//
// The portal simulator signs the 公文書 it issues with this, using a 官職 certificate of the
// demo PKI; the gateway only verifies them (verifier.hpp). Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"
#include "todoke/signing/applicant_signature.hpp"
#include "todoke/signing/key_store.hpp"

namespace todoke::signing {

struct OfficialSignOptions {
    std::string signature_id = "mhlw.go.jp";
    // The sandbox sample uses C14N 1.0 #WithComments and an enveloped-signature transform;
    // production documents use plain C14N 1.0 and a C14N transform (egov-api.md §14.2).
    bool sandbox_style = false;
    XmlLimits xml_limits;
};

// Signs a 鑑 XML (root <DOC> with a <BODY ID="DOCBODY"> child) and references every file in
// `attachments` (names relative to the 鑑's folder, bytes as they will be in the ZIP).
Result<std::string> SignOfficialDocument(std::string_view doc_xml, const FileMap& attachments,
                                         const SigningKey& key, TimePoint now,
                                         const OfficialSignOptions& options = {});

}  // namespace todoke::signing
