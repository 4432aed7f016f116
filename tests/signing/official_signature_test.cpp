#include "todoke/signing/official_signature.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/signing/verifier.hpp"

namespace todoke::signing {
namespace {

using testing::TestNow;

class OfficialSignatureTest : public ::testing::Test {
  protected:
    testing::TempDir dir_;
    testing::TestPki pki_{dir_.path()};
    // GPKI shape: a self-signed OfficialStatusCA and a 官職 certificate with critical
    // certificatePolicies (which generic validators choke on).
    testing::IssuedCert gov_ca_ = pki_.Issue("gov",
                                             {.common_name = "",
                                              .organizational_unit = "DemoOfficialStatusCA",
                                              .is_ca = true,
                                              .key_slot = 4},
                                             nullptr);
    testing::IssuedCert official_ = pki_.Issue(
        "official", {.common_name = "Demo Official", .critical_policies = true, .key_slot = 5},
        &gov_ca_);
    SigningKey key_ = testing::LoadKey(official_);
    TrustStore trust_ = *TrustStore::FromPemFiles({gov_ca_.cert_path});
    const std::string pdf_ = "%PDF-1.4\n% 通知書\n%%EOF\n";
    const std::string notice_name_ = "01_通知書.pdf";

    std::string Document(const OfficialSignOptions& options = {},
                         const std::string& body = "被保険者資格取得確認通知書を送付します。") {
        auto kagami = SignOfficialDocument(testing::KagamiXml(body), {{notice_name_, pdf_}}, key_,
                                           TestNow(), options);
        EXPECT_TRUE(kagami) << kagami.error().ToString();
        return *kagami;
    }
    std::string Zip(const std::string& kagami, const std::string& pdf) {
        return *WriteZip({{"9502026000030716_1/kagami.xml", kagami},
                          {"9502026000030716_1/kagami.xsl", "<xsl/>"},
                          {"9502026000030716_1/" + notice_name_, pdf}});
    }
    std::string Check(const std::string& zip) {
        auto r = VerifyOfficialDocument(zip, trust_, TestNow());
        return r ? "" : r.error().field;
    }
};

TEST_F(OfficialSignatureTest, ProductionStyleRoundTrip) {
    const std::string kagami = Document();
    EXPECT_NE(kagami.find("<Reference URI=\"#DOCBODY\"><Transforms><Transform Algorithm=\"http://"
                          "www.w3.org/TR/2001/REC-xml-c14n-20010315\">"),
              std::string::npos);
    EXPECT_NE(kagami.find("URI=\"01_%E9%80%9A%E7%9F%A5%E6%9B%B8.pdf\""), std::string::npos);
    EXPECT_NE(kagami.find("</Signature></DOC>"), std::string::npos);
    auto r = VerifyOfficialDocument(Zip(kagami, pdf_), trust_, TestNow());
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->document, "9502026000030716_1/kagami.xml");
    EXPECT_EQ(r->signature.id, "mhlw.go.jp");
    EXPECT_EQ(r->signature.signer.subject, "CN=Demo Official,C=JP");
    EXPECT_EQ(r->signed_files.at(notice_name_), pdf_);
    EXPECT_EQ(r->unsigned_files, std::vector<std::string>{"9502026000030716_1/kagami.xsl"});
    EXPECT_NE(r->body_canonical.find("<TOTATUNO>9502026000030716</TOTATUNO>"), std::string::npos);
}

TEST_F(OfficialSignatureTest, SandboxStyleWithCommentsAndEnvelopedTransformVerifies) {
    OfficialSignOptions sandbox;
    sandbox.sandbox_style = true;
    const std::string kagami = Document(sandbox);
    EXPECT_NE(kagami.find("#WithComments"), std::string::npos);
    EXPECT_NE(kagami.find("xmldsig#enveloped-signature"), std::string::npos);
    EXPECT_EQ(Check(Zip(kagami, pdf_)), "");
}

TEST_F(OfficialSignatureTest, TamperedBodyOrAttachmentIsADigestMismatch) {
    std::string kagami = Document();
    EXPECT_EQ(Check(Zip(kagami, pdf_ + " ")), "signature.digest_mismatch");
    kagami.replace(kagami.find("送付します"), 15, "送付しません");
    EXPECT_EQ(Check(Zip(kagami, pdf_)), "signature.digest_mismatch");
}

TEST_F(OfficialSignatureTest, ForgedBodyWithTheSignedOneMovedAwayIsRefused) {
    std::string kagami = Document();
    const auto a = kagami.find("<BODY ID=\"DOCBODY\">");
    const auto b = kagami.find("</BODY>") + 7;
    const std::string signed_body = kagami.substr(a, b - a);
    std::string moved = kagami;
    moved.replace(a, b - a, "<BODY ID=\"DOCBODY\"><MAINTXT>偽</MAINTXT></BODY>");
    moved.replace(moved.find("<APPENDIX>"), 10, "<APPENDIX>" + signed_body);
    EXPECT_EQ(Check(Zip(moved, pdf_)), "xml.unexpected_id");
}

TEST_F(OfficialSignatureTest, OnlyThePinnedGovernmentCaIsTrusted) {
    auto fake_ca = pki_.Issue(
        "fake", {.organizational_unit = "DemoOfficialStatusCA", .is_ca = true, .key_slot = 6},
        nullptr);
    auto fake = testing::LoadKey(pki_.Issue("fake-official", {.key_slot = 7}, &fake_ca));
    auto kagami =
        SignOfficialDocument(testing::KagamiXml(), {{notice_name_, pdf_}}, fake, TestNow());
    EXPECT_EQ(Check(Zip(*kagami, pdf_)), "certificate.untrusted");
}

TEST_F(OfficialSignatureTest, SignatureMustBeTheLastChildOfDoc) {
    std::string kagami = Document();
    const auto s = kagami.find("<Signature");
    const auto e = kagami.find("</Signature>") + 12;
    const std::string sig = kagami.substr(s, e - s);
    kagami.erase(s, e - s);
    kagami.insert(kagami.find("<FRONT>"), sig);
    EXPECT_EQ(Check(Zip(kagami, pdf_)), "signature.placement");
}

TEST_F(OfficialSignatureTest, UnsignedDocumentAndMissingAttachment) {
    EXPECT_EQ(Check(*WriteZip({{"d/kagami.xml", testing::KagamiXml()}})), "signature.missing");
    auto no_pdf = *WriteZip({{"d/kagami.xml", Document()}});
    EXPECT_EQ(Check(no_pdf), "signature.reference_uri");
}

TEST_F(OfficialSignatureTest, Cp932EntryNamesMatchPercentEncodedReferences) {
    // e-Gov stores "01_通知書.pdf" as CP932 bytes without the UTF-8 flag.
    const std::string cp932_name = "01_\x92\xca\x92\x6d\x8f\x91.pdf";
    auto zip = *WriteZip(
        {{"d/kagami.xml", Document()}, {"d/" + cp932_name, pdf_, true, ZipNameEncoding::kCp932}});
    EXPECT_EQ(Check(zip), "");
}

}  // namespace
}  // namespace todoke::signing
