#include "crypto.hpp"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <mutex>
#include <unordered_map>

#include "todoke/common/encoding.hpp"

namespace todoke::signing::detail {
namespace {

using MdCtx = CHandle<EVP_MD_CTX, &EVP_MD_CTX_free>;
using Bio = CHandle<BIO, &BIO_free>;

TimePoint FromAsn1Time(const ASN1_TIME* t) {
    std::tm tm{};
    if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
        return TimePoint{};
    }
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string NameToString(const X509_NAME* name) {
    Bio bio(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

// Parsed certificates by their exact DER bytes. OpenSSL 3.0 spends about 200 µs parsing one
// certificate (its decoder framework builds the public key), and a portal sees the same
// signer certificate on every package of an office, the gateway the same 官職 certificate on
// every 公文書. The same bytes always parse to the same certificate, so a parsed one is shared
// (OpenSSL's certificates are reference counted and may be read from several threads).
// Bounded: untrusted input can only make it start over.
class CertificateCache {
  public:
    static CertificateCache& Instance() {
        static auto* cache = new CertificateCache();  // never destroyed: used during exit
        return *cache;
    }
    X509Ptr Find(std::string_view der) {
        std::lock_guard lock(mu_);
        const auto it = by_der_.find(der);
        if (it == by_der_.end()) return X509Ptr();
        X509_up_ref(it->second.get());
        return X509Ptr(it->second.get());
    }
    void Add(std::string_view der, X509* cert) {
        std::lock_guard lock(mu_);
        if (by_der_.size() >= kMaxEntries) by_der_.clear();
        X509_up_ref(cert);
        by_der_.emplace(std::string(der), X509Ptr(cert));
    }

  private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    static constexpr std::size_t kMaxEntries = 256;
    std::mutex mu_;
    std::unordered_map<std::string, X509Ptr, Hash, std::equal_to<>> by_der_;
};

}  // namespace

std::string Sha256(std::string_view data) {
    std::string out(32, '\0');
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len,
               EVP_sha256(), nullptr);
    return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string OpenSslError() {
    std::string text;
    unsigned long code = 0;
    while ((code = ERR_get_error()) != 0) {
        char buf[256];
        ERR_error_string_n(code, buf, sizeof buf);
        if (!text.empty()) {
            text += "; ";
        }
        text += buf;
    }
    return text.empty() ? "unknown OpenSSL error" : text;
}

Result<std::string> RsaSha256Sign(EVP_PKEY* key, std::string_view data) {
    MdCtx ctx(EVP_MD_CTX_new());
    std::size_t len = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len,
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
        return Fail(ErrorCode::kInternal, "RSA signing failed: " + OpenSslError());
    }
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
        return Fail(ErrorCode::kInternal, "RSA signing failed: " + OpenSslError());
    }
    sig.resize(len);
    return sig;
}

bool RsaSha256Verify(EVP_PKEY* key, std::string_view data, std::string_view signature) {
    MdCtx ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
        ERR_clear_error();
        return false;
    }
    const int rc = EVP_DigestVerify(
        ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
        reinterpret_cast<const unsigned char*>(data.data()), data.size());
    ERR_clear_error();
    return rc == 1;
}

Result<X509Ptr> CertificateFromDer(std::string_view der) {
    CertificateCache& cache = CertificateCache::Instance();
    if (X509Ptr known = cache.Find(der)) {
        return known;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
        ERR_clear_error();
        return Fail(ErrorCode::kInvalidArgument, "not a DER X.509 certificate",
                    "signature.key_info");
    }
    cache.Add(der, cert.get());
    return cert;
}

std::string CertificateDer(X509* cert) {
    unsigned char* der = nullptr;
    const int len = i2d_X509(cert, &der);
    if (len <= 0) {
        return {};
    }
    std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

CertificateInfo DescribeCertificate(X509* cert) {
    CertificateInfo info;
    info.subject = NameToString(X509_get_subject_name(cert));
    info.issuer = NameToString(X509_get_issuer_name(cert));
    if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr)) {
        char* hex = BN_bn2hex(bn);
        info.serial_hex = hex;
        OPENSSL_free(hex);
        BN_free(bn);
    }
    info.not_before = FromAsn1Time(X509_get0_notBefore(cert));
    info.not_after = FromAsn1Time(X509_get0_notAfter(cert));
    info.sha256_fingerprint = HexEncode(Sha256(CertificateDer(cert)));
    if (EVP_PKEY* pub = X509_get0_pubkey(cert);
        pub != nullptr && EVP_PKEY_base_id(pub) == EVP_PKEY_RSA) {
        info.rsa_bits = EVP_PKEY_get_bits(pub);
    }
    return info;
}

bool AllowsDigitalSignature(X509* cert) {
    const uint32_t usage = X509_get_key_usage(cert);  // UINT32_MAX when absent
    return usage == UINT32_MAX || (usage & KU_DIGITAL_SIGNATURE) != 0;
}

Result<void> CheckValidityAt(X509* cert, TimePoint now, std::string_view who) {
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    if (X509_cmp_time(X509_get0_notBefore(cert), &t) > 0) {
        return Fail(ErrorCode::kInvalidArgument,
                    std::string(who) + " is not valid yet (valid from " +
                        FormatIsoUtc(DescribeCertificate(cert).not_before) + ")",
                    "certificate.not_yet_valid");
    }
    if (X509_cmp_time(X509_get0_notAfter(cert), &t) < 0) {
        return Fail(
            ErrorCode::kInvalidArgument,
            std::string(who) + " expired on " + FormatIsoUtc(DescribeCertificate(cert).not_after),
            "certificate.expired");
    }
    return Ok();
}

}  // namespace todoke::signing::detail
