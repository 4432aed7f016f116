// The real `todoke` binary: sign and verify through the command line, exit statuses, stdout and
// stderr, as an operator or a script sees them.
#include <gtest/gtest.h>

#include "cli_util.hpp"
#include "test_support.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/signing/official_signature.hpp"

namespace todoke {
namespace {

namespace fs = std::filesystem;

class CliTest : public ::testing::Test {
  protected:
    // Runs todoke in the temp folder, with the key password in TODOKE_TEST_PW.
    testing::Outcome Todoke(const std::string& args) {
        return testing::RunTodoke(dir_.path(), args, "TODOKE_TEST_PW=test-password");
    }
    static std::size_t Lines(const std::string& s) {
        return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
    }

    testing::TempDir dir_;
    testing::TestPki pki_{dir_.path()};
    testing::IssuedCert ca_ = pki_.Issue("ca", {.common_name = "Test CA", .is_ca = true}, nullptr);
    testing::IssuedCert signer_ = pki_.Issue(
        "signer", {.common_name = "Sharoushi", .valid_until = std::chrono::hours(24 * 3650)}, &ca_);
    testing::IssuedCert signer2_ = pki_.Issue(
        "signer2",
        {.common_name = "Second", .valid_until = std::chrono::hours(24 * 3650), .key_slot = 3},
        &ca_);

    void SetUp() override { testing::WriteFile(dir_ / "app.zip", testing::MakeSamplePackage()); }
};

TEST_F(CliTest, SignsAndVerifiesWithTwoSigners) {
    auto sign = Todoke(
        "sign app.zip --key signer.p12 --key signer2.p12 --password-env "
        "TODOKE_TEST_PW --out signed.zip");
    ASSERT_EQ(sign.status, 0) << sign.err;
    EXPECT_NE(sign.out.find("signed: app.zip -> signed.zip"), std::string::npos);
    auto verify = Todoke("verify signed.zip --trust ca.pem");
    EXPECT_EQ(verify.status, 0) << verify.err;
    EXPECT_NE(verify.out.find("2 signature(s) by \"CN=Sharoushi,C=JP\" \"CN=Second,C=JP\""),
              std::string::npos)
        << verify.out;
    auto json = Todoke("verify signed.zip --trust ca.pem --format json");
    EXPECT_EQ(json.status, 0);
    EXPECT_EQ(Lines(json.out), 1u);
    EXPECT_NE(json.out.find("\"valid\":true"), std::string::npos) << json.out;
    EXPECT_NE(json.out.find("\"unsigned_files\":[\"teishutsudaiko.pdf\"]"), std::string::npos);
}

TEST_F(CliTest, SignsManyPackagesInOneCallAndTakesPemKeysAndPasswordFiles) {
    testing::WriteFile(dir_ / "app2.zip", testing::MakeSamplePackage());
    testing::WriteFile(dir_ / "pw.txt", "\n");
    auto sign = Todoke(
        "sign app.zip app2.zip --key signer.key --cert signer.pem "
        "--password-file pw.txt --out-dir out --format json");
    ASSERT_EQ(sign.status, 0) << sign.err;
    EXPECT_EQ(Lines(sign.out), 2u);
    EXPECT_EQ(Todoke("verify out/app.zip out/app2.zip --trust ca.pem").status, 0);
}

TEST_F(CliTest, InvalidPackageExitsOneWithOneLineNamingTheCheck) {
    ASSERT_EQ(
        Todoke("sign app.zip --key signer.p12 --password-env TODOKE_TEST_PW --out s.zip").status,
        0);
    auto reader = ZipReader::Open(testing::ReadFile(dir_ / "s.zip"), {});
    std::vector<ZipWriteEntry> entries;
    for (const auto& e : reader->entries()) {
        std::string data = *reader->Read(e.name);
        if (e.name.ends_with("_01.xml")) data.replace(data.find("見本"), 6, "偽造");
        entries.push_back({e.name, data});
    }
    testing::WriteFile(dir_ / "tampered.zip", *WriteZip(entries));
    auto verify = Todoke("verify tampered.zip --trust ca.pem");
    EXPECT_EQ(verify.status, 1);
    EXPECT_EQ(Lines(verify.err), 1u) << verify.err;
    EXPECT_NE(verify.err.find("[signature.digest_mismatch]"), std::string::npos);
    EXPECT_NE(verify.err.find("495000020325029841_01.xml"), std::string::npos);
    auto json = Todoke("verify tampered.zip --trust ca.pem --format json");
    EXPECT_EQ(json.status, 1);
    EXPECT_NE(json.out.find("\"check\":\"signature.digest_mismatch\""), std::string::npos);

    auto untrusted = Todoke("verify s.zip --trust signer.pem");
    EXPECT_EQ(untrusted.status, 1);
    EXPECT_NE(untrusted.err.find("[certificate.untrusted]"), std::string::npos);
    testing::WriteFile(dir_ / "junk.zip", "not a zip");
    EXPECT_EQ(Todoke("verify junk.zip --trust ca.pem").status, 1);
}

TEST_F(CliTest, UsageAndIoErrorsExitTwo) {
    EXPECT_EQ(Todoke("verify app.zip").status, 2);  // no --trust
    EXPECT_EQ(Todoke("verify missing.zip --trust ca.pem").status, 2);
    EXPECT_EQ(Todoke("verify app.zip --trust missing.pem").status, 2);
    EXPECT_EQ(Todoke("sign app.zip --key signer.p12 --out s.zip").status, 2);  // no password
    EXPECT_EQ(Todoke("sign app.zip app.zip --key signer.p12 --password-env TODOKE_TEST_PW "
                     "--out s.zip")
                  .status,
              2);
    auto unset = Todoke("sign app.zip --key signer.p12 --password-env NO_SUCH_VAR --out s.zip");
    EXPECT_EQ(unset.status, 2);
    EXPECT_NE(unset.err.find("NO_SUCH_VAR"), std::string::npos);
    // There is no way to pass a password as an argument.
    auto arg = Todoke("sign app.zip --key signer.p12 --password test-password --out s.zip");
    EXPECT_EQ(arg.status, 2);
    EXPECT_FALSE(fs::exists(dir_ / "s.zip"));
    auto wrong = Todoke("sign app.zip --key signer.p12 --password-file ca.pem --out s.zip");
    EXPECT_EQ(wrong.status, 2);
    EXPECT_NE(wrong.err.find("wrong password"), std::string::npos);
}

TEST_F(CliTest, ConfigFileLimitsApplyAndUnknownKeysStop) {
    testing::WriteFile(dir_ / "bad.json", R"({"zip": {"max_entrys": 3}})");
    auto bad = Todoke("verify app.zip --trust ca.pem --config bad.json");
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("zip.max_entrys: unknown key"), std::string::npos) << bad.err;
    testing::WriteFile(dir_ / "tight.json", R"({"zip": {"max_entries": 2}})");
    auto tight = Todoke("verify app.zip --trust ca.pem --config tight.json");
    EXPECT_EQ(tight.status, 1);
    EXPECT_NE(tight.err.find("[zip.too_many_entries]"), std::string::npos);
}

TEST_F(CliTest, WarnsWhenTheSigningCertificateExpiresSoon) {
    // Valid from TestNow()-1d to TestNow()+365d: far from today's wall clock either way, so
    // make one that expires in 10 days from now instead.
    const auto now_h = std::chrono::duration_cast<std::chrono::hours>(
        std::chrono::system_clock::now() - testing::TestNow());
    pki_.Issue("soon",
               {.common_name = "Soon",
                .valid_from = now_h - std::chrono::hours(24),
                .valid_until = now_h + std::chrono::hours(24 * 10 + 1)},
               &ca_);
    auto sign = Todoke("sign app.zip --key soon.p12 --password-env TODOKE_TEST_PW --out s.zip");
    EXPECT_EQ(sign.status, 0) << sign.err;
    EXPECT_NE(sign.err.find("expires in 10 days"), std::string::npos) << sign.err;
}

TEST_F(CliTest, PackagesARecordIntoASignedZipThatVerifies) {
    const std::string samples = std::string(TODOKE_SOURCE_DIR) + "/samples/records/";
    testing::WriteFile(dir_ / "koyo.json", testing::ReadFile(samples + "koyo_shutoku.json"));
    testing::WriteFile(dir_ / "teishutsudaiko.pdf",
                       testing::ReadFile(samples + "teishutsudaiko.pdf"));
    auto pkg = Todoke(
        "package koyo.json --key signer.p12 --password-env TODOKE_TEST_PW "
        "--out app.zip --submitted-on 2026-04-05");
    ASSERT_EQ(pkg.status, 0) << pkg.err << pkg.out;
    EXPECT_NE(pkg.out.find("(4950000020325000/, 1 signature(s))"), std::string::npos) << pkg.out;
    auto verify = Todoke("verify app.zip --trust ca.pem --format json");
    EXPECT_EQ(verify.status, 0) << verify.err;
    EXPECT_NE(verify.out.find("\"signed_files\":[\"495000020325029841_01.xml\"]"),
              std::string::npos)
        << verify.out;
    EXPECT_NE(verify.out.find("\"unsigned_files\":[\"teishutsudaiko.pdf\"]"), std::string::npos);
    auto reader = ZipReader::Open(testing::ReadFile(dir_ / "app.zip"), {});
    EXPECT_EQ(*reader->Read("4950000020325000/495000020325029841_01.xml"),
              testing::ReadFile(std::string(TODOKE_SOURCE_DIR) +
                                "/tests/forms/golden/koyo_shutoku_495000020325029841_01.xml"));
    // The 取下げ依頼 of that case, signed and verifiable too.
    auto withdraw = Todoke(
        "package koyo.json --withdraw 9502026000030716 --reason 重複提出 "
        "--key signer.p12 --password-env TODOKE_TEST_PW --out w.zip");
    ASSERT_EQ(withdraw.status, 0) << withdraw.err;
    EXPECT_NE(withdraw.out.find("取下げ依頼 9502026000030716"), std::string::npos);
    auto verified = Todoke("verify w.zip --trust ca.pem --format json");
    EXPECT_EQ(verified.status, 0) << verified.err;
    EXPECT_NE(verified.out.find("\"folder\":\"9990000000000003/\""), std::string::npos);
    EXPECT_NE(verified.out.find("\"signed_files\":[\"torisageirai.xml\"]"), std::string::npos);
    // An invalid record builds nothing.
    std::string bad = testing::ReadFile(dir_ / "koyo.json");
    bad.replace(bad.find("\"male\""), 6, "\"man\"");
    testing::WriteFile(dir_ / "bad.json", bad);
    auto refused = Todoke(
        "package bad.json --key signer.p12 --password-env TODOKE_TEST_PW "
        "--out bad.zip");
    EXPECT_EQ(refused.status, 1);
    EXPECT_NE(refused.out.find("persons[0].gender 性別 [code.unknown]"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(dir_ / "bad.zip"));
}

TEST_F(CliTest, PackagesEveryCsvSampleAndAResubmission) {
    const std::string samples = std::string(TODOKE_SOURCE_DIR) + "/samples/records/";
    for (const char* name : {"kenpo_shutoku.json", "kenpo_soshitsu.json", "kenpo_santei.json",
                             "kenpo_getsuhen.json", "kenpo_shoyo.json"}) {
        testing::WriteFile(dir_ / name, testing::ReadFile(samples + name));
    }
    auto pkg = Todoke(
        "package kenpo_shutoku.json kenpo_soshitsu.json kenpo_santei.json kenpo_getsuhen.json "
        "kenpo_shoyo.json --key signer.p12 --password-env TODOKE_TEST_PW --out-dir out "
        "--submitted-on 2025-07-10");
    ASSERT_EQ(pkg.status, 0) << pkg.err << pkg.out;
    EXPECT_EQ(Lines(pkg.out), 5u) << pkg.out;
    auto verify = Todoke("verify out/sample-kenpo-santei-2025.zip --trust ca.pem --format json");
    EXPECT_EQ(verify.status, 0) << verify.err;
    // The 総括票 is signed; the CSV travels as an attachment (egov-api.md §13.1).
    EXPECT_NE(verify.out.find("\"signed_files\":[\"495000020415029955_01.xml\"]"),
              std::string::npos)
        << verify.out;
    EXPECT_NE(verify.out.find("SHFD0006.CSV"), std::string::npos);
    auto reader = ZipReader::Open(testing::ReadFile(dir_ / "out/sample-kenpo-santei-2025.zip"), {});
    EXPECT_EQ(*reader->Read("4950000020415000/SHFD0006.CSV"),
              testing::ReadFile(std::string(TODOKE_SOURCE_DIR) +
                                "/tests/forms/golden/kenpo_santei_SHFD0006.CSV"));

    // A 再提出 answers a case: its kousei carries the 申請種別 and the 初回受付番号.
    auto again = Todoke(
        "package kenpo_shoyo.json --type resubmit --first-arrive-id 9502026000030716 "
        "--key signer.p12 --password-env TODOKE_TEST_PW --out again.zip");
    ASSERT_EQ(again.status, 0) << again.err;
    auto zip = ZipReader::Open(testing::ReadFile(dir_ / "again.zip"), {});
    const auto kousei = zip->Read("4950000020417000/kousei.xml");
    ASSERT_TRUE(kousei);
    EXPECT_NE(kousei->find("<初回受付番号>9502026000030716</初回受付番号>"), std::string::npos);
    EXPECT_NE(kousei->find("<申請種別>再提出</申請種別>"), std::string::npos);
    EXPECT_EQ(Todoke("verify again.zip --trust ca.pem").status, 0);
    // The number without the type, or the type without the number, is a usage error.
    EXPECT_EQ(Todoke("package kenpo_shoyo.json --first-arrive-id 9502026000030716 --key "
                     "signer.p12 --password-env TODOKE_TEST_PW --out x.zip")
                  .status,
              2);
    EXPECT_EQ(Todoke("package kenpo_shoyo.json --type amend --key signer.p12 --password-env "
                     "TODOKE_TEST_PW --out x.zip")
                  .status,
              2);
}

TEST_F(CliTest, VerifiesAnOfficialDocument) {
    auto gov = pki_.Issue("gov",
                          {.organizational_unit = "DemoOfficialStatusCA",
                           .is_ca = true,
                           .valid_until = std::chrono::hours(24 * 3650),
                           .key_slot = 4},
                          nullptr);
    auto official = testing::LoadKey(pki_.Issue("official",
                                                {.common_name = "Official",
                                                 .valid_until = std::chrono::hours(24 * 3650),
                                                 .critical_policies = true,
                                                 .key_slot = 5},
                                                &gov));
    const std::string pdf = "%PDF-1.4\n%%EOF\n";
    auto kagami = signing::SignOfficialDocument(testing::KagamiXml(), {{"tsuchisho.pdf", pdf}},
                                                official, testing::TestNow());
    testing::WriteFile(dir_ / "doc.zip",
                       *WriteZip({{"d/kagami.xml", *kagami}, {"d/tsuchisho.pdf", pdf}}));
    auto ok = Todoke("verify --official doc.zip --trust gov.pem");
    EXPECT_EQ(ok.status, 0) << ok.err;
    EXPECT_NE(ok.out.find("d/kagami.xml signed by \"CN=Official,C=JP\", 1 attached file(s)"),
              std::string::npos)
        << ok.out;
    auto wrong = Todoke("verify --official doc.zip --trust ca.pem");
    EXPECT_EQ(wrong.status, 1);
    EXPECT_NE(wrong.err.find("[certificate.untrusted]"), std::string::npos);
}

}  // namespace
}  // namespace todoke
