// TrustStore: the certificates an operator pins as trust anchors (for applicant signatures the
// CAs of accepted signer certificates; for 公文書 the government 官職 CA). A certificate that
// arrives inside a signature is never trusted by itself: it must chain to one of these.
// Immutable after loading; safe to share between threads.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "todoke/common/result.hpp"
#include "todoke/signing/key_store.hpp"

namespace todoke::signing {

class TrustStore {
  public:
    struct Impl;
    // Every certificate in every PEM file becomes an anchor. At least one is required.
    static Result<TrustStore> FromPemFiles(const std::vector<std::filesystem::path>& files);

    std::size_t size() const;
    const std::vector<CertificateInfo>& anchors() const;
    const Impl& impl() const { return *impl_; }

  private:
    explicit TrustStore(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> impl_;
};

}  // namespace todoke::signing
