// Interoperability with the xmlsec1 command-line tool (Debian package xmlsec1), an independent
// XMLDSig implementation: it must accept what todoke signs, and todoke must accept what it signs.
// xmlsec1 1.2.37 cannot dereference the percent-encoded "#構成情報" that e-Gov writes
// (egov-api.md §13.2), so the check of todoke's signature uses the literal-URI variant and then
// shows that the e-Gov form carries the very same digests. xmlsec1 counts a relative file name
// as a "remote" URI; the tool opens it from the working directory (a temporary folder).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>

#include "test_support.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/signing/official_signature.hpp"
#include "todoke/signing/verifier.hpp"

namespace todoke::signing {
namespace {

namespace fs = std::filesystem;
using testing::TestNow;

constexpr const char* kForm = "495000020325029841_01.xml";

// Runs a shell command in `dir`; returns its exit status, output in `out`.
int RunIn(const fs::path& dir, const std::string& command, std::string& out) {
    const std::string full = "cd '" + dir.string() + "' && " + command + " 2>&1";
    FILE* p = popen(full.c_str(), "r");
    if (p == nullptr) return -1;
    char buf[4096];
    out.clear();
    while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    const int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> DigestValues(const std::string& xml) {
    std::vector<std::string> out;
    for (std::size_t at = 0; (at = xml.find("<DigestValue>", at)) != std::string::npos;) {
        at += 13;
        out.push_back(xml.substr(at, xml.find("</DigestValue>", at) - at));
    }
    return out;
}

class XmlsecInteropTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string out;
        if (RunIn(dir_.path(), "xmlsec1 --version", out) != 0) {
            GTEST_FAIL() << "xmlsec1 is not installed; scripts/setup.sh installs it";
        }
    }
    testing::TempDir dir_;
    testing::TestPki pki_{dir_.path()};
    testing::IssuedCert ca_ = pki_.Issue("ca", {.common_name = "Test CA", .is_ca = true}, nullptr);
    testing::IssuedCert signer_cert_ = pki_.Issue("signer", {}, &ca_);
    SigningKey signer_ = testing::LoadKey(signer_cert_);
    TrustStore trust_ = *TrustStore::FromPemFiles({ca_.cert_path});
};

TEST_F(XmlsecInteropTest, XmlsecVerifiesTodokeApplicantSignature) {
    std::vector<SigningKey> keys{signer_};
    const FileMap files{{kForm, testing::FormXml()}};
    ApplicantSignOptions literal;
    literal.literal_kousei_uri = true;
    auto kousei = SignKousei(testing::KouseiXml({kForm}), files, keys, TestNow(), literal);
    ASSERT_TRUE(kousei) << kousei.error().ToString();
    testing::WriteFile(dir_ / "kousei.xml", *kousei);
    testing::WriteFile(dir_ / kForm, testing::FormXml());
    std::string out;
    // --verification-time: xmlsec checks the certificate at the test's "now".
    const int rc = RunIn(dir_.path(),
                         "xmlsec1 --verify --id-attr:ID 構成情報 --trusted-pem ca.pem "
                         "--enabled-reference-uris same-doc,local,remote "
                         "--verification-time 2026-11-22+00:00:00 kousei.xml",
                         out);
    EXPECT_EQ(rc, 0) << out;
    EXPECT_NE(out.find("OK"), std::string::npos) << out;

    // The e-Gov form differs only in how the URI is written: the digests are identical.
    auto egov = SignKousei(testing::KouseiXml({kForm}), files, keys, TestNow());
    EXPECT_EQ(DigestValues(*egov), DigestValues(*kousei));
    EXPECT_NE(egov->find("URI=\"#%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1\""), std::string::npos);
    // And xmlsec1 indeed fails on that form (the pitfall), so the literal detour is needed.
    testing::WriteFile(dir_ / "kousei.xml", *egov);
    EXPECT_NE(RunIn(dir_.path(),
                    "xmlsec1 --verify --id-attr:ID 構成情報 --trusted-pem ca.pem "
                    "--enabled-reference-uris same-doc,local,remote "
                    "--verification-time 2026-11-22+00:00:00 kousei.xml",
                    out),
              0);
}

TEST_F(XmlsecInteropTest, TodokeVerifiesXmlsecApplicantSignature) {
    std::string tmpl = testing::KouseiXml(
        {kForm},
        "<署名情報><Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"20261122090000\">"
        "<SignedInfo><CanonicalizationMethod "
        "Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>"
        "<SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>"
        "<Reference URI=\"#構成情報\"><Transforms><Transform "
        "Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/></Transforms>"
        "<DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><DigestValue/>"
        "</Reference><Reference URI=\"" +
            std::string(kForm) +
            "\">"
            "<DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><DigestValue/>"
            "</Reference></SignedInfo><SignatureValue/>"
            "<KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature></署名情報>");
    testing::WriteFile(dir_ / "template.xml", tmpl);
    testing::WriteFile(dir_ / kForm, testing::FormXml());
    std::string out;
    ASSERT_EQ(
        RunIn(dir_.path(),
              "xmlsec1 --sign --id-attr:ID 構成情報 --privkey-pem signer.key,signer.pem "
              "--enabled-reference-uris same-doc,local,remote --output kousei.xml template.xml",
              out),
        0)
        << out;
    const std::string zip =
        testing::MakePackage(testing::ReadFile(dir_ / "kousei.xml"), {{kForm, testing::FormXml()}});
    auto r = VerifyApplicationPackage(zip, trust_, TestNow());
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->applications[0].signatures[0].signer.subject, signer_.certificate().subject);
}

TEST_F(XmlsecInteropTest, TodokeVerifiesXmlsecOfficialDocument) {
    auto gov = pki_.Issue(
        "gov", {.organizational_unit = "DemoOfficialStatusCA", .is_ca = true, .key_slot = 4},
        nullptr);
    pki_.Issue("official",
               {.common_name = "Demo Official", .critical_policies = true, .key_slot = 5}, &gov);
    std::string kagami = testing::KagamiXml();
    kagami.replace(
        kagami.find("</DOC>"), 6,
        "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"mhlw.go.jp\"><SignedInfo>"
        "<CanonicalizationMethod "
        "Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments\"/>"
        "<SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>"
        "<Reference URI=\"#DOCBODY\"><Transforms><Transform "
        "Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/></Transforms>"
        "<DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><DigestValue/>"
        "</Reference><Reference URI=\"tsuchisho.pdf\">"
        "<DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><DigestValue/>"
        "</Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/>"
        "</X509Data></KeyInfo></Signature></DOC>");
    testing::WriteFile(dir_ / "template.xml", kagami);
    testing::WriteFile(dir_ / "tsuchisho.pdf", "%PDF-1.4\n%%EOF\n");
    std::string out;
    ASSERT_EQ(
        RunIn(dir_.path(),
              "xmlsec1 --sign --id-attr:ID BODY --privkey-pem official.key,official.pem "
              "--enabled-reference-uris same-doc,local,remote --output kagami.xml template.xml",
              out),
        0)
        << out;
    auto zip = *WriteZip({{"d/kagami.xml", testing::ReadFile(dir_ / "kagami.xml")},
                          {"d/tsuchisho.pdf", "%PDF-1.4\n%%EOF\n"}});
    auto trust = *TrustStore::FromPemFiles({gov.cert_path});
    auto r = VerifyOfficialDocument(zip, trust, TestNow());
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->signed_files.size(), 1u);
}

}  // namespace
}  // namespace todoke::signing
