// Hardened verification of applicant-signed application packages and of 公文書.
//
// Everything that arrives is untrusted: the ZIP is checked against its limits before any
// entry is read; each XML is refused if it has a DOCTYPE, is not UTF-8, is too large, too deep
// or has too many nodes; ID attributes are registered by todoke itself, only at the places the
// profile allows, and a repeated ID value is refused. Each <Signature> must have exactly the
// shape of its profile: one SignedInfo first, C14N 1.0, rsa-sha256, sha256, exactly the expected
// references and transforms (no XSLT, XPath, Manifest, Object, RetrievalMethod, KeyValue, HMAC,
// no URIs other than the signed element and plain file names inside the same ZIP folder). The
// signer's certificate must chain to a pinned anchor of the TrustStore at `now`, allow digital
// signatures and carry an RSA key of at least min_rsa_bits.
//
// Signed content is handed to the caller only when every check of every signature passed: the
// report carries the canonical bytes of the signed element and the bytes of the signed files,
// which are the only things a caller may read. Failures are kInvalidArgument with `field` naming
// the check (see kChecks in verifier.cpp: zip.*, xml.*, package.layout, signature.*,
// certificate.*) and a message saying where.
// Thread-safe: functions share no state; a TrustStore may be shared.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/signing/applicant_signature.hpp"
#include "todoke/signing/key_store.hpp"
#include "todoke/signing/limits.hpp"
#include "todoke/signing/trust_store.hpp"

namespace todoke::signing {

struct VerifyOptions {
    ZipLimits zip_limits;
    XmlLimits xml_limits;
    SignatureLimits signature_limits;
};

struct SignatureReport {
    std::string id;                       // the Signature's Id attribute
    CertificateInfo signer;               // the certificate whose key made the signature
    std::vector<std::string> references;  // URIs as written in SignedInfo
};

struct ApplicationReport {
    std::string folder;                       // "4950000020325000/"
    std::vector<SignatureReport> signatures;  // document order
    std::string kousei_canonical;             // C14N 1.0 of the verified <構成情報>
    FileMap signed_files;                     // every file all signatures cover, by name
    std::vector<std::string> unsigned_files;  // other files of the folder (attachments, XSL)
};

struct PackageReport {
    std::vector<ApplicationReport> applications;
};

// Verifies every applicant signature of every application folder. Each 申請書XML that a
// verified <構成情報> lists must be covered by every signature.
Result<PackageReport> VerifyApplicationPackage(std::string_view zip_bytes, const TrustStore& trust,
                                               TimePoint now, const VerifyOptions& options = {});

struct OfficialReport {
    std::string document;  // ZIP entry name of the signed 鑑 XML
    SignatureReport signature;
    std::string body_canonical;  // C14N 1.0 of the verified <BODY ID="DOCBODY">
    FileMap signed_files;        // attached files the signature covers, by decoded name
    std::vector<std::string> unsigned_files;  // other entries (e.g. XSL stylesheets)
};

// Verifies a 公文書 ZIP: the one XML whose root is <DOC> with a <Signature> child.
Result<OfficialReport> VerifyOfficialDocument(std::string_view zip_bytes, const TrustStore& trust,
                                              TimePoint now, const VerifyOptions& options = {});

}  // namespace todoke::signing
