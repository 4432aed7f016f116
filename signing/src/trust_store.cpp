#include <openssl/err.h>
#include <openssl/pem.h>

#include "key_store_impl.hpp"
#include "todoke/common/file.hpp"

namespace todoke::signing {
namespace {

using Bio = CHandle<BIO, &BIO_free>;
using StoreCtx = CHandle<X509_STORE_CTX, &X509_STORE_CTX_free>;

}  // namespace

TrustStore::TrustStore(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
std::size_t TrustStore::size() const { return impl_->anchors.size(); }
const std::vector<CertificateInfo>& TrustStore::anchors() const { return impl_->anchors; }

Result<TrustStore> TrustStore::FromPemFiles(const std::vector<std::filesystem::path>& files) {
    auto impl = std::make_shared<Impl>();
    impl->store.reset(X509_STORE_new());
    if (!impl->store) {
        return Fail(ErrorCode::kInternal, "cannot create an X509 store");
    }
    for (const auto& path : files) {
        TODOKE_ASSIGN_OR_RETURN(const std::string pem, ReadFileBytes(path, "trust anchor file"));
        Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
        int in_file = 0;
        while (X509* raw = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
            detail::X509Ptr cert(raw);
            if (X509_STORE_add_cert(impl->store.get(), cert.get()) != 1) {
                ERR_clear_error();  // the same anchor twice is harmless
            }
            impl->anchors.push_back(detail::DescribeCertificate(cert.get()));
            ++in_file;
        }
        ERR_clear_error();  // PEM_read_bio_X509 ends with "no start line"
        if (in_file == 0) {
            return Fail(ErrorCode::kInvalidArgument, path.string() + " holds no PEM certificate",
                        "trust.file");
        }
    }
    if (impl->anchors.empty()) {
        return Fail(ErrorCode::kInvalidArgument, "no trust anchor given", "trust.file");
    }
    return TrustStore(std::move(impl));
}

namespace detail {

Result<void> VerifyChain(const TrustStore& trust, X509* leaf, STACK_OF(X509) * untrusted,
                         TimePoint now) {
    StoreCtx ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), trust.impl().store.get(), leaf, untrusted) != 1) {
        return Fail(ErrorCode::kInternal, "cannot set up certificate verification");
    }
    X509_STORE_CTX_set_time(ctx.get(), 0, std::chrono::system_clock::to_time_t(now));
    const int ok = X509_verify_cert(ctx.get());
    ERR_clear_error();
    if (ok == 1) {
        return Ok();
    }
    const int err = X509_STORE_CTX_get_error(ctx.get());
    const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
    const std::string where = depth == 0 ? "the signer certificate"
                                         : "certificate " + std::to_string(depth) + " of the chain";
    const std::string why = X509_verify_cert_error_string(err);
    switch (err) {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return Fail(ErrorCode::kInvalidArgument, where + " has expired (" + why + ")",
                        "certificate.expired");
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return Fail(ErrorCode::kInvalidArgument, where + " is not valid yet (" + why + ")",
                        "certificate.not_yet_valid");
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
            return Fail(ErrorCode::kInvalidArgument,
                        where + " does not chain to a pinned trust anchor (" + why + ")",
                        "certificate.untrusted");
        default:
            return Fail(ErrorCode::kInvalidArgument, where + " is not valid (" + why + ")",
                        "certificate.invalid");
    }
}

}  // namespace detail
}  // namespace todoke::signing
