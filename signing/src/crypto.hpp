// Private OpenSSL helpers of the signing module.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>
#include <string_view>

#include "todoke/common/c_handle.hpp"
#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"
#include "todoke/signing/key_store.hpp"

namespace todoke::signing::detail {

using EvpPkey = CHandle<EVP_PKEY, &EVP_PKEY_free>;
using X509Ptr = CHandle<X509, &X509_free>;
// sk_X509_free is a macro in OpenSSL 3; this frees the stack only, not the certificates.
inline void FreeX509Stack(STACK_OF(X509) * stack) { sk_X509_free(stack); }
using X509Stack = CHandle<STACK_OF(X509), &FreeX509Stack>;

// Raw 32-byte SHA-256.
std::string Sha256(std::string_view data);
// Constant-time comparison (sizes compared first; they are not secret).
bool ConstantTimeEqual(std::string_view a, std::string_view b);

// RSA PKCS#1 v1.5 over SHA-256 of `data`.
Result<std::string> RsaSha256Sign(EVP_PKEY* key, std::string_view data);
bool RsaSha256Verify(EVP_PKEY* key, std::string_view data, std::string_view signature);

// The text of OpenSSL's most recent error, and clears the queue.
std::string OpenSslError();

Result<X509Ptr> CertificateFromDer(std::string_view der);
std::string CertificateDer(X509* cert);
CertificateInfo DescribeCertificate(X509* cert);
// True when the certificate has no keyUsage extension or one that includes digitalSignature.
bool AllowsDigitalSignature(X509* cert);
// Validity at `now`; fields certificate.expired / certificate.not_yet_valid.
Result<void> CheckValidityAt(X509* cert, TimePoint now, std::string_view who);

}  // namespace todoke::signing::detail
