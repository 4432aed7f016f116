#include <set>

#include "crypto.hpp"
#include "dsig.hpp"
#include "package_layout.hpp"
#include "todoke/signing/verifier.hpp"
#include "xml_util.hpp"

namespace todoke::signing {
namespace {

using namespace detail;

const Profile& KouseiProfile() {
    static const Profile profile{
        "kousei",
        {kC14n10},
        // e-Gov writes one C14N transform; without it the node-set is canonicalised by the
        // same C14N 1.0, so both forms mean the same bytes.
        {{kC14n10}, {}},
    };
    return profile;
}

Unexpected LayoutFail(const std::string& message) {
    return Fail(ErrorCode::kInvalidArgument, message, "package.layout");
}

// Reads each referenced file at most once, whichever signature asks first.
class FolderFiles {
  public:
    FolderFiles(ZipReader& reader, std::string folder)
        : reader_(reader), folder_(std::move(folder)) {}

    Result<const std::string*> Get(const std::string& name, std::string_view where) {
        if (auto it = cache_.find(name); it != cache_.end()) {
            return &it->second;
        }
        if (!reader_.Contains(folder_ + name)) {
            return SigFail("reference_uri", where,
                           "names \"" + name + "\", which is not a file of the folder " + folder_);
        }
        TODOKE_ASSIGN_OR_RETURN(std::string bytes, reader_.Read(folder_ + name));
        return &cache_.emplace(name, std::move(bytes)).first->second;
    }
    FileMap Take(const std::set<std::string>& names) {
        FileMap out;
        for (const auto& n : names) {
            out.emplace(n, std::move(cache_[n]));
        }
        return out;
    }

  private:
    ZipReader& reader_;
    std::string folder_;
    FileMap cache_;
};

Result<ApplicationReport> VerifyApplication(ZipReader& reader, const std::string& folder,
                                            const TrustStore& trust, TimePoint now,
                                            const VerifyOptions& options) {
    const std::string what = folder + "kousei.xml";
    TODOKE_ASSIGN_OR_RETURN(std::string bytes, reader.Read(what));
    TODOKE_ASSIGN_OR_RETURN(XmlDoc doc, ParseUntrusted(bytes, options.xml_limits, what));
    xmlNodePtr root = xmlDocGetRootElement(doc.get());
    const IdPolicy policy = [root](xmlNodePtr element, std::string_view attribute) {
        if (element->parent == root && attribute == "ID") {
            return IsElement(element, "", kKousei);
        }
        return attribute == "Id" && IsElement(element, kDsigNs, "Signature") &&
               element->parent != nullptr && element->parent->parent == root &&
               IsElement(element->parent, "", kSignatureInfo);
    };
    TODOKE_RETURN_IF_ERROR(PreWalk(doc.get(), options.xml_limits, policy, what));
    if (!IsElement(root, "", "DataRoot")) {
        return LayoutFail(what + ": the root is not <DataRoot>");
    }

    xmlNodePtr kousei = nullptr;
    xmlNodePtr sig_info = nullptr;
    for (xmlNodePtr child : ElementChildren(root)) {
        if (IsElement(child, "", kKousei)) {
            if (kousei != nullptr) {
                return LayoutFail(what + ": more than one <構成情報>");
            }
            kousei = child;
        } else if (IsElement(child, "", kSignatureInfo)) {
            if (sig_info != nullptr) {
                return LayoutFail(what + ": more than one <署名情報>");
            }
            if (kousei == nullptr) {
                return Fail(ErrorCode::kInvalidArgument,
                            what + ": <署名情報> must follow <構成情報>", "signature.placement");
            }
            sig_info = child;
        }
    }
    std::string id;
    if (kousei == nullptr || !GetAttribute(kousei, "ID", id) || id != kKousei) {
        return LayoutFail(what + ": there is no <構成情報 ID=\"構成情報\">");
    }
    if (sig_info == nullptr || ElementChildren(sig_info).empty()) {
        return Fail(ErrorCode::kInvalidArgument, what + ": the package is not signed",
                    "signature.missing");
    }
    if (!HasOnlyElementChildren(sig_info)) {
        return Fail(ErrorCode::kInvalidArgument,
                    what + ": <署名情報> may hold only <Signature> elements",
                    "signature.placement");
    }
    std::vector<xmlNodePtr> signatures = ElementChildren(sig_info);
    for (xmlNodePtr s : signatures) {
        if (!IsElement(s, kDsigNs, "Signature")) {
            return Fail(ErrorCode::kInvalidArgument,
                        what + ": <署名情報> holds <" + std::string(NodeName(s)) +
                            ">, which is not an XML-Signature <Signature>",
                        "signature.placement");
        }
    }
    if (signatures.size() > options.signature_limits.max_signatures) {
        return SigFail("limits", what,
                       std::to_string(signatures.size()) + " signatures exceed the limit of " +
                           std::to_string(options.signature_limits.max_signatures));
    }
    TODOKE_RETURN_IF_ERROR(CheckNoStraySignatureElements(doc.get(), signatures, what));
    TODOKE_RETURN_IF_ERROR(CheckNoCommentsIn(kousei, what));

    // Structure of every signature first, so that no crypto runs on a malformed one.
    std::vector<ParsedSignature> parsed;
    for (std::size_t i = 0; i < signatures.size(); ++i) {
        const std::string where = what + " Signature[" + std::to_string(i + 1) + "]";
        TODOKE_ASSIGN_OR_RETURN(auto sig, ParseSignature(signatures[i], KouseiProfile(),
                                                         options.signature_limits, where));
        std::size_t same_document = 0;
        for (const auto& ref : sig.references) {
            if (!ref.same_document) {
                continue;
            }
            ++same_document;
            if (ref.target != kKousei) {
                return SigFail("reference_uri", where,
                               "refers to \"#" + ref.target +
                                   "\"; only #構成情報 may be signed "
                                   "inside kousei.xml");
            }
        }
        if (same_document != 1) {
            return SigFail("reference_missing", where,
                           "must have exactly one reference to #構成情報");
        }
        parsed.push_back(std::move(sig));
    }

    ApplicationReport report;
    report.folder = folder;
    TODOKE_ASSIGN_OR_RETURN(report.kousei_canonical, CanonicalizeSubtree(doc.get(), kousei, false));
    const std::string kousei_digest = Sha256(report.kousei_canonical);
    FolderFiles files(reader, folder);
    std::set<std::string> covered_by_all;
    for (std::size_t i = 0; i < parsed.size(); ++i) {
        const auto& sig = parsed[i];
        const std::string where = what + " Signature[" + std::to_string(i + 1) + "]";
        // The signature over SignedInfo and the signer's trust are settled before any
        // reference is dereferenced.
        TODOKE_ASSIGN_OR_RETURN(
            CertificateInfo signer,
            VerifySignatureValue(doc.get(), sig, trust, options.signature_limits, now, where));
        std::set<std::string> covered;
        for (const auto& ref : sig.references) {
            const std::string rwhere = where + " Reference URI=\"" + ref.uri + "\"";
            if (ref.same_document) {
                if (!ConstantTimeEqual(ref.digest, kousei_digest)) {
                    return SigFail("digest_mismatch", rwhere,
                                   "the digest of <構成情報> does not match: kousei.xml was "
                                   "changed after signing");
                }
                continue;
            }
            TODOKE_ASSIGN_OR_RETURN(const std::string* content, files.Get(ref.target, rwhere));
            if (!ConstantTimeEqual(ref.digest, Sha256(*content))) {
                return SigFail("digest_mismatch", rwhere,
                               "the digest of " + folder + ref.target +
                                   " does not match: the file was changed after signing");
            }
            covered.insert(ref.target);
        }
        if (i == 0) {
            covered_by_all = covered;
        } else {
            std::set<std::string> both;
            for (const auto& n : covered) {
                if (covered_by_all.contains(n)) {
                    both.insert(n);
                }
            }
            covered_by_all = std::move(both);
        }
        SignatureReport sr;
        sr.id = sig.id;
        sr.signer = std::move(signer);
        for (const auto& ref : sig.references) {
            sr.references.push_back(ref.uri);
        }
        report.signatures.push_back(std::move(sr));
    }

    // Only now, from the verified <構成情報>: every form it lists must be signed by everyone.
    for (xmlNodePtr attr : ElementChildren(kousei)) {
        if (!IsElement(attr, "", "申請書属性情報")) {
            continue;
        }
        for (xmlNodePtr item : ElementChildren(attr)) {
            if (!IsElement(item, "", "申請書ファイル名称")) {
                continue;
            }
            auto name = SimpleText(item, what);
            if (!name || !covered_by_all.contains(*name)) {
                return SigFail("reference_missing", what,
                               "the form file \"" + name.value_or("?") +
                                   "\" listed in <申請書属性情報> is not covered by every "
                                   "signature");
            }
        }
    }
    for (const auto& e : reader.entries()) {
        if (e.is_directory || e.name.rfind(folder, 0) != 0) {
            continue;
        }
        const std::string name = e.name.substr(folder.size());
        if (name != "kousei.xml" && !covered_by_all.contains(name)) {
            report.unsigned_files.push_back(name);
        }
    }
    report.signed_files = files.Take(covered_by_all);
    return report;
}

}  // namespace

Result<PackageReport> VerifyApplicationPackage(std::string_view zip_bytes, const TrustStore& trust,
                                               TimePoint now, const VerifyOptions& options) {
    TODOKE_ASSIGN_OR_RETURN(ZipReader reader, ZipReader::Open(zip_bytes, options.zip_limits));
    TODOKE_ASSIGN_OR_RETURN(const auto folders, ApplicationFolders(reader));
    PackageReport report;
    for (const auto& folder : folders) {
        TODOKE_ASSIGN_OR_RETURN(auto app, VerifyApplication(reader, folder, trust, now, options));
        report.applications.push_back(std::move(app));
    }
    return report;
}

}  // namespace todoke::signing
