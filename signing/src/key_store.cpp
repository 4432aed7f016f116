#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>

#include <cstdlib>

#include "crypto.hpp"
#include "key_store_impl.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/common/file.hpp"

namespace todoke::signing {
namespace {

using detail::EvpPkey;
using detail::X509Ptr;
using Bio = CHandle<BIO, &BIO_free>;
using Pkcs12 = CHandle<PKCS12, &PKCS12_free>;

Result<SigningKey> MakeKey(EvpPkey key, X509Ptr cert, const std::string& source) {
    if (EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
        return Fail(ErrorCode::kInvalidArgument,
                    source + ": the key is not RSA; e-Gov signatures are rsa-sha256",
                    "key_store.algorithm");
    }
    if (X509_check_private_key(cert.get(), key.get()) != 1) {
        ERR_clear_error();
        return Fail(ErrorCode::kInvalidArgument,
                    source + ": the private key does not belong to the certificate",
                    "key_store.mismatch");
    }
    auto impl = std::make_shared<SigningKey::Impl>();
    impl->info = detail::DescribeCertificate(cert.get());
    impl->cert_der_base64 = Base64Encode(detail::CertificateDer(cert.get()));
    impl->key = std::move(key);
    impl->cert = std::move(cert);
    return SigningKey(std::move(impl));
}

bool ParsePkcs12(PKCS12* p12, std::string_view password, EvpPkey& key, X509Ptr& cert) {
    EVP_PKEY* k = nullptr;
    X509* c = nullptr;
    STACK_OF(X509)* ca = nullptr;
    const std::string pw(password);
    const int ok = PKCS12_parse(p12, pw.c_str(), &k, &c, &ca);
    sk_X509_pop_free(ca, X509_free);
    key.reset(k);
    cert.reset(c);
    return ok == 1 && key && cert;
}

}  // namespace

SigningKey::SigningKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

const CertificateInfo& SigningKey::certificate() const { return impl_->info; }

long SigningKey::DaysUntilExpiry(TimePoint now) const {
    const auto left = impl_->info.not_after - now;
    return static_cast<long>(std::chrono::floor<std::chrono::days>(left).count());
}

Result<void> SigningKey::CheckUsableAt(TimePoint now) const {
    const std::string who = "signing certificate \"" + impl_->info.subject + "\"";
    TODOKE_RETURN_IF_ERROR(detail::CheckValidityAt(impl_->cert.get(), now, who));
    if (!detail::AllowsDigitalSignature(impl_->cert.get())) {
        return Fail(ErrorCode::kInvalidArgument,
                    who + ": its key usage does not allow digital signatures",
                    "certificate.key_usage");
    }
    return Ok();
}

Result<SigningKey> LoadPkcs12(const std::filesystem::path& path, std::string_view password) {
    TODOKE_ASSIGN_OR_RETURN(std::string der, ReadFileBytes(path, "PKCS#12 file"));
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    Pkcs12 p12(d2i_PKCS12(nullptr, &p, static_cast<long>(der.size())));
    if (!p12) {
        ERR_clear_error();
        return Fail(ErrorCode::kInvalidArgument, path.string() + " is not a PKCS#12 file",
                    "key_store.format");
    }
    if (PKCS12_verify_mac(p12.get(), std::string(password).c_str(),
                          static_cast<int>(password.size())) != 1) {
        ERR_clear_error();
        return Fail(ErrorCode::kPermissionDenied,
                    path.string() + ": wrong password (the PKCS#12 MAC does not verify)",
                    "key_store.password");
    }
    EvpPkey key;
    X509Ptr cert;
    if (!ParsePkcs12(p12.get(), password, key, cert)) {
        // Files made by older tools use RC2/3DES, which OpenSSL 3 keeps in its legacy provider.
        ERR_clear_error();
        static OSSL_PROVIDER* legacy = OSSL_PROVIDER_try_load(nullptr, "legacy", 1);
        if (legacy == nullptr || !ParsePkcs12(p12.get(), password, key, cert)) {
            ERR_clear_error();
            return Fail(ErrorCode::kInvalidArgument,
                        path.string() + ": cannot read the key and certificate (" +
                            (legacy == nullptr ? "legacy algorithms unavailable" : "bad content") +
                            ")",
                        "key_store.format");
        }
    }
    return MakeKey(std::move(key), std::move(cert), path.string());
}

Result<SigningKey> LoadPem(const std::filesystem::path& key_path,
                           const std::filesystem::path& cert_path, std::string_view password) {
    TODOKE_ASSIGN_OR_RETURN(std::string key_pem, ReadFileBytes(key_path, "key file"));
    TODOKE_ASSIGN_OR_RETURN(std::string cert_pem, ReadFileBytes(cert_path, "certificate file"));
    Bio kb(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
    const std::string pw(password);
    EvpPkey key(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, const_cast<char*>(pw.c_str())));
    if (!key) {
        ERR_clear_error();
        return Fail(ErrorCode::kInvalidArgument,
                    key_path.string() + ": not a PEM private key, or the password is wrong",
                    "key_store.format");
    }
    Bio cb(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
    X509Ptr cert(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        ERR_clear_error();
        return Fail(ErrorCode::kInvalidArgument, cert_path.string() + ": not a PEM certificate",
                    "key_store.format");
    }
    return MakeKey(std::move(key), std::move(cert), key_path.string());
}

Result<std::string> ReadPasswordFromEnv(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) {
        return Fail(ErrorCode::kInvalidArgument,
                    "environment variable " + name + " (the key password) is not set",
                    "key_store.password");
    }
    return std::string(v);
}

Result<std::string> ReadPasswordFromFile(const std::filesystem::path& path) {
    TODOKE_ASSIGN_OR_RETURN(std::string text, ReadFileBytes(path, "password file"));
    const std::size_t eol = text.find_first_of("\r\n");
    if (eol != std::string::npos) {
        text.resize(eol);
    }
    return text;
}

}  // namespace todoke::signing
