#include "todoke/common/digest.hpp"

#include <openssl/sha.h>

namespace todoke {

std::string Sha256(std::string_view bytes) {
    std::string out(SHA256_DIGEST_LENGTH, '\0');
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
           reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

std::string Sha256Hex(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    const std::string raw = Sha256(bytes);
    std::string out;
    out.reserve(raw.size() * 2);
    for (const char c : raw) {
        const auto b = static_cast<unsigned char>(c);
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 0x0F]);
    }
    return out;
}

}  // namespace todoke
