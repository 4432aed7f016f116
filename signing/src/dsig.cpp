#include "dsig.hpp"

#include <algorithm>

#include "crypto.hpp"
#include "key_store_impl.hpp"
#include "todoke/common/encoding.hpp"
#include "xml_util.hpp"

namespace todoke::signing::detail {
namespace {

// Whitespace-only text between the elements of a signature is allowed; nothing else.
Result<std::vector<xmlNodePtr>> StrictChildren(xmlNodePtr node, std::string_view where) {
    if (!HasOnlyElementChildren(node)) {
        return SigFail("structure", where,
                       "<" + std::string(NodeName(node)) +
                           "> holds text, comments or processing instructions where only "
                           "elements are allowed");
    }
    auto children = ElementChildren(node);
    for (xmlNodePtr c : children) {
        if (NodeNs(c) != kDsigNs) {
            return SigFail("structure", where,
                           "<" + std::string(NodeName(c)) + "> inside <" +
                               std::string(NodeName(node)) +
                               "> is not in the XML-Signature namespace");
        }
    }
    return children;
}

Result<std::string> AlgorithmOf(xmlNodePtr node, std::string_view where) {
    std::string alg;
    if (!GetAttribute(node, "Algorithm", alg) || AttributeCount(node) != 1) {
        return SigFail(
            "structure", where,
            "<" + std::string(NodeName(node)) + "> must carry exactly one attribute, Algorithm");
    }
    if (!IsEmptyElement(node)) {
        return SigFail("structure", where,
                       "<" + std::string(NodeName(node)) + " Algorithm=\"" + alg +
                           "\"> must be empty (no parameters such as XPath, XSLT or "
                           "HMACOutputLength)");
    }
    return alg;
}

Result<std::string> Base64Child(xmlNodePtr node, std::string_view where) {
    if (AttributeCount(node) != 0) {
        return SigFail("structure", where,
                       "<" + std::string(NodeName(node)) + "> must have no attributes");
    }
    auto text = SimpleText(node, where);
    if (!text) {
        return SigFail("structure", where,
                       "<" + std::string(NodeName(node)) +
                           "> must hold a single Base64 text (no comments or elements)");
    }
    auto raw = Base64Decode(*text);
    if (!raw) {
        return SigFail("structure", where,
                       "<" + std::string(NodeName(node)) + "> is not valid Base64");
    }
    return raw;
}

Result<ParsedReference> ParseReference(xmlNodePtr ref, const Profile& profile,
                                       const SignatureLimits& limits, const std::string& where) {
    ParsedReference out;
    if (!GetAttribute(ref, "URI", out.uri) || AttributeCount(ref) != 1) {
        return SigFail("reference_uri", where,
                       "a <Reference> must carry exactly one attribute, URI");
    }
    const std::string rwhere = where + " Reference URI=\"" + out.uri + "\"";
    if (out.uri.empty()) {
        return SigFail("reference_uri", rwhere, "URI=\"\" (the whole document) is not allowed");
    }
    auto decoded = PercentDecode(out.uri);
    if (!decoded || !IsValidUtf8(*decoded)) {
        return SigFail("reference_uri", rwhere, "the URI is not a valid percent-encoded name");
    }
    if (decoded->front() == '#') {
        out.same_document = true;
        out.target = decoded->substr(1);
        if (out.target.empty() || out.target.find('(') != std::string::npos) {
            return SigFail("reference_uri", rwhere,
                           "only a bare ID (#id) may refer into the document; XPointer is not "
                           "allowed");
        }
    } else {
        out.target = *decoded;
        if (!IsPlainFileName(out.target)) {
            return SigFail("reference_uri", rwhere,
                           "a file reference must be a plain file name in the same folder "
                           "(no path, scheme, query or fragment)");
        }
    }
    TODOKE_ASSIGN_OR_RETURN(auto parts, StrictChildren(ref, rwhere));
    std::size_t i = 0;
    if (i < parts.size() && NodeName(parts[i]) == "Transforms") {
        TODOKE_ASSIGN_OR_RETURN(auto transforms, StrictChildren(parts[i], rwhere));
        if (transforms.empty() || transforms.size() > limits.max_transforms) {
            return SigFail("transform", rwhere,
                           "a <Transforms> must hold 1 to " +
                               std::to_string(limits.max_transforms) + " transforms");
        }
        for (xmlNodePtr t : transforms) {
            if (NodeName(t) != "Transform") {
                return SigFail("structure", rwhere, "<Transforms> may hold only <Transform>");
            }
            TODOKE_ASSIGN_OR_RETURN(std::string alg, AlgorithmOf(t, rwhere));
            out.transforms.push_back(std::move(alg));
        }
        ++i;
    }
    if (i + 2 != parts.size() || NodeName(parts[i]) != "DigestMethod" ||
        NodeName(parts[i + 1]) != "DigestValue") {
        return SigFail("structure", rwhere,
                       "a <Reference> must hold [Transforms], DigestMethod, DigestValue in that "
                       "order and nothing else");
    }
    TODOKE_ASSIGN_OR_RETURN(std::string digest_alg, AlgorithmOf(parts[i], rwhere));
    if (digest_alg != kSha256Uri) {
        return SigFail("algorithm", rwhere,
                       "digest method " + digest_alg +
                           " is not allowed; "
                           "only " +
                           std::string(kSha256Uri));
    }
    TODOKE_ASSIGN_OR_RETURN(out.digest, Base64Child(parts[i + 1], rwhere));
    if (out.digest.size() != 32) {
        return SigFail("structure", rwhere, "a SHA-256 DigestValue must be 32 bytes");
    }
    if (out.same_document) {
        const bool allowed = std::any_of(
            profile.same_document_transforms.begin(), profile.same_document_transforms.end(),
            [&](const std::vector<std::string_view>& allowed_list) {
                return std::equal(allowed_list.begin(), allowed_list.end(), out.transforms.begin(),
                                  out.transforms.end());
            });
        if (!allowed) {
            std::string list;
            for (const auto& t : out.transforms) {
                list += (list.empty() ? "" : ", ") + t;
            }
            return SigFail("transform", rwhere,
                           "transforms [" + list + "] are not allowed by the " +
                               std::string(profile.name) + " profile");
        }
    } else if (!out.transforms.empty()) {
        return SigFail("transform", rwhere,
                       "a file reference is digested over raw bytes and must have no "
                       "transforms");
    }
    return out;
}

}  // namespace

Unexpected SigFail(std::string_view check, std::string_view where, const std::string& message) {
    return Fail(ErrorCode::kInvalidArgument, std::string(where) + ": " + message,
                "signature." + std::string(check));
}

bool IsPlainFileName(std::string_view name) {
    if (name.empty() || name == "." || name == "..") {
        return false;
    }
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '/' || c == '\\' || c == ':' || c == '?' || c == '#' || u < 0x20 || u == 0x7F) {
            return false;
        }
    }
    return true;
}

Result<ParsedSignature> ParseSignature(xmlNodePtr signature, const Profile& profile,
                                       const SignatureLimits& limits, std::string_view where_in) {
    std::string where(where_in);
    ParsedSignature out;
    out.node = signature;
    for (xmlAttrPtr a = signature->properties; a != nullptr; a = a->next) {
        if (a->ns != nullptr || std::string_view(reinterpret_cast<const char*>(a->name)) != "Id") {
            return SigFail("structure", where, "<Signature> may carry only an Id attribute");
        }
    }
    GetAttribute(signature, "Id", out.id);
    if (!out.id.empty()) {
        where += " (Id=" + out.id + ")";
    }
    TODOKE_ASSIGN_OR_RETURN(auto parts, StrictChildren(signature, where));
    if (parts.size() != 3 || NodeName(parts[0]) != "SignedInfo" ||
        NodeName(parts[1]) != "SignatureValue" || NodeName(parts[2]) != "KeyInfo") {
        return SigFail("structure", where,
                       "<Signature> must hold exactly SignedInfo, SignatureValue and KeyInfo, in "
                       "that order (no Object or Manifest)");
    }
    out.signed_info = parts[0];
    if (AttributeCount(out.signed_info) != 0) {
        return SigFail("structure", where, "<SignedInfo> must have no attributes");
    }
    TODOKE_ASSIGN_OR_RETURN(auto info, StrictChildren(out.signed_info, where));
    if (info.size() < 3 || NodeName(info[0]) != "CanonicalizationMethod" ||
        NodeName(info[1]) != "SignatureMethod") {
        return SigFail("structure", where,
                       "<SignedInfo> must hold CanonicalizationMethod, SignatureMethod and at "
                       "least one Reference");
    }
    TODOKE_ASSIGN_OR_RETURN(out.c14n_method, AlgorithmOf(info[0], where));
    if (std::find(profile.c14n_methods.begin(), profile.c14n_methods.end(), out.c14n_method) ==
        profile.c14n_methods.end()) {
        return SigFail("algorithm", where,
                       "canonicalization " + out.c14n_method + " is not allowed by the " +
                           std::string(profile.name) + " profile");
    }
    TODOKE_ASSIGN_OR_RETURN(std::string sig_alg, AlgorithmOf(info[1], where));
    if (sig_alg != kRsaSha256) {
        return SigFail(
            "algorithm", where,
            "signature method " + sig_alg + " is not allowed; only " + std::string(kRsaSha256));
    }
    if (info.size() - 2 > limits.max_references) {
        return SigFail("limits", where,
                       "more than " + std::to_string(limits.max_references) + " references");
    }
    for (std::size_t i = 2; i < info.size(); ++i) {
        if (NodeName(info[i]) != "Reference") {
            return SigFail("structure", where,
                           "<" + std::string(NodeName(info[i])) + "> is not allowed in SignedInfo");
        }
        TODOKE_ASSIGN_OR_RETURN(auto ref, ParseReference(info[i], profile, limits, where));
        for (const auto& seen : out.references) {
            if (seen.target == ref.target && seen.same_document == ref.same_document) {
                return SigFail("reference_uri", where,
                               "two references name the same target \"" + ref.uri + "\"");
            }
        }
        out.references.push_back(std::move(ref));
    }
    TODOKE_ASSIGN_OR_RETURN(out.signature_value, Base64Child(parts[1], where));

    xmlNodePtr key_info = parts[2];
    if (AttributeCount(key_info) != 0) {
        return SigFail("key_info", where, "<KeyInfo> must have no attributes");
    }
    TODOKE_ASSIGN_OR_RETURN(auto key_parts, StrictChildren(key_info, where));
    if (key_parts.size() != 1 || NodeName(key_parts[0]) != "X509Data") {
        return SigFail("key_info", where,
                       "<KeyInfo> must hold exactly one X509Data (no KeyValue, RetrievalMethod "
                       "or KeyName)");
    }
    TODOKE_ASSIGN_OR_RETURN(auto x509, StrictChildren(key_parts[0], where));
    for (xmlNodePtr item : x509) {
        const std::string_view name = NodeName(item);
        if (name == "X509Certificate") {
            if (out.certificates.size() == limits.max_certificates) {
                return SigFail("key_info", where,
                               "more than " + std::to_string(limits.max_certificates) +
                                   " certificates in X509Data");
            }
            TODOKE_ASSIGN_OR_RETURN(std::string der, Base64Child(item, where));
            out.certificates.push_back(std::move(der));
        } else if (name != "X509IssuerSerial" && name != "X509SubjectName") {
            // IssuerSerial and SubjectName are informational and never select a key.
            return SigFail("key_info", where,
                           "<" + std::string(name) + "> is not allowed in X509Data");
        }
    }
    if (out.certificates.empty()) {
        return SigFail("key_info", where, "X509Data holds no X509Certificate");
    }
    return out;
}

Result<CertificateInfo> VerifySignatureValue(xmlDocPtr doc, const ParsedSignature& sig,
                                             const TrustStore& trust, const SignatureLimits& limits,
                                             TimePoint now, std::string_view where_in) {
    std::string where(where_in);
    if (!sig.id.empty()) {
        where += " (Id=" + sig.id + ")";
    }
    TODOKE_ASSIGN_OR_RETURN(
        std::string canonical,
        CanonicalizeSubtree(doc, sig.signed_info, sig.c14n_method == kC14n10WithComments));

    std::vector<X509Ptr> certs;
    for (const auto& der : sig.certificates) {
        auto cert = CertificateFromDer(der);
        if (!cert) {
            return SigFail("key_info", where, "an X509Certificate is not a certificate");
        }
        certs.push_back(std::move(*cert));
    }
    X509* signer = nullptr;
    for (const auto& cert : certs) {
        EVP_PKEY* pub = X509_get0_pubkey(cert.get());
        if (pub == nullptr || EVP_PKEY_base_id(pub) != EVP_PKEY_RSA) {
            continue;
        }
        const auto modulus_bytes = static_cast<std::size_t>(EVP_PKEY_get_size(pub));
        if (sig.signature_value.size() != modulus_bytes) {
            continue;
        }
        if (RsaSha256Verify(pub, canonical, sig.signature_value)) {
            signer = cert.get();
            break;
        }
    }
    if (signer == nullptr) {
        return SigFail("value", where,
                       "the SignatureValue does not verify over SignedInfo with any RSA key in "
                       "KeyInfo (SignedInfo was changed, or the key is not the signer's)");
    }
    CertificateInfo info = DescribeCertificate(signer);
    if (static_cast<std::uint64_t>(info.rsa_bits) < limits.min_rsa_bits) {
        return Fail(ErrorCode::kInvalidArgument,
                    where + ": the signer key has " + std::to_string(info.rsa_bits) +
                        " bits; at least " + std::to_string(limits.min_rsa_bits) + " are required",
                    "certificate.weak_key");
    }
    X509Stack untrusted(sk_X509_new_null());
    for (const auto& cert : certs) {
        if (cert.get() != signer) {
            sk_X509_push(untrusted.get(), cert.get());  // borrowed
        }
    }
    auto chain = VerifyChain(trust, signer, untrusted.get(), now);
    if (!chain) {
        Error e = chain.error();
        e.message = where + ": " + e.message + " (signer " + info.subject + ")";
        return Fail(std::move(e));
    }
    if (!AllowsDigitalSignature(signer)) {
        return Fail(ErrorCode::kInvalidArgument,
                    where +
                        ": the signer certificate's key usage does not allow digital "
                        "signatures (" +
                        info.subject + ")",
                    "certificate.key_usage");
    }
    return info;
}

}  // namespace todoke::signing::detail

namespace todoke::signing::detail {

Result<void> CheckNoStraySignatureElements(xmlDocPtr doc, const std::vector<xmlNodePtr>& signatures,
                                           std::string_view what) {
    std::vector<xmlNodePtr> stack{xmlDocGetRootElement(doc)};
    while (!stack.empty()) {
        xmlNodePtr n = stack.back();
        stack.pop_back();
        if (n->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (std::find(signatures.begin(), signatures.end(), n) != signatures.end()) {
            continue;
        }
        if (NodeNs(n) == kDsigNs) {
            return Fail(ErrorCode::kInvalidArgument,
                        std::string(what) + ": <" + std::string(NodeName(n)) +
                            "> of the XML-Signature namespace stands outside the place this "
                            "profile allows for signatures",
                        "signature.placement");
        }
        for (xmlNodePtr c = n->children; c != nullptr; c = c->next) {
            stack.push_back(c);
        }
    }
    return Ok();
}

Result<void> CheckNoCommentsIn(xmlNodePtr signed_element, std::string_view what) {
    std::vector<xmlNodePtr> stack{signed_element};
    while (!stack.empty()) {
        xmlNodePtr n = stack.back();
        stack.pop_back();
        if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE) {
            return Fail(ErrorCode::kInvalidArgument,
                        std::string(what) + ": <" + std::string(NodeName(signed_element)) +
                            "> holds a comment or processing instruction, which the signature "
                            "does not cover",
                        "xml.comment_in_signed");
        }
        for (xmlNodePtr c = n->children; c != nullptr; c = c->next) {
            stack.push_back(c);
        }
    }
    return Ok();
}

}  // namespace todoke::signing::detail
