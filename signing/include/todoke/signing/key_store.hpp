// Key store: loads a signer's private key and certificate, and checks that they may sign.
//
// A SigningKey holds an RSA private key and its X.509 certificate. It is immutable and may be
// used from several threads at once. Private key material never leaves it (no accessor returns
// it) and no error message contains it or its password.
//
// Passwords come from an environment variable or a file (ReadPasswordFromEnv/File), never from a
// command-line argument, where every user of the machine could read them.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"

namespace todoke::signing {

struct CertificateInfo {
    std::string subject;  // RFC 2253, e.g. "CN=Demo Sharoushi,O=Demo Office,C=JP"
    std::string issuer;
    std::string serial_hex;
    TimePoint not_before;
    TimePoint not_after;
    std::string sha256_fingerprint;  // hex, lower case
    int rsa_bits = 0;
};

class SigningKey {
  public:
    struct Impl;  // private: key and certificate handles
    explicit SigningKey(std::shared_ptr<const Impl> impl);

    const CertificateInfo& certificate() const;
    // Whole days from `now` until the certificate expires (negative once it has).
    long DaysUntilExpiry(TimePoint now) const;
    // Fails when the certificate is not valid at `now` (field "certificate.expired" or
    // "certificate.not_yet_valid") or its key usage forbids digital signatures
    // ("certificate.key_usage").
    Result<void> CheckUsableAt(TimePoint now) const;

    const Impl& impl() const { return *impl_; }

  private:
    std::shared_ptr<const Impl> impl_;
};

// PKCS#12 (.p12/.pfx) holding one RSA key and its certificate. Older files protected with
// RC2/3DES are read through OpenSSL's legacy provider when it is installed.
Result<SigningKey> LoadPkcs12(const std::filesystem::path& path, std::string_view password);
// PEM private key (optionally encrypted with `password`) and PEM certificate.
Result<SigningKey> LoadPem(const std::filesystem::path& key_path,
                           const std::filesystem::path& cert_path, std::string_view password);

// The value of environment variable `name`; fails when it is unset.
Result<std::string> ReadPasswordFromEnv(const std::string& name);
// The first line of the file (without its line break).
Result<std::string> ReadPasswordFromFile(const std::filesystem::path& path);

}  // namespace todoke::signing
