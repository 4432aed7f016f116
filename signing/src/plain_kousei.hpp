// The signer's fast path for kousei.xml in the plain shape todoke's own renderer writes: a
// scanner that reads such a document in one pass, without building a tree, and writes the C14N
// 1.0 form of <構成情報> as it goes. Signing a rendered package otherwise parses the kousei with
// libxml2, canonicalises the subtree and serialises the whole document again, which costs
// about a fifth of an RSA signature.
//
// The scanner accepts only a subset of XML whose canonical form it can write without doubt,
// and declines (returns nothing) for everything else, so that the caller takes the general
// libxml2 path, which also reports every error. Accepted: the exact UTF-8 XML declaration;
// processing instructions and whitespace before the root; a root <DataRoot> without attributes;
// elements with names of ASCII letters, digits, '_', '-', '.' or kana and kanji, with at most
// one attribute (no namespace, no xml:*), written `<n>`, `<n/>` or `<n a="v">`; text without
// '>', CR or control characters, whose only references are &amp; &lt; &gt; &quot; &apos;;
// exactly one <構成情報 ID="構成情報"> child of the root, and at most one empty <署名情報>
// after it; nothing but whitespace after the root. Declined besides: comments, CDATA,
// DOCTYPE, character references, a byte order mark, malformed UTF-8, U+FFFE/U+FFFF, a
// document over the limits, a <申請書ファイル名称> that is not a plain file name.
//
// Why these give the canonical form: the root declares no namespace and no xml:* attribute,
// so nothing is inherited into the subtree; one attribute needs no sorting; an empty-element
// tag becomes a start and an end tag; &quot; and &apos; in text become the characters; the
// other references are written as C14N writes them; text holds nothing C14N would escape
// differently. Tests sign varied documents on both paths and verify each with the libxml2
// verifier.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "todoke/signing/limits.hpp"

namespace todoke::signing::detail {

struct PlainKousei {
    std::string canonical;                     // C14N 1.0 of <構成情報>
    std::vector<std::string_view> form_files;  // each <申請書ファイル名称>, in order
    // Bytes of the document that the filled <署名情報> replaces: the empty placeholder, or an
    // empty range right after </構成情報> when there is none.
    std::size_t signature_begin = 0;
    std::size_t signature_end = 0;
};

// Reads `xml` if it has the plain shape above; nothing otherwise. The views point into `xml`.
std::optional<PlainKousei> ReadPlainKousei(std::string_view xml, const XmlLimits& limits);

}  // namespace todoke::signing::detail
