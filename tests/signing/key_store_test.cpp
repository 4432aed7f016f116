#include "todoke/signing/key_store.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>

#include "test_support.hpp"

namespace todoke::signing {
namespace {

using namespace std::chrono_literals;
using testing::CertSpec;
using testing::TestNow;

class KeyStoreTest : public ::testing::Test {
  protected:
    testing::TempDir dir_;
    testing::TestPki pki_{dir_.path()};
    testing::IssuedCert ca_ = pki_.Issue("ca", {.common_name = "Test CA", .is_ca = true}, nullptr);
};

TEST_F(KeyStoreTest, LoadsPkcs12AndReportsDaysUntilExpiry) {
    auto cert = pki_.Issue("signer", {.valid_until = 24h * 40}, &ca_);
    auto key = LoadPkcs12(cert.p12_path, testing::TestPki::kP12Password);
    ASSERT_TRUE(key) << key.error().ToString();
    EXPECT_EQ(key->certificate().subject, "CN=Test Signer,C=JP");
    EXPECT_EQ(key->certificate().rsa_bits, 2048);
    EXPECT_EQ(key->DaysUntilExpiry(TestNow()), 40);
    EXPECT_TRUE(key->CheckUsableAt(TestNow()));
}

TEST_F(KeyStoreTest, LoadsALegacyRc2Pkcs12AsOlderToolsWriteThem) {
    // e-Gov's sandbox test certificates and older IC-card tools use pbeWithSHA1And40BitRC2-CBC,
    // which OpenSSL 3 keeps in its legacy provider.
    auto cert = pki_.Issue("signer", {}, &ca_);
    const std::string cmd = "openssl pkcs12 -export -legacy -inkey '" + cert.key_path.string() +
                            "' -in '" + cert.cert_path.string() + "' -out '" +
                            (dir_ / "legacy.p12").string() + "' -passout pass:legacy-pw";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    auto key = LoadPkcs12(dir_ / "legacy.p12", "legacy-pw");
    ASSERT_TRUE(key) << key.error().ToString();
    EXPECT_EQ(key->certificate().subject, "CN=Test Signer,C=JP");
}

TEST_F(KeyStoreTest, WrongPkcs12PasswordIsPermissionDenied) {
    auto cert = pki_.Issue("signer", {}, &ca_);
    auto key = LoadPkcs12(cert.p12_path, "not-the-password");
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(key.error().field, "key_store.password");
    EXPECT_EQ(key.error().message.find("not-the-password"), std::string::npos);
}

TEST_F(KeyStoreTest, LoadsPemAndRefusesAKeyOfAnotherCertificate) {
    auto a = pki_.Issue("a", {.key_slot = 1}, &ca_);
    auto b = pki_.Issue("b", {.key_slot = 2}, &ca_);
    EXPECT_TRUE(LoadPem(a.key_path, a.cert_path, ""));
    auto mixed = LoadPem(a.key_path, b.cert_path, "");
    ASSERT_FALSE(mixed);
    EXPECT_EQ(mixed.error().field, "key_store.mismatch");
}

TEST_F(KeyStoreTest, RefusesExpiredAndNotYetValidCertificatesAtSigningTime) {
    auto expired =
        testing::LoadKey(pki_.Issue("old", {.valid_from = -48h, .valid_until = -1h}, &ca_));
    EXPECT_EQ(expired.CheckUsableAt(TestNow()).error().field, "certificate.expired");
    EXPECT_LT(expired.DaysUntilExpiry(TestNow()), 0);
    auto future = testing::LoadKey(pki_.Issue("new", {.valid_from = 2h, .valid_until = 48h}, &ca_));
    EXPECT_EQ(future.CheckUsableAt(TestNow()).error().field, "certificate.not_yet_valid");
}

TEST_F(KeyStoreTest, RefusesACertificateWhoseKeyUsageForbidsSignatures) {
    auto enc = testing::LoadKey(pki_.Issue("enc", {.digital_signature = false}, &ca_));
    EXPECT_EQ(enc.CheckUsableAt(TestNow()).error().field, "certificate.key_usage");
    auto no_ku = testing::LoadKey(pki_.Issue("noku", {.key_usage = false}, &ca_));
    EXPECT_TRUE(no_ku.CheckUsableAt(TestNow()));
}

TEST_F(KeyStoreTest, PasswordsComeFromEnvironmentOrFile) {
    ::setenv("TODOKE_TEST_PW", "s3cret", 1);
    EXPECT_EQ(*ReadPasswordFromEnv("TODOKE_TEST_PW"), "s3cret");
    ::unsetenv("TODOKE_TEST_PW");
    EXPECT_EQ(ReadPasswordFromEnv("TODOKE_TEST_PW").error().field, "key_store.password");
    testing::WriteFile(dir_ / "pw", "from-file\nignored\n");
    EXPECT_EQ(*ReadPasswordFromFile(dir_ / "pw"), "from-file");
}

}  // namespace
}  // namespace todoke::signing
