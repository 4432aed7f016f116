// Private XMLDSig core shared by the applicant (kousei) and official (公文書) profiles: the
// algorithm URIs todoke accepts, a builder that writes a <Signature> whose SignedInfo it signs
// in canonical form, and a strict parser plus SignatureValue/certificate check.
#pragma once

#include <libxml/tree.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"
#include "todoke/signing/key_store.hpp"
#include "todoke/signing/limits.hpp"
#include "todoke/signing/trust_store.hpp"

namespace todoke::signing::detail {

inline constexpr std::string_view kC14n10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
inline constexpr std::string_view kC14n10WithComments =
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
inline constexpr std::string_view kRsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
inline constexpr std::string_view kSha256Uri = "http://www.w3.org/2001/04/xmlenc#sha256";
inline constexpr std::string_view kEnvelopedSignature =
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

struct ReferenceSpec {
    std::string uri;  // as written, already percent-encoded
    std::vector<std::string_view> transforms;
    std::string digest;  // raw SHA-256
};

struct SignatureSpec {
    std::string id;
    std::string_view c14n_method = kC14n10;
    std::vector<ReferenceSpec> references;
};

// The <Signature> element (default xmldsig namespace) as text, signed with `key`. The
// SignedInfo is written in canonical form, so that its C14N in a document whose ancestors
// declare no namespaces and no xml:* attributes equals the signed bytes.
Result<std::string> BuildSignature(const SignatureSpec& spec, const SigningKey& key);

struct Profile {
    std::string_view name;  // "kousei", "公文書": for messages
    std::vector<std::string_view> c14n_methods;
    // Transform lists allowed on the same-document reference.
    std::vector<std::vector<std::string_view>> same_document_transforms;
};

struct ParsedReference {
    std::string uri;     // as written
    std::string target;  // percent-decoded: the ID after '#', or the file name
    bool same_document = false;
    std::vector<std::string> transforms;
    std::string digest;  // raw
};

struct ParsedSignature {
    xmlNodePtr node = nullptr;
    xmlNodePtr signed_info = nullptr;
    std::string id;
    std::string c14n_method;
    std::vector<ParsedReference> references;
    std::string signature_value;            // raw
    std::vector<std::string> certificates;  // DER
};

// Checks that `signature` has exactly the shape the profile allows and reads its parts.
// Fields: signature.structure, signature.algorithm, signature.transform,
// signature.reference_uri, signature.key_info, signature.limits.
Result<ParsedSignature> ParseSignature(xmlNodePtr signature, const Profile& profile,
                                       const SignatureLimits& limits, std::string_view where);

// Canonicalises SignedInfo as its CanonicalizationMethod says and verifies SignatureValue with
// the KeyInfo certificate whose key fits, then that certificate's chain to `trust` at `now` and
// its key usage. Returns the signer. Fields: signature.value, certificate.*.
Result<CertificateInfo> VerifySignatureValue(xmlDocPtr doc, const ParsedSignature& sig,
                                             const TrustStore& trust, const SignatureLimits& limits,
                                             TimePoint now, std::string_view where);

// Checks a percent-decoded file reference: a plain name, no path, scheme, query or fragment.
bool IsPlainFileName(std::string_view name);

Unexpected SigFail(std::string_view check, std::string_view where, const std::string& message);

}  // namespace todoke::signing::detail

namespace todoke::signing::detail {

// Appends the signatures (already serialised by BuildSignature) as the last content of
// `container` and serialises the whole document. Fails if the document's root declares
// namespaces or xml:* attributes, which would enter the canonical SignedInfo.
Result<std::string> SerializeWithSignatures(xmlDocPtr doc, xmlNodePtr container,
                                            const std::string& signatures_xml);

}  // namespace todoke::signing::detail

namespace todoke::signing::detail {

// Fails (signature.placement) when any element of the XML-Signature namespace stands outside
// the given <Signature> elements: a signature moved, wrapped, or a DigestValue planted elsewhere.
Result<void> CheckNoStraySignatureElements(xmlDocPtr doc, const std::vector<xmlNodePtr>& signatures,
                                           std::string_view what);

// Fails (xml.comment_in_signed) when the signed element holds comments or processing
// instructions, which C14N drops from the digest while a naive reader would still see them.
Result<void> CheckNoCommentsIn(xmlNodePtr signed_element, std::string_view what);

}  // namespace todoke::signing::detail
