// Private libxml2 helpers of the signing module: safe parsing of untrusted XML, a pre-walk
// that enforces limits and registers ID attributes, small tree accessors that match on
// namespace URI and local name (never on prefixes), and C14N 1.0 of a subtree.
#pragma once

#include <libxml/tree.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "todoke/common/c_handle.hpp"
#include "todoke/common/result.hpp"
#include "todoke/signing/limits.hpp"

namespace todoke::signing::detail {

using XmlDoc = CHandle<xmlDoc, &xmlFreeDoc>;

inline constexpr std::string_view kDsigNs = "http://www.w3.org/2000/09/xmldsig#";

// Parses bytes from outside. Refuses (field "xml.<check>"): more than max_bytes (too_large), a
// UTF-16/32 byte order mark or an encoding declaration other than UTF-8 (encoding), a DOCTYPE or
// entity declaration anywhere (doctype), bytes that are not well-formed UTF-8 XML (malformed).
// `what` names the document in messages ("4950000020325000/kousei.xml").
Result<XmlDoc> ParseUntrusted(std::string_view bytes, const XmlLimits& limits,
                              std::string_view what);

// Decides whether an ID-like attribute (ID, Id, id, xml:id) may stand on `element`.
using IdPolicy = std::function<bool(xmlNodePtr element, std::string_view attribute)>;

// Walks the whole tree once: depth and node count within limits (xml.too_deep,
// xml.too_large), no entity references or XInclude elements (xml.forbidden_node), ID-like
// attributes only where `policy` allows (xml.unexpected_id) and no ID value twice
// (xml.duplicate_id).
Result<void> PreWalk(xmlDocPtr doc, const XmlLimits& limits, const IdPolicy& policy,
                     std::string_view what);

// Element tests and accessors. ns == "" means "no namespace".
bool IsElement(const xmlNode* node, std::string_view ns, std::string_view local_name);
std::string_view NodeName(const xmlNode* node);
std::string_view NodeNs(const xmlNode* node);
// Direct element children, in document order.
std::vector<xmlNodePtr> ElementChildren(xmlNodePtr node);
// True when the node has no children other than whitespace text.
bool HasOnlyElementChildren(xmlNodePtr node);
bool IsEmptyElement(xmlNodePtr node);
// Concatenated text of the direct text children; fails if any other child exists.
Result<std::string> SimpleText(xmlNodePtr node, std::string_view what);
// Attribute without namespace; empty optional as "" plus found=false.
bool GetAttribute(xmlNodePtr node, std::string_view name, std::string& value);
// Number of attributes on the element (namespace declarations excluded).
std::size_t AttributeCount(xmlNodePtr node);

// Inclusive C14N 1.0 of the subtree rooted at `apex` (comments dropped unless with_comments),
// as the XMLDSig same-document reference "#id" and SignedInfo canonicalisation define it.
Result<std::string> CanonicalizeSubtree(xmlDocPtr doc, xmlNodePtr apex, bool with_comments);

// Serialises a whole document as UTF-8 with an XML declaration.
Result<std::string> DumpDocument(xmlDocPtr doc);

}  // namespace todoke::signing::detail
