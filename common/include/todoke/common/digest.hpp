// SHA-256 for content addressing and payload fingerprints (OpenSSL underneath).
#pragma once

#include <string>
#include <string_view>

namespace todoke {

std::string Sha256(std::string_view bytes);     // 32 raw bytes
std::string Sha256Hex(std::string_view bytes);  // 64 lower-case hex digits

}  // namespace todoke
