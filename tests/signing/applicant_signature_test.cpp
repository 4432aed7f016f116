#include "todoke/signing/applicant_signature.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/signing/verifier.hpp"

namespace todoke::signing {
namespace {

using testing::TestNow;

class ApplicantSignatureTest : public ::testing::Test {
  protected:
    testing::TempDir dir_;
    testing::TestPki pki_{dir_.path()};
    testing::IssuedCert ca_ = pki_.Issue("ca", {.common_name = "Test CA", .is_ca = true}, nullptr);
    SigningKey signer_ = testing::LoadKey(pki_.Issue("s1", {.common_name = "Sharoushi One"}, &ca_));
    SigningKey signer2_ =
        testing::LoadKey(pki_.Issue("s2", {.common_name = "Sharoushi Two", .key_slot = 3}, &ca_));
    TrustStore trust_ = *TrustStore::FromPemFiles({ca_.cert_path});

    std::string Kousei(const std::string& zip) {
        auto reader = ZipReader::Open(zip, {});
        return *reader->Read("4950000020325000/kousei.xml");
    }
};

TEST_F(ApplicantSignatureTest, OneSignerRoundTripKeepsFormBytes) {
    const std::string unsigned_zip = testing::MakeSamplePackage();
    std::vector<SigningKey> keys{signer_};
    auto signed_pkg = SignApplicationPackage(unsigned_zip, keys, TestNow(), {});
    ASSERT_TRUE(signed_pkg) << signed_pkg.error().ToString();
    EXPECT_EQ(signed_pkg->folders, std::vector<std::string>{"4950000020325000/"});

    auto report = VerifyApplicationPackage(signed_pkg->zip, trust_, TestNow());
    ASSERT_TRUE(report) << report.error().ToString();
    ASSERT_EQ(report->applications.size(), 1u);
    const auto& app = report->applications[0];
    ASSERT_EQ(app.signatures.size(), 1u);
    EXPECT_EQ(app.signatures[0].signer.subject, "CN=Sharoushi One,C=JP");
    EXPECT_EQ(app.signatures[0].id, "20261122090000");  // JST
    EXPECT_EQ(app.unsigned_files, std::vector<std::string>{"teishutsudaiko.pdf"});
    // The form's bytes (CRLF included) are exactly what went in and what the digest covers.
    ASSERT_EQ(app.signed_files.size(), 1u);
    EXPECT_EQ(app.signed_files.at("495000020325029841_01.xml"), testing::FormXml());
    auto reader = ZipReader::Open(signed_pkg->zip, {});
    EXPECT_EQ(*reader->Read("4950000020325000/495000020325029841_01.xml"), testing::FormXml());
    EXPECT_NE(app.kousei_canonical.find("<構成情報 ID=\"構成情報\">"), std::string::npos);
}

TEST_F(ApplicantSignatureTest, SeveralSignersGiveSeveralSignaturesWithUniqueIds) {
    std::vector<SigningKey> keys{signer_, signer2_};
    auto signed_pkg = SignApplicationPackage(testing::MakeSamplePackage(), keys, TestNow(), {});
    ASSERT_TRUE(signed_pkg);
    auto report = VerifyApplicationPackage(signed_pkg->zip, trust_, TestNow());
    ASSERT_TRUE(report) << report.error().ToString();
    const auto& sigs = report->applications[0].signatures;
    ASSERT_EQ(sigs.size(), 2u);
    EXPECT_NE(sigs[0].id, sigs[1].id);
    EXPECT_EQ(sigs[1].signer.subject, "CN=Sharoushi Two,C=JP");
}

TEST_F(ApplicantSignatureTest, FollowsTheEgovProfileExactly) {
    std::vector<SigningKey> keys{signer_};
    auto signed_pkg = SignApplicationPackage(testing::MakeSamplePackage(), keys, TestNow(), {});
    const std::string kousei = Kousei(signed_pkg->zip);
    // Placement: <署名情報> right after </構成情報>, holding a default-namespace <Signature>.
    EXPECT_NE(kousei.find("</構成情報>\n<署名情報><Signature xmlns=\"http://www.w3.org/2000/09/"
                          "xmldsig#\" Id=\"20261122090000\"><SignedInfo>"
                          "<CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/"
                          "REC-xml-c14n-20010315\"></CanonicalizationMethod>"
                          "<SignatureMethod Algorithm=\"http://www.w3.org/2001/04/"
                          "xmldsig-more#rsa-sha256\"></SignatureMethod>"
                          "<Reference URI=\"#%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1\"><Transforms>"
                          "<Transform Algorithm=\"http://www.w3.org/TR/2001/"
                          "REC-xml-c14n-20010315\"></Transform></Transforms>"
                          "<DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\">"
                          "</DigestMethod><DigestValue>"),
              std::string::npos)
        << kousei;
    EXPECT_NE(kousei.find("<Reference URI=\"495000020325029841_01.xml\"><DigestMethod"),
              std::string::npos);
    EXPECT_EQ(kousei.find("teishutsudaiko.pdf\"><Digest"), std::string::npos);
    // KeyInfo: exactly one X509Certificate and nothing else.
    const auto key_info = kousei.find("<KeyInfo><X509Data><X509Certificate>");
    ASSERT_NE(key_info, std::string::npos);
    EXPECT_NE(kousei.find("</X509Certificate></X509Data></KeyInfo></Signature></署名情報>"),
              std::string::npos);
    EXPECT_EQ(kousei.find("<X509Certificate>", key_info + 30), std::string::npos);
}

TEST_F(ApplicantSignatureTest, AcceptsPackagesWithAndWithoutPlaceholder) {
    std::vector<SigningKey> keys{signer_};
    for (const std::string placeholder :
         {"", "<署名情報/>", "<署名情報></署名情報>", "<署名情報>\n</署名情報>"}) {
        const std::string zip = testing::MakePackage(testing::KouseiXml({"f.xml"}, placeholder),
                                                     {{"f.xml", testing::FormXml()}});
        auto signed_pkg = SignApplicationPackage(zip, keys, TestNow(), {});
        ASSERT_TRUE(signed_pkg) << placeholder << ": " << signed_pkg.error().ToString();
        EXPECT_TRUE(VerifyApplicationPackage(signed_pkg->zip, trust_, TestNow())) << placeholder;
        EXPECT_EQ(Kousei(signed_pkg->zip).find("<署名情報/>"), std::string::npos);
    }
}

// The rendered shape is signed without a tree (plain_kousei.hpp); a kousei outside it (a
// comment, a character reference, CRLF line ends) goes through libxml2. Both verify.
TEST_F(ApplicantSignatureTest, SignsPlainAndOtherKouseiAlike) {
    std::vector<SigningKey> keys{signer_};
    const std::string plain = testing::KouseiXml({"f.xml"});
    std::string other = plain;
    other.replace(other.find("見本　太郎"), std::string("見本　太郎").size(), "見本&#x3000;太郎");
    other.replace(other.find("<DataRoot>"), 10, "<DataRoot><!-- 控え -->");
    for (std::size_t at = other.find('\n'); at != std::string::npos;
         at = other.find('\n', at + 2)) {
        other.replace(at, 1, "\r\n");
    }
    for (const auto& kousei : {plain, other}) {
        const FileMap files{{"f.xml", testing::FormXml()}};
        auto signed_kousei = SignKousei(kousei, files, keys, TestNow());
        ASSERT_TRUE(signed_kousei) << signed_kousei.error().ToString();
        const std::string zip =
            testing::MakePackage(*signed_kousei, {{"f.xml", testing::FormXml()}});
        auto report = VerifyApplicationPackage(zip, trust_, TestNow());
        ASSERT_TRUE(report) << report.error().ToString();
        EXPECT_EQ(report->applications[0].signatures.size(), 1u);
    }
}

TEST_F(ApplicantSignatureTest, RefusesAnAlreadySignedPackage) {
    std::vector<SigningKey> keys{signer_};
    auto once = SignApplicationPackage(testing::MakeSamplePackage(), keys, TestNow(), {});
    auto twice = SignApplicationPackage(once->zip, keys, TestNow(), {});
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().field, "kousei.already_signed");
}

TEST_F(ApplicantSignatureTest, RefusesAKouseiListingAMissingForm) {
    std::vector<SigningKey> keys{signer_};
    const std::string zip = testing::MakePackage(testing::KouseiXml({"missing.xml"}), {});
    auto r = SignApplicationPackage(zip, keys, TestNow(), {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "kousei.申請書ファイル名称");
    EXPECT_NE(r.error().message.find("missing.xml"), std::string::npos);
}

TEST_F(ApplicantSignatureTest, RefusesFilesAtTheZipRootAndZipsWithoutKousei) {
    std::vector<SigningKey> keys{signer_};
    auto root = WriteZip({{"kousei.xml", testing::KouseiXml({})}});
    EXPECT_EQ(SignApplicationPackage(*root, keys, TestNow(), {}).error().field, "package.layout");
    auto none = WriteZip({{"4950000020325000/a.xml", "<a/>"}});
    EXPECT_EQ(SignApplicationPackage(*none, keys, TestNow(), {}).error().field, "package.layout");
}

TEST_F(ApplicantSignatureTest, RefusesAnExpiredKeyBeforeTouchingThePackage) {
    auto old = testing::LoadKey(pki_.Issue(
        "old", {.valid_from = std::chrono::hours(-100), .valid_until = std::chrono::hours(-1)},
        &ca_));
    std::vector<SigningKey> keys{old};
    auto r = SignApplicationPackage(testing::MakeSamplePackage(), keys, TestNow(), {});
    EXPECT_EQ(r.error().field, "certificate.expired");
}

TEST_F(ApplicantSignatureTest, SigningIsDeterministic) {
    std::vector<SigningKey> keys{signer_};
    const std::string kousei = testing::KouseiXml({"f.xml"});
    const FileMap files{{"f.xml", testing::FormXml()}};
    EXPECT_EQ(*SignKousei(kousei, files, keys, TestNow()),
              *SignKousei(kousei, files, keys, TestNow()));
}

TEST_F(ApplicantSignatureTest, SignsEveryFolderOfABulkZip) {
    std::vector<ZipWriteEntry> entries;
    for (const std::string folder : {"4950000020325000(1)/", "4950000020325000(2)/"}) {
        entries.push_back({folder + "kousei.xml", testing::KouseiXml({"f.xml"})});
        entries.push_back({folder + "f.xml", testing::FormXml(folder)});
    }
    std::vector<SigningKey> keys{signer_};
    auto signed_pkg = SignApplicationPackage(*WriteZip(entries), keys, TestNow(), {});
    ASSERT_TRUE(signed_pkg) << signed_pkg.error().ToString();
    EXPECT_EQ(signed_pkg->folders.size(), 2u);
    auto report = VerifyApplicationPackage(signed_pkg->zip, trust_, TestNow());
    ASSERT_TRUE(report) << report.error().ToString();
    EXPECT_EQ(report->applications.size(), 2u);
}

}  // namespace
}  // namespace todoke::signing
