#include <functional>

#include "crypto.hpp"
#include "dsig.hpp"
#include "package_layout.hpp"
#include "plain_kousei.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/signing/applicant_signature.hpp"
#include "xml_util.hpp"

namespace todoke::signing {
namespace {

using namespace detail;

// The SHA-256 digest of a form file of the folder, by name (the digest, not the bytes: a file
// is hashed where it lies instead of being copied out first).
using FileLookup = std::function<Result<std::string>(std::string_view name)>;

Unexpected KouseiFail(std::string_view check, const std::string& message) {
    return Fail(ErrorCode::kInvalidArgument, message, "kousei." + std::string(check));
}

std::vector<std::string> SignatureIds(const ApplicantSignOptions& options, std::size_t count,
                                      TimePoint now) {
    if (!options.signature_ids.empty()) {
        return options.signature_ids;
    }
    const std::string stamp = FormatJstCompact(now);
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < count; ++i) {
        ids.push_back(i == 0 ? stamp : stamp + "_" + std::to_string(i + 1));
    }
    return ids;
}

Unexpected FormFileFail(std::string_view what) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(what) + ": <申請書ファイル名称> must be a plain file name",
                "kousei.申請書ファイル名称");
}

// The first Reference: <構成情報> by its ID, with the C14N transform.
SignatureSpec KouseiSpec(std::string_view canonical, const ApplicantSignOptions& options) {
    SignatureSpec spec;
    spec.c14n_method = kC14n10;
    spec.references.push_back(
        {options.literal_kousei_uri ? "#" + std::string(kKousei) : "#" + PercentEncode(kKousei),
         {kC14n10},
         Sha256(canonical)});
    return spec;
}

// One Reference per 申請書XML, over the file's raw bytes.
Result<void> AddFormReference(SignatureSpec& spec, std::string_view name, const FileLookup& lookup,
                              std::string_view what) {
    if (!IsPlainFileName(name)) {
        return FormFileFail(what);
    }
    auto digest = lookup(name);
    if (!digest) {
        return Fail(ErrorCode::kInvalidArgument,
                    std::string(what) + ": kousei lists the form file \"" + std::string(name) +
                        "\" but the package has no such file",
                    "kousei.申請書ファイル名称");
    }
    spec.references.push_back({PercentEncode(name), {}, std::move(*digest)});
    return {};
}

// One <Signature> per key, each with its Id, concatenated.
Result<std::string> SignEach(SignatureSpec& spec, std::span<const SigningKey> keys,
                             const std::vector<std::string>& ids) {
    std::string signatures;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        spec.id = ids[i];
        TODOKE_ASSIGN_OR_RETURN(std::string sig, BuildSignature(spec, keys[i]));
        signatures += sig;
    }
    return signatures;
}

Result<std::string> SignKouseiWith(std::string_view kousei_xml, const FileLookup& lookup,
                                   std::span<const SigningKey> keys, TimePoint now,
                                   const ApplicantSignOptions& options, std::string_view what) {
    if (keys.empty()) {
        return Fail(ErrorCode::kInvalidArgument, "no signing key given", "certificate.missing");
    }
    const auto ids = SignatureIds(options, keys.size(), now);
    if (ids.size() != keys.size()) {
        return Fail(ErrorCode::kInvalidArgument, "one signature Id per key is needed",
                    "signature.id");
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (ids[i].empty() || ids[i] == kKousei ||
            std::find(ids.begin(), ids.begin() + static_cast<long>(i), ids[i]) !=
                ids.begin() + static_cast<long>(i)) {
            return Fail(ErrorCode::kInvalidArgument, "signature Ids must be non-empty and unique",
                        "signature.id");
        }
    }
    for (const auto& key : keys) {
        TODOKE_RETURN_IF_ERROR(key.CheckUsableAt(now));
    }

    // The kousei todoke renders is read without a tree; any other goes the general way.
    if (auto plain = ReadPlainKousei(kousei_xml, options.xml_limits)) {
        SignatureSpec spec = KouseiSpec(plain->canonical, options);
        for (std::string_view name : plain->form_files) {
            TODOKE_RETURN_IF_ERROR(AddFormReference(spec, name, lookup, what));
        }
        TODOKE_ASSIGN_OR_RETURN(std::string signatures, SignEach(spec, keys, ids));
        std::string out;
        out.reserve(kousei_xml.size() + signatures.size() + 32);
        out += kousei_xml.substr(0, plain->signature_begin);
        out += "<署名情報>";
        out += signatures;
        out += "</署名情報>";
        out += kousei_xml.substr(plain->signature_end);
        return out;
    }

    TODOKE_ASSIGN_OR_RETURN(XmlDoc doc, ParseUntrusted(kousei_xml, options.xml_limits, what));
    xmlNodePtr root = xmlDocGetRootElement(doc.get());
    if (!IsElement(root, "", "DataRoot")) {
        return KouseiFail("structure", std::string(what) + ": the root element must be DataRoot");
    }
    xmlNodePtr kousei = nullptr;
    xmlNodePtr placeholder = nullptr;
    for (xmlNodePtr child : ElementChildren(root)) {
        if (IsElement(child, "", kKousei)) {
            if (kousei != nullptr) {
                return KouseiFail("structure", std::string(what) + ": more than one <構成情報>");
            }
            kousei = child;
        } else if (IsElement(child, "", kSignatureInfo)) {
            if (placeholder != nullptr || kousei == nullptr) {
                return KouseiFail("structure", std::string(what) +
                                                   ": <署名情報> must appear once, after "
                                                   "<構成情報>");
            }
            placeholder = child;
        }
    }
    std::string id;
    if (kousei == nullptr || !GetAttribute(kousei, "ID", id) || id != kKousei) {
        return KouseiFail("structure",
                          std::string(what) + ": there is no <構成情報 ID=\"構成情報\">");
    }
    if (placeholder != nullptr && !IsEmptyElement(placeholder)) {
        return KouseiFail("already_signed", std::string(what) +
                                                ": <署名情報> is not empty; the package is "
                                                "already signed");
    }

    TODOKE_ASSIGN_OR_RETURN(std::string canonical, CanonicalizeSubtree(doc.get(), kousei, false));
    SignatureSpec spec = KouseiSpec(canonical, options);
    for (xmlNodePtr attr : ElementChildren(kousei)) {
        if (!IsElement(attr, "", "申請書属性情報")) {
            continue;
        }
        for (xmlNodePtr item : ElementChildren(attr)) {
            if (!IsElement(item, "", "申請書ファイル名称")) {
                continue;
            }
            auto name = SimpleText(item, what);
            if (!name) {
                return FormFileFail(what);
            }
            TODOKE_RETURN_IF_ERROR(AddFormReference(spec, *name, lookup, what));
        }
    }

    TODOKE_ASSIGN_OR_RETURN(std::string signatures, SignEach(spec, keys, ids));
    if (placeholder == nullptr) {
        placeholder = xmlNewDocNode(
            doc.get(), nullptr,
            reinterpret_cast<const xmlChar*>(std::string(kSignatureInfo).c_str()), nullptr);
        if (placeholder == nullptr || xmlAddNextSibling(kousei, placeholder) == nullptr) {
            xmlFreeNode(placeholder);
            return Fail(ErrorCode::kInternal, "libxml2: cannot add <署名情報>");
        }
    } else {
        while (placeholder->children != nullptr) {
            xmlNodePtr c = placeholder->children;
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        }
    }
    return SerializeWithSignatures(doc.get(), placeholder, signatures);
}

}  // namespace

Result<std::string> SignKousei(std::string_view kousei_xml, const FileMap& folder_files,
                               std::span<const SigningKey> keys, TimePoint now,
                               const ApplicantSignOptions& options) {
    const FileLookup lookup = [&](std::string_view name) -> Result<std::string> {
        const auto it = folder_files.find(name);
        if (it == folder_files.end()) {
            return Fail(ErrorCode::kNotFound, std::string(name));
        }
        return Sha256(it->second);
    };
    return SignKouseiWith(kousei_xml, lookup, keys, now, options, "kousei.xml");
}

Result<SignedPackage> SignApplicationPackage(std::string_view zip_bytes,
                                             std::span<const SigningKey> keys, TimePoint now,
                                             const ZipLimits& zip_limits,
                                             const ApplicantSignOptions& options) {
    TODOKE_ASSIGN_OR_RETURN(ZipReader reader, ZipReader::Open(zip_bytes, zip_limits));
    SignedPackage out;
    TODOKE_ASSIGN_OR_RETURN(out.folders, ApplicationFolders(reader));
    std::vector<ZipWriteEntry> replacements;
    for (const auto& folder : out.folders) {
        const std::string name = folder + "kousei.xml";
        TODOKE_ASSIGN_OR_RETURN(std::string kousei, reader.Read(name));
        const FileLookup lookup = [&](std::string_view file) -> Result<std::string> {
            TODOKE_ASSIGN_OR_RETURN(std::string bytes, reader.Read(folder + std::string(file)));
            return Sha256(bytes);
        };
        TODOKE_ASSIGN_OR_RETURN(std::string signed_kousei,
                                SignKouseiWith(kousei, lookup, keys, now, options, name));
        replacements.push_back({name, std::move(signed_kousei)});
    }
    TODOKE_ASSIGN_OR_RETURN(out.zip, ReplaceZipEntries(zip_bytes, replacements));
    return out;
}

}  // namespace todoke::signing
