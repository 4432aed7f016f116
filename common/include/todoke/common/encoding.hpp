// Byte encodings used on the wire and in signatures: Base64 (standard alphabet), URI
// percent-encoding, hex, and character-set checks. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "todoke/common/result.hpp"

namespace todoke {

// Standard-alphabet Base64 with padding and no line breaks.
std::string Base64Encode(std::string_view bytes);
// Decodes standard Base64; whitespace (space, tab, CR, LF) between groups is skipped, as
// XML signatures and MIME wrap it. Anything else that is not Base64 is an error.
Result<std::string> Base64Decode(std::string_view text);

// Base64url (RFC 4648 §5: '-' and '_'), without padding, as OAuth and PKCE use it.
std::string Base64UrlEncode(std::string_view bytes);

// Percent-encodes every byte outside RFC 3986 "unreserved" (A-Z a-z 0-9 - . _ ~) as %XX with
// upper-case hex, e.g. "構成情報" -> "%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1".
std::string PercentEncode(std::string_view bytes);
// Decodes %XX sequences; a '%' not followed by two hex digits is an error.
Result<std::string> PercentDecode(std::string_view text);

std::string HexEncode(std::string_view bytes, bool upper = false);
// Upper- or lower-case hex digits, two per byte.
Result<std::string> HexDecode(std::string_view hex);

bool IsValidUtf8(std::string_view bytes);

// Converts CP932 (Windows Shift_JIS) bytes to UTF-8. Fails on bytes that are not CP932.
Result<std::string> Cp932ToUtf8(std::string_view bytes);

}  // namespace todoke
