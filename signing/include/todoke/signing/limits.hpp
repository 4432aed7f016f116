// Limits applied to every untrusted XML document and signature before any crypto runs.
#pragma once

#include <cstdint>

#include "todoke/common/config.hpp"
#include "todoke/common/result.hpp"

namespace todoke::signing {

struct XmlLimits {
    std::uint64_t max_bytes = 8ull << 20;  // one XML file
    std::uint64_t max_depth = 64;          // element nesting
    std::uint64_t max_nodes = 1'000'000;   // elements, text, comments, attributes
};

struct SignatureLimits {
    std::uint64_t max_signatures = 99;   // 連署: CSV procedures allow up to 99 signers
    std::uint64_t max_references = 30;   // per SignedInfo
    std::uint64_t max_transforms = 5;    // per Reference
    std::uint64_t max_certificates = 4;  // per X509Data
    std::uint64_t min_rsa_bits = 2048;
};

// Reads the "xml" section (max_bytes, max_depth, max_nodes) and the "signature" section
// (max_signatures, max_references, max_transforms, max_certificates, min_rsa_bits).
Result<void> ReadConfig(ConfigNode& xml_section, XmlLimits& limits);
Result<void> ReadConfig(ConfigNode& signature_section, SignatureLimits& limits);

}  // namespace todoke::signing
