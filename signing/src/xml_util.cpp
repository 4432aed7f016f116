#include "xml_util.hpp"

#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/xmlsave.h>

#include <cstring>
#include <unordered_set>

#include "todoke/common/encoding.hpp"

namespace todoke::signing::detail {
namespace {

using ParserCtxt = CHandle<xmlParserCtxt, &xmlFreeParserCtxt>;

Unexpected XmlFail(std::string_view check, std::string_view what, const std::string& message) {
    return Fail(ErrorCode::kInvalidArgument, std::string(what) + ": " + message,
                "xml." + std::string(check));
}

std::string AsciiLower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

// The encoding named in the XML declaration, or "" when there is none.
std::string DeclaredEncoding(std::string_view bytes) {
    if (bytes.substr(0, 5) != "<?xml") {
        return {};
    }
    const std::size_t end = bytes.find("?>");
    if (end == std::string_view::npos) {
        return {};
    }
    const std::string_view decl = bytes.substr(0, end);
    const std::size_t pos = decl.find("encoding");
    if (pos == std::string_view::npos) {
        return {};
    }
    std::size_t q = decl.find_first_of("\"'", pos);
    if (q == std::string_view::npos) {
        return "?";
    }
    const char quote = decl[q];
    const std::size_t close = decl.find(quote, q + 1);
    if (close == std::string_view::npos) {
        return "?";
    }
    return std::string(decl.substr(q + 1, close - q - 1));
}

int WriteToString(void* context, const char* buffer, int len) {
    static_cast<std::string*>(context)->append(buffer, static_cast<std::size_t>(len));
    return len;
}

int VisibleInSubtree(void* apex, xmlNodePtr node, xmlNodePtr parent) {
    // Namespace nodes are xmlNs structs whose `type` sits where xmlNode's does; their element
    // is `parent`. Attributes share xmlNode's layout up to `parent`.
    const xmlNode* n = node->type == XML_NAMESPACE_DECL ? parent : node;
    for (; n != nullptr; n = n->parent) {
        if (n == apex) {
            return 1;
        }
    }
    return 0;
}

bool IsIdAttribute(const xmlAttr* a) {
    const auto* name = reinterpret_cast<const char*>(a->name);
    if (a->ns == nullptr) {
        return std::strcmp(name, "ID") == 0 || std::strcmp(name, "Id") == 0 ||
               std::strcmp(name, "id") == 0;
    }
    return std::strcmp(name, "id") == 0 && std::strcmp(reinterpret_cast<const char*>(a->ns->href),
                                                       "http://www.w3.org/XML/1998/namespace") == 0;
}

}  // namespace

Result<XmlDoc> ParseUntrusted(std::string_view bytes, const XmlLimits& limits,
                              std::string_view what) {
    if (bytes.size() > limits.max_bytes) {
        return XmlFail("too_large", what,
                       std::to_string(bytes.size()) + " bytes exceed the limit of " +
                           std::to_string(limits.max_bytes));
    }
    if (bytes.size() >= 2 && ((bytes[0] == '\xFE' && bytes[1] == '\xFF') ||
                              (bytes[0] == '\xFF' && bytes[1] == '\xFE') || bytes[0] == '\0')) {
        return XmlFail("encoding", what, "UTF-16/UTF-32 documents are not accepted; use UTF-8");
    }
    std::string_view body = bytes;
    if (body.substr(0, 3) == "\xEF\xBB\xBF") {
        body.remove_prefix(3);
    }
    const std::string declared = AsciiLower(DeclaredEncoding(body));
    if (!declared.empty() && declared != "utf-8" && declared != "utf8") {
        return XmlFail("encoding", what,
                       "the XML declaration names encoding \"" + declared +
                           "\"; only UTF-8 is "
                           "accepted");
    }
    if (!IsValidUtf8(body)) {
        return XmlFail("encoding", what, "the bytes are not valid UTF-8");
    }
    // A DOCTYPE can only bring danger (entities, external subsets) and e-Gov documents have none.
    if (body.find("<!DOCTYPE") != std::string_view::npos ||
        body.find("<!ENTITY") != std::string_view::npos) {
        return XmlFail("doctype", what, "a DOCTYPE or entity declaration is not accepted");
    }
    ParserCtxt ctxt(xmlNewParserCtxt());
    if (!ctxt) {
        return Fail(ErrorCode::kInternal, "libxml2: cannot create a parser context");
    }
    // No NOENT (it would substitute entities), no DTDLOAD/DTDATTR/DTDVALID, no XINCLUDE, no
    // HUGE, no RECOVER. NONET plus the refusing entity loader of LibraryRuntime keep libxml2
    // off files and the network.
    constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    XmlDoc doc(xmlCtxtReadMemory(ctxt.get(), body.data(), static_cast<int>(body.size()),
                                 "untrusted.xml", "UTF-8", kOptions));
    if (!doc || !ctxt->wellFormed) {
        const xmlError* err = xmlCtxtGetLastError(ctxt.get());
        std::string msg = "not well-formed XML";
        if (err != nullptr && err->message != nullptr) {
            std::string lib = err->message;
            while (!lib.empty() && (lib.back() == '\n' || lib.back() == ' ')) {
                lib.pop_back();
            }
            msg += " (line " + std::to_string(err->line) + ": " + lib + ")";
        }
        return XmlFail("malformed", what, msg);
    }
    if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
        return XmlFail("doctype", what, "a DOCTYPE is not accepted");
    }
    return doc;
}

Result<void> PreWalk(xmlDocPtr doc, const XmlLimits& limits, const IdPolicy& policy,
                     std::string_view what) {
    std::unordered_set<std::string> ids;
    std::uint64_t nodes = 0;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root == nullptr) {
        return XmlFail("malformed", what, "the document has no root element");
    }
    // Iterative depth-first walk; depth counts elements from the root (1).
    xmlNodePtr node = root;
    std::uint64_t depth = 1;
    while (node != nullptr) {
        if (++nodes > limits.max_nodes) {
            return XmlFail("too_large", what,
                           "more than " + std::to_string(limits.max_nodes) + " nodes");
        }
        switch (node->type) {
            case XML_ENTITY_REF_NODE:
            case XML_ENTITY_NODE:
            case XML_XINCLUDE_START:
            case XML_XINCLUDE_END:
                return XmlFail("forbidden_node", what, "entity references are not accepted");
            case XML_ELEMENT_NODE: {
                if (depth > limits.max_depth) {
                    return XmlFail("too_deep", what,
                                   "elements nest deeper than " + std::to_string(limits.max_depth) +
                                       " levels");
                }
                if (NodeNs(node) == "http://www.w3.org/2001/XInclude" ||
                    NodeNs(node) == "http://www.w3.org/2003/XInclude") {
                    return XmlFail("forbidden_node", what, "XInclude is not accepted");
                }
                for (xmlAttrPtr a = node->properties; a != nullptr; a = a->next) {
                    if (++nodes > limits.max_nodes) {
                        return XmlFail("too_large", what,
                                       "more than " + std::to_string(limits.max_nodes) + " nodes");
                    }
                    if (!IsIdAttribute(a)) {
                        continue;
                    }
                    const std::string_view attr = reinterpret_cast<const char*>(a->name);
                    if (!policy(node, attr)) {
                        return XmlFail("unexpected_id", what,
                                       "attribute " + std::string(attr) + " on <" +
                                           std::string(NodeName(node)) +
                                           "> is not where this profile allows an ID");
                    }
                    xmlChar* v = xmlNodeListGetString(doc, a->children, 1);
                    std::string value = v != nullptr ? reinterpret_cast<const char*>(v) : "";
                    xmlFree(v);
                    if (!ids.insert(value).second) {
                        return XmlFail("duplicate_id", what,
                                       "the ID value \"" + value + "\" appears more than once");
                    }
                }
                break;
            }
            default:
                break;
        }
        if (node->type == XML_ELEMENT_NODE && node->children != nullptr) {
            node = node->children;
            ++depth;
            continue;
        }
        while (node != nullptr && node->next == nullptr) {
            node = node->parent;
            --depth;
            if (node == root || node == nullptr || node->type == XML_DOCUMENT_NODE) {
                node = nullptr;
            }
        }
        if (node != nullptr) {
            node = node->next;
        }
    }
    return Ok();
}

std::string_view NodeName(const xmlNode* node) {
    return node->name != nullptr ? reinterpret_cast<const char*>(node->name) : "";
}

std::string_view NodeNs(const xmlNode* node) {
    return node->ns != nullptr && node->ns->href != nullptr
               ? reinterpret_cast<const char*>(node->ns->href)
               : "";
}

bool IsElement(const xmlNode* node, std::string_view ns, std::string_view local_name) {
    return node != nullptr && node->type == XML_ELEMENT_NODE && NodeName(node) == local_name &&
           NodeNs(node) == ns;
}

std::vector<xmlNodePtr> ElementChildren(xmlNodePtr node) {
    std::vector<xmlNodePtr> out;
    for (xmlNodePtr c = node->children; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            out.push_back(c);
        }
    }
    return out;
}

bool HasOnlyElementChildren(xmlNodePtr node) {
    for (xmlNodePtr c = node->children; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            continue;
        }
        if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) {
            continue;
        }
        return false;
    }
    return true;
}

bool IsEmptyElement(xmlNodePtr node) {
    for (xmlNodePtr c = node->children; c != nullptr; c = c->next) {
        if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) {
            continue;
        }
        return false;
    }
    return true;
}

Result<std::string> SimpleText(xmlNodePtr node, std::string_view what) {
    std::string out;
    for (xmlNodePtr c = node->children; c != nullptr; c = c->next) {
        if (c->type != XML_TEXT_NODE) {
            return Fail(
                ErrorCode::kInvalidArgument,
                std::string(what) + ": <" + std::string(NodeName(node)) + "> must hold text only",
                "signature.structure");
        }
        out += reinterpret_cast<const char*>(c->content);
    }
    return out;
}

bool GetAttribute(xmlNodePtr node, std::string_view name, std::string& value) {
    for (xmlAttrPtr a = node->properties; a != nullptr; a = a->next) {
        if (a->ns == nullptr && reinterpret_cast<const char*>(a->name) == name) {
            xmlChar* v = xmlNodeListGetString(node->doc, a->children, 1);
            value = v != nullptr ? reinterpret_cast<const char*>(v) : "";
            xmlFree(v);
            return true;
        }
    }
    return false;
}

std::size_t AttributeCount(xmlNodePtr node) {
    std::size_t n = 0;
    for (xmlAttrPtr a = node->properties; a != nullptr; a = a->next) {
        ++n;
    }
    return n;
}

Result<std::string> CanonicalizeSubtree(xmlDocPtr doc, xmlNodePtr apex, bool with_comments) {
    std::string out;
    xmlOutputBufferPtr buf = xmlOutputBufferCreateIO(WriteToString, nullptr, &out, nullptr);
    if (buf == nullptr) {
        return Fail(ErrorCode::kInternal, "libxml2: cannot create a C14N buffer");
    }
    const int rc = xmlC14NExecute(doc, VisibleInSubtree, apex, XML_C14N_1_0, nullptr,
                                  with_comments ? 1 : 0, buf);
    xmlOutputBufferClose(buf);  // frees buf
    if (rc < 0) {
        return Fail(ErrorCode::kInternal, "libxml2: C14N failed");
    }
    return out;
}

Result<std::string> DumpDocument(xmlDocPtr doc) {
    xmlChar* mem = nullptr;
    int size = 0;
    xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
    if (mem == nullptr) {
        return Fail(ErrorCode::kInternal, "libxml2: cannot serialise document");
    }
    std::string out(reinterpret_cast<const char*>(mem), static_cast<std::size_t>(size));
    xmlFree(mem);
    return out;
}

}  // namespace todoke::signing::detail
