#include "todoke/signing/limits.hpp"

namespace todoke::signing {

Result<void> ReadConfig(ConfigNode& s, XmlLimits& l) {
    TODOKE_RETURN_IF_ERROR(s.Read("max_bytes", l.max_bytes, 1024, 1ull << 30));
    TODOKE_RETURN_IF_ERROR(s.Read("max_depth", l.max_depth, 8, 256));
    TODOKE_RETURN_IF_ERROR(s.Read("max_nodes", l.max_nodes, 100, 100'000'000));
    return Ok();
}

Result<void> ReadConfig(ConfigNode& s, SignatureLimits& l) {
    TODOKE_RETURN_IF_ERROR(s.Read("max_signatures", l.max_signatures, 1, 999));
    TODOKE_RETURN_IF_ERROR(s.Read("max_references", l.max_references, 2, 1000));
    TODOKE_RETURN_IF_ERROR(s.Read("max_transforms", l.max_transforms, 1, 5));
    TODOKE_RETURN_IF_ERROR(s.Read("max_certificates", l.max_certificates, 1, 16));
    TODOKE_RETURN_IF_ERROR(s.Read("min_rsa_bits", l.min_rsa_bits, 1024, 16384));
    return Ok();
}

}  // namespace todoke::signing
