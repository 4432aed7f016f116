#include "crypto.hpp"
#include "dsig.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/signing/official_signature.hpp"
#include "xml_util.hpp"

namespace todoke::signing {

using namespace detail;

Result<std::string> SignOfficialDocument(std::string_view doc_xml, const FileMap& attachments,
                                         const SigningKey& key, TimePoint now,
                                         const OfficialSignOptions& options) {
    TODOKE_RETURN_IF_ERROR(key.CheckUsableAt(now));
    TODOKE_ASSIGN_OR_RETURN(XmlDoc doc, ParseUntrusted(doc_xml, options.xml_limits, "鑑 XML"));
    xmlNodePtr root = xmlDocGetRootElement(doc.get());
    if (!IsElement(root, "", "DOC")) {
        return Fail(ErrorCode::kInvalidArgument, "the 鑑 XML's root must be <DOC>",
                    "official.structure");
    }
    xmlNodePtr body = nullptr;
    for (xmlNodePtr child : ElementChildren(root)) {
        std::string id;
        if (IsElement(child, "", "BODY") && GetAttribute(child, "ID", id) && id == "DOCBODY") {
            body = child;
        }
        if (IsElement(child, kDsigNs, "Signature")) {
            return Fail(ErrorCode::kInvalidArgument, "the 鑑 XML is already signed",
                        "official.already_signed");
        }
    }
    if (body == nullptr) {
        return Fail(ErrorCode::kInvalidArgument, "the 鑑 XML has no <BODY ID=\"DOCBODY\">",
                    "official.structure");
    }
    SignatureSpec spec;
    spec.id = options.signature_id;
    spec.c14n_method = options.sandbox_style ? kC14n10WithComments : kC14n10;
    TODOKE_ASSIGN_OR_RETURN(std::string canonical, CanonicalizeSubtree(doc.get(), body, false));
    spec.references.push_back({"#DOCBODY",
                               options.sandbox_style
                                   ? std::vector<std::string_view>{kEnvelopedSignature}
                                   : std::vector<std::string_view>{kC14n10},
                               Sha256(canonical)});
    for (const auto& [name, bytes] : attachments) {
        if (!IsPlainFileName(name)) {
            return Fail(ErrorCode::kInvalidArgument,
                        "attachment \"" + name + "\" is not a plain file name",
                        "official.attachment");
        }
        spec.references.push_back({PercentEncode(name), {}, Sha256(bytes)});
    }
    TODOKE_ASSIGN_OR_RETURN(std::string signature, BuildSignature(spec, key));
    // The enveloped signature is the last child of <DOC>.
    return SerializeWithSignatures(doc.get(), root, signature);
}

}  // namespace todoke::signing
