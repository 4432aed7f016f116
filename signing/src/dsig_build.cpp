// Building signatures: the SignedInfo written in canonical form, signed, and placed into the
// document through a placeholder (see dsig.hpp).
#include <libxml/tree.h>

#include "crypto.hpp"
#include "dsig.hpp"
#include "key_store_impl.hpp"
#include "todoke/common/encoding.hpp"
#include "xml_util.hpp"

namespace todoke::signing::detail {
namespace {

void AppendMethod(std::string& out, std::string_view element, std::string_view algorithm) {
    out += '<';
    out += element;
    out += " Algorithm=\"";
    out += algorithm;
    out += "\"></";
    out += element;
    out += '>';
}

// Escapes an attribute value as C14N writes it.
std::string EscapeAttribute(std::string_view v) {
    std::string out;
    for (char c : v) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\t':
                out += "&#x9;";
                break;
            case '\n':
                out += "&#xA;";
                break;
            case '\r':
                out += "&#xD;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string SignedInfoChildren(const SignatureSpec& spec) {
    std::string out;
    AppendMethod(out, "CanonicalizationMethod", spec.c14n_method);
    AppendMethod(out, "SignatureMethod", kRsaSha256);
    for (const auto& ref : spec.references) {
        out += "<Reference URI=\"" + EscapeAttribute(ref.uri) + "\">";
        if (!ref.transforms.empty()) {
            out += "<Transforms>";
            for (auto t : ref.transforms) {
                AppendMethod(out, "Transform", t);
            }
            out += "</Transforms>";
        }
        AppendMethod(out, "DigestMethod", kSha256Uri);
        out += "<DigestValue>" + Base64Encode(ref.digest) + "</DigestValue></Reference>";
    }
    return out;
}

}  // namespace

Result<std::string> BuildSignature(const SignatureSpec& spec, const SigningKey& key) {
    const std::string children = SignedInfoChildren(spec);
    // The canonical SignedInfo carries the namespace it inherits from <Signature>.
    const std::string canonical =
        "<SignedInfo xmlns=\"" + std::string(kDsigNs) + "\">" + children + "</SignedInfo>";
    TODOKE_ASSIGN_OR_RETURN(std::string value, RsaSha256Sign(key.impl().key.get(), canonical));
    std::string out;
    out.reserve(canonical.size() + value.size() * 2 + key.impl().cert_der_base64.size() + 256);
    out += "<Signature xmlns=\"";
    out += kDsigNs;
    out += "\" Id=\"" + EscapeAttribute(spec.id) + "\"><SignedInfo>";
    out += children;
    out += "</SignedInfo><SignatureValue>";
    out += Base64Encode(value);
    out += "</SignatureValue><KeyInfo><X509Data><X509Certificate>";
    out += key.impl().cert_der_base64;
    out += "</X509Certificate></X509Data></KeyInfo></Signature>";
    return out;
}

}  // namespace todoke::signing::detail

namespace todoke::signing::detail {

Result<std::string> SerializeWithSignatures(xmlDocPtr doc, xmlNodePtr container,
                                            const std::string& signatures_xml) {
    static constexpr std::string_view kPlaceholder = "<?todoke-signature?>";
    for (xmlNodePtr n = container; n != nullptr && n->type == XML_ELEMENT_NODE; n = n->parent) {
        bool xml_attr = false;
        for (xmlAttrPtr a = n->properties; a != nullptr; a = a->next) {
            if (a->ns != nullptr) {
                xml_attr = true;
            }
        }
        if (n->nsDef != nullptr || xml_attr || n->ns != nullptr) {
            return Fail(ErrorCode::kInvalidArgument,
                        "<" + std::string(NodeName(n)) +
                            "> declares namespaces or xml:* attributes; e-Gov documents have "
                            "none and todoke does not sign inside them",
                        "signature.namespace");
        }
    }
    xmlNodePtr pi = xmlNewDocPI(doc, reinterpret_cast<const xmlChar*>("todoke-signature"), nullptr);
    if (pi == nullptr || xmlAddChild(container, pi) == nullptr) {
        xmlFreeNode(pi);
        return Fail(ErrorCode::kInternal, "libxml2: cannot insert the signature placeholder");
    }
    TODOKE_ASSIGN_OR_RETURN(std::string text, DumpDocument(doc));
    const std::size_t at = text.find(kPlaceholder);
    if (at == std::string::npos || text.find(kPlaceholder, at + 1) != std::string::npos) {
        return Fail(ErrorCode::kInvalidArgument,
                    "the document already holds a todoke-signature processing instruction",
                    "signature.structure");
    }
    text.replace(at, kPlaceholder.size(), signatures_xml);
    return text;
}

}  // namespace todoke::signing::detail
