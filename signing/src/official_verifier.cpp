#include "crypto.hpp"
#include "dsig.hpp"
#include "todoke/signing/verifier.hpp"
#include "xml_util.hpp"

namespace todoke::signing {
namespace {

using namespace detail;

const Profile& OfficialProfile() {
    // Sandbox: C14N #WithComments with an enveloped-signature transform; production: C14N 1.0
    // with a C14N transform (egov-api.md §14.2). The combinations below are the ones that mean
    // "canonicalise <BODY>"; a "#DOCBODY" reference drops comments whatever follows.
    static const Profile profile{
        "公文書",
        {kC14n10, kC14n10WithComments},
        {{kEnvelopedSignature},
         {kC14n10},
         {kC14n10WithComments},
         {kEnvelopedSignature, kC14n10},
         {kEnvelopedSignature, kC14n10WithComments},
         {}},
    };
    return profile;
}

bool EndsWithXml(const std::string& name) {
    if (name.size() < 4) {
        return false;
    }
    std::string ext = name.substr(name.size() - 4);
    for (char& c : ext) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return ext == ".xml";
}

bool HasSignatureChild(xmlNodePtr root) {
    for (xmlNodePtr c : ElementChildren(root)) {
        if (IsElement(c, kDsigNs, "Signature")) {
            return true;
        }
    }
    return false;
}

}  // namespace

Result<OfficialReport> VerifyOfficialDocument(std::string_view zip_bytes, const TrustStore& trust,
                                              TimePoint now, const VerifyOptions& options) {
    TODOKE_ASSIGN_OR_RETURN(ZipReader reader, ZipReader::Open(zip_bytes, options.zip_limits));

    // The 鑑 is the XML whose root is <DOC> with a <Signature> child. Other XML (年金機構 notices,
    // stylesheets) are attachments: only bytes that mention both are parsed here.
    std::string kagami_name;
    XmlDoc doc;
    for (const auto& e : reader.entries()) {
        if (e.is_directory || !EndsWithXml(e.name)) {
            continue;
        }
        TODOKE_ASSIGN_OR_RETURN(std::string bytes, reader.Read(e.name));
        if (bytes.find("<DOC") == std::string::npos ||
            bytes.find(std::string(kDsigNs)) == std::string::npos) {
            continue;
        }
        TODOKE_ASSIGN_OR_RETURN(XmlDoc candidate,
                                ParseUntrusted(bytes, options.xml_limits, e.name));
        xmlNodePtr root = xmlDocGetRootElement(candidate.get());
        if (!IsElement(root, "", "DOC") || !HasSignatureChild(root)) {
            continue;
        }
        if (doc) {
            return Fail(
                ErrorCode::kInvalidArgument,
                "both " + kagami_name + " and " + e.name + " are signed 鑑 documents; expected one",
                "package.layout");
        }
        kagami_name = e.name;
        doc = std::move(candidate);
    }
    if (!doc) {
        return Fail(ErrorCode::kInvalidArgument,
                    "the ZIP holds no signed 鑑 XML (<DOC> with a <Signature>)",
                    "signature.missing");
    }
    const std::string& what = kagami_name;
    const std::size_t slash = kagami_name.rfind('/');
    const std::string folder = slash == std::string::npos ? "" : kagami_name.substr(0, slash + 1);

    xmlNodePtr root = xmlDocGetRootElement(doc.get());
    const IdPolicy policy = [root](xmlNodePtr element, std::string_view attribute) {
        if (element->parent != root) {
            return false;
        }
        if (attribute == "ID") {
            return IsElement(element, "", "BODY");
        }
        return attribute == "Id" && IsElement(element, kDsigNs, "Signature");
    };
    TODOKE_RETURN_IF_ERROR(PreWalk(doc.get(), options.xml_limits, policy, what));

    xmlNodePtr body = nullptr;
    std::vector<xmlNodePtr> signatures;
    const auto children = ElementChildren(root);
    for (xmlNodePtr child : children) {
        if (IsElement(child, "", "BODY")) {
            std::string id;
            if (body != nullptr || !GetAttribute(child, "ID", id) || id != "DOCBODY") {
                return Fail(ErrorCode::kInvalidArgument,
                            what + ": <DOC> must hold exactly one <BODY ID=\"DOCBODY\">",
                            "package.layout");
            }
            body = child;
        } else if (IsElement(child, kDsigNs, "Signature")) {
            signatures.push_back(child);
        }
    }
    if (body == nullptr) {
        return Fail(ErrorCode::kInvalidArgument, what + ": <DOC> has no <BODY ID=\"DOCBODY\">",
                    "package.layout");
    }
    if (signatures.size() != 1 || signatures.front() != children.back()) {
        return Fail(ErrorCode::kInvalidArgument,
                    what + ": exactly one <Signature> is expected, as the last child of <DOC>",
                    "signature.placement");
    }
    TODOKE_RETURN_IF_ERROR(CheckNoStraySignatureElements(doc.get(), signatures, what));
    TODOKE_RETURN_IF_ERROR(CheckNoCommentsIn(body, what));

    const std::string where = what + " Signature";
    TODOKE_ASSIGN_OR_RETURN(auto sig, ParseSignature(signatures.front(), OfficialProfile(),
                                                     options.signature_limits, where));
    std::size_t same_document = 0;
    for (const auto& ref : sig.references) {
        if (!ref.same_document) {
            continue;
        }
        ++same_document;
        if (ref.target != "DOCBODY") {
            return SigFail("reference_uri", where,
                           "refers to \"#" + ref.target + "\"; only #DOCBODY may be signed");
        }
    }
    if (same_document != 1) {
        return SigFail("reference_missing", where, "must have exactly one reference to #DOCBODY");
    }
    TODOKE_ASSIGN_OR_RETURN(
        CertificateInfo signer,
        VerifySignatureValue(doc.get(), sig, trust, options.signature_limits, now, where));

    OfficialReport report;
    report.document = kagami_name;
    TODOKE_ASSIGN_OR_RETURN(report.body_canonical, CanonicalizeSubtree(doc.get(), body, false));
    FileMap files;
    for (const auto& ref : sig.references) {
        const std::string rwhere = where + " Reference URI=\"" + ref.uri + "\"";
        if (ref.same_document) {
            if (!ConstantTimeEqual(ref.digest, Sha256(report.body_canonical))) {
                return SigFail("digest_mismatch", rwhere,
                               "the digest of <BODY> does not match: the document was changed "
                               "after signing");
            }
            continue;
        }
        const std::string entry = folder + ref.target;
        if (!reader.Contains(entry)) {
            return SigFail("reference_uri", rwhere,
                           "names \"" + ref.target + "\", which is not in the ZIP");
        }
        TODOKE_ASSIGN_OR_RETURN(std::string bytes, reader.Read(entry));
        if (!ConstantTimeEqual(ref.digest, Sha256(bytes))) {
            return SigFail("digest_mismatch", rwhere,
                           "the digest of " + entry +
                               " does not match: the file was changed "
                               "after signing");
        }
        files.emplace(ref.target, std::move(bytes));
    }
    report.signature.id = sig.id;
    report.signature.signer = std::move(signer);
    for (const auto& ref : sig.references) {
        report.signature.references.push_back(ref.uri);
    }
    for (const auto& e : reader.entries()) {
        if (e.is_directory || e.name == kagami_name) {
            continue;
        }
        const bool in_folder = e.name.rfind(folder, 0) == 0;
        if (!in_folder || !files.contains(e.name.substr(folder.size()))) {
            report.unsigned_files.push_back(e.name);
        }
    }
    report.signed_files = std::move(files);
    return report;
}

}  // namespace todoke::signing
