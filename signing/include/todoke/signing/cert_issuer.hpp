// Certificates made by todoke itself: the simulator's TLS server certificate and its demo 官職
// (OfficialStatusCA-style) certificate, and the test PKI. Not for production trust: real
// certificates come from real CAs. RSA keys, SHA-256 signatures, random 128-bit serials.
#pragma once

#include <string>
#include <vector>

#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"

namespace todoke::signing {

enum class CertificateUsage {
    kCa,               // basicConstraints CA:TRUE critical; keyCertSign, cRLSign
    kSigning,          // digitalSignature, nonRepudiation (critical), as applicant and 官職 certs
    kServer,           // digitalSignature, keyEncipherment; extendedKeyUsage serverAuth
    kKeyEncipherment,  // keyEncipherment only (a certificate that must not sign)
    kNoKeyUsage,       // no keyUsage extension at all
};

struct CertificateRequest {
    std::string common_name;
    std::string organizational_unit;  // e.g. "DemoOfficialStatusCA"
    std::string organization;         // e.g. "Japanese Government"
    CertificateUsage usage = CertificateUsage::kSigning;
    bool critical_policies = false;              // certificatePolicies marked critical (GPKI style)
    std::vector<std::string> subject_alt_names;  // "DNS:localhost", "IP:127.0.0.1"
    TimePoint not_before;
    TimePoint not_after;
    std::string key_pem;  // the subject's private key (PEM); empty: a new key of rsa_bits
    int rsa_bits = 2048;
};

struct IssuedCertificate {
    std::string cert_pem;
    std::string key_pem;  // unencrypted PKCS#8 PEM: keep it out of logs and shared folders
};

// Self-signed when `issuer` is null. Fails (field "certificate") for an unreadable key or an
// extension OpenSSL refuses.
Result<IssuedCertificate> IssueCertificate(const CertificateRequest& request,
                                           const IssuedCertificate* issuer);

}  // namespace todoke::signing
