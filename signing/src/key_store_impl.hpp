// The private half of SigningKey and TrustStore.
#pragma once

#include <openssl/x509_vfy.h>

#include <string>
#include <vector>

#include "crypto.hpp"
#include "todoke/signing/key_store.hpp"
#include "todoke/signing/trust_store.hpp"

namespace todoke::signing {

struct SigningKey::Impl {
    detail::EvpPkey key;
    detail::X509Ptr cert;
    std::string cert_der_base64;
    CertificateInfo info;
};

using X509StoreHandle = CHandle<X509_STORE, &X509_STORE_free>;

struct TrustStore::Impl {
    X509StoreHandle store;
    std::vector<CertificateInfo> anchors;
};

}  // namespace todoke::signing

namespace todoke::signing::detail {

// Verifies that `leaf` chains to an anchor of `trust` at `now`. Certificates in `untrusted`
// (from the signature's KeyInfo) may serve as intermediates but are never anchors. Fields:
// certificate.untrusted, certificate.expired, certificate.not_yet_valid, certificate.invalid.
Result<void> VerifyChain(const TrustStore& trust, X509* leaf, STACK_OF(X509) * untrusted,
                         TimePoint now);

}  // namespace todoke::signing::detail
