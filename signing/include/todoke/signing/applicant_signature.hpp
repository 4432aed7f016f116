// Applicant signatures on e-Gov application packages (申請者署名), in the profile e-Gov accepts
// (egov-api.md §13): a <Signature> in the default xmldsig namespace inside <署名情報>, placed
// after <構成情報> in kousei.xml (構成管理XML); inclusive C14N 1.0; rsa-sha256; sha256; the first
// Reference is "#構成情報" percent-encoded (#%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1) with a C14N
// transform; then one Reference per 申請書XML named in <申請書属性情報>, by its relative file name,
// digested over the file's raw bytes; KeyInfo/X509Data/X509Certificate holds the signer
// certificate only. Several keys (連署) give several <Signature> elements with unique Ids.
//
// Signing never changes the bytes of a form file; only kousei.xml is rewritten (its 構成情報
// stays identical under C14N). Thread-safe: functions share no state.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/signing/key_store.hpp"
#include "todoke/signing/limits.hpp"

namespace todoke::signing {

// The file names of the package folder mapped to their bytes (e.g. "495000020325029841_01.xml").
using FileMap = std::map<std::string, std::string, std::less<>>;

struct ApplicantSignOptions {
    // Signature Ids, one per key; empty means the e-Gov convention: the signing time as
    // yyyyMMddHHmmss (JST) for the first, with "_2", "_3"... appended for the others
    // (the convention for several signers is not documented; unconfirmed).
    std::vector<std::string> signature_ids;
    // Writes "#構成情報" literally instead of percent-encoded. e-Gov writes the encoded form;
    // the literal one exists only so that tests can hand a signature to xmlsec1, which cannot
    // dereference the encoded form.
    bool literal_kousei_uri = false;
    XmlLimits xml_limits;
};

// Signs kousei.xml (with or without an empty <署名情報/> placeholder) with every key, each at
// `now`. `folder_files` must hold every 申請書XML that kousei lists. Errors: a key that may not
// sign at `now` (certificate.*), a kousei that is malformed or already signed (kousei.*), a
// listed form file that is missing (kousei.申請書ファイル名称).
Result<std::string> SignKousei(std::string_view kousei_xml, const FileMap& folder_files,
                               std::span<const SigningKey> keys, TimePoint now,
                               const ApplicantSignOptions& options = {});

struct SignedPackage {
    std::string zip;
    std::vector<std::string> folders;  // each application folder signed ("{proc_id}/")
};

// Signs every application folder (a folder holding kousei.xml) of an application ZIP, or of a
// bulk ZIP with several folders; other entries are copied unchanged. The ZIP is checked with
// `zip_limits` first. Files at the ZIP root or a ZIP without kousei.xml are package.layout
// errors.
Result<SignedPackage> SignApplicationPackage(std::string_view zip_bytes,
                                             std::span<const SigningKey> keys, TimePoint now,
                                             const ZipLimits& zip_limits,
                                             const ApplicantSignOptions& options = {});

}  // namespace todoke::signing
