#include "todoke/signing/cert_issuer.hpp"

#include <openssl/bn.h>
#include <openssl/conf.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "todoke/common/c_handle.hpp"

namespace todoke::signing {
namespace {

using Pkey = CHandle<EVP_PKEY, &EVP_PKEY_free>;
using Cert = CHandle<X509, &X509_free>;
using Bio = CHandle<BIO, &BIO_free>;
using Conf = CHandle<CONF, &NCONF_free>;
using Ext = CHandle<X509_EXTENSION, &X509_EXTENSION_free>;
using Bignum = CHandle<BIGNUM, &BN_free>;

Result<Pkey> ReadKey(const std::string& pem) {
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) {
        return Fail(ErrorCode::kInvalidArgument, "not a readable PEM private key", "certificate");
    }
    return key;
}

Result<Cert> ReadCert(const std::string& pem) {
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        return Fail(ErrorCode::kInvalidArgument, "not a readable PEM certificate", "certificate");
    }
    return cert;
}

template <typename T, int (*Write)(BIO*, T*)>
std::string ToPem(T* object) {
    Bio bio(BIO_new(BIO_s_mem()));
    Write(bio.get(), object);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

int WriteCertPem(BIO* b, X509* c) { return PEM_write_bio_X509(b, c); }
int WriteKeyPem(BIO* b, EVP_PKEY* k) {
    return PEM_write_bio_PrivateKey(b, k, nullptr, nullptr, 0, nullptr, nullptr);
}

Result<void> AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    Conf conf(NCONF_new(nullptr));  // certificatePolicies is parsed through a config database
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509V3_set_nconf(&ctx, conf.get());
    Ext ext(X509V3_EXT_nconf_nid(conf.get(), &ctx, nid, value.c_str()));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
        return Fail(ErrorCode::kInternal, "OpenSSL refused the extension " + value, "certificate");
    }
    return Ok();
}

void AddName(X509_NAME* name, const char* field, const std::string& value) {
    if (!value.empty()) {
        X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                   0);
    }
}

}  // namespace

Result<IssuedCertificate> IssueCertificate(const CertificateRequest& request,
                                           const IssuedCertificate* issuer) {
    Pkey key;
    if (request.key_pem.empty()) {
        key.reset(EVP_RSA_gen(static_cast<unsigned>(request.rsa_bits)));
        if (!key) {
            return Fail(ErrorCode::kInternal, "RSA key generation failed", "certificate");
        }
    } else {
        TODOKE_ASSIGN_OR_RETURN(key, ReadKey(request.key_pem));
    }
    Cert cert(X509_new());
    X509_set_version(cert.get(), 2);
    unsigned char serial_bytes[16];
    RAND_bytes(serial_bytes, sizeof serial_bytes);
    serial_bytes[0] &= 0x7F;  // a positive INTEGER
    Bignum serial(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
    BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()));
    const auto to_time = [](TimePoint t) { return std::chrono::system_clock::to_time_t(t); };
    ASN1_TIME_set(X509_getm_notBefore(cert.get()), to_time(request.not_before));
    ASN1_TIME_set(X509_getm_notAfter(cert.get()), to_time(request.not_after));
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* subject = X509_get_subject_name(cert.get());
    AddName(subject, "C", "JP");
    AddName(subject, "O", request.organization);
    AddName(subject, "OU", request.organizational_unit);
    AddName(subject, "CN", request.common_name);

    Cert issuer_cert;
    Pkey issuer_key;
    X509* signer_cert = cert.get();
    EVP_PKEY* signer_key = key.get();
    if (issuer != nullptr) {
        TODOKE_ASSIGN_OR_RETURN(issuer_cert, ReadCert(issuer->cert_pem));
        TODOKE_ASSIGN_OR_RETURN(issuer_key, ReadKey(issuer->key_pem));
        signer_cert = issuer_cert.get();
        signer_key = issuer_key.get();
    }
    X509_set_issuer_name(cert.get(), X509_get_subject_name(signer_cert));
    const bool ca = request.usage == CertificateUsage::kCa;
    TODOKE_RETURN_IF_ERROR(AddExtension(cert.get(), signer_cert, NID_basic_constraints,
                                        ca ? "critical,CA:TRUE" : "CA:FALSE"));
    std::string key_usage;
    switch (request.usage) {
        case CertificateUsage::kCa:
            key_usage = "critical,keyCertSign,cRLSign";
            break;
        case CertificateUsage::kSigning:
            key_usage = "critical,digitalSignature,nonRepudiation";
            break;
        case CertificateUsage::kServer:
            key_usage = "critical,digitalSignature,keyEncipherment";
            break;
        case CertificateUsage::kKeyEncipherment:
            key_usage = "critical,keyEncipherment";
            break;
        case CertificateUsage::kNoKeyUsage:
            break;
    }
    if (!key_usage.empty()) {
        TODOKE_RETURN_IF_ERROR(AddExtension(cert.get(), signer_cert, NID_key_usage, key_usage));
    }
    if (request.usage == CertificateUsage::kServer) {
        TODOKE_RETURN_IF_ERROR(
            AddExtension(cert.get(), signer_cert, NID_ext_key_usage, "serverAuth"));
    }
    if (!request.subject_alt_names.empty()) {
        std::string names;
        for (const auto& n : request.subject_alt_names) {
            names += (names.empty() ? "" : ",") + n;
        }
        TODOKE_RETURN_IF_ERROR(AddExtension(cert.get(), signer_cert, NID_subject_alt_name, names));
    }
    if (request.critical_policies) {
        TODOKE_RETURN_IF_ERROR(
            AddExtension(cert.get(), signer_cert, NID_certificate_policies, "critical,2.999.1.1"));
    }
    if (X509_sign(cert.get(), signer_key, EVP_sha256()) == 0) {
        return Fail(ErrorCode::kInternal, "signing the certificate failed", "certificate");
    }
    return IssuedCertificate{ToPem<X509, WriteCertPem>(cert.get()),
                             ToPem<EVP_PKEY, WriteKeyPem>(key.get())};
}

}  // namespace todoke::signing
