// Signing benchmark: applicant-signed packages per second (a one-person 取得届 and a 50-person
// 算定基礎届 with its CSV attachment), package verifications, and 公文書 verifications of a 20 KB
// 鑑, each against OpenSSL's raw RSA-2048 signing rate measured in the same run.
// Goals (issue 2): packages signed per second >= 75% of the raw RSA rate; 公文書 verifications
// >= 2,000 per second.
#include <cstdio>
#include <string>

#include "bench_util.hpp"
#include "test_support.hpp"
#include "todoke/common/runtime.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/signing/applicant_signature.hpp"
#include "todoke/signing/official_signature.hpp"
#include "todoke/signing/verifier.hpp"

namespace {

using namespace todoke;

// A 50-row SHFD0006.CSV-shaped attachment (fields per row roughly as the 算定基礎届 layout).
std::string SanteiCsv(int persons) {
    std::string csv = "22223,001,01,,,,\r\n[kanri]\r\n001,0000000001,2026,07,01\r\n[data]\r\n";
    for (int i = 0; i < persons; ++i) {
        csv += "2225700,13,ｱｲｳ,12345," + std::to_string(1000 + i) +
               ",,9,08,09,01,,,,,,,2026,09,31,31,31,300000,300000,300000,0,0,0,300000,300000,"
               "300000,900000,300000,,,,,,,,,,,,1,ﾐﾎﾝ ﾀﾛｳ,5,010401,,\r\n";
    }
    return csv;
}

std::string SanteiForm() {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<DataRoot>\r\n"
           "<様式ID>495000000000000001</様式ID>\r\n<様式バージョン>0001</様式バージョン>\r\n"
           "<STYLESHEET>sokatsu.xsl</STYLESHEET>\r\n<様式コピー情報>0</様式コピー情報>\r\n"
           "<届書総件数>50</届書総件数>\r\n<事業所整理記号>12ｱｲｳ</事業所整理記号>\r\n"
           "<事業所番号>12345</事業所番号>\r\n</DataRoot>\r\n";
}

std::string KagamiOf(int bytes) {
    std::string text;
    while (static_cast<int>(text.size()) < bytes) {
        text +=
            "被保険者資格取得確認及び標準報酬決定通知書。事業所整理記号12ｱｲｳ、被保険者整理番号1001"
            "。";
    }
    return testing::KagamiXml(text);
}

}  // namespace

int main() {
    LibraryRuntime runtime;
    const double seconds = bench::SecondsPerMeasurement(3.0);
    testing::TempDir dir;
    testing::TestPki pki(dir.path());
    auto ca = pki.Issue("ca", {.common_name = "Bench CA", .is_ca = true}, nullptr);
    auto signer_cert = pki.Issue("signer", {.common_name = "Bench Signer"}, &ca);
    auto gov = pki.Issue(
        "gov", {.organizational_unit = "DemoOfficialStatusCA", .is_ca = true, .key_slot = 4},
        nullptr);
    auto official_cert = pki.Issue(
        "official", {.common_name = "Bench Official", .critical_policies = true, .key_slot = 5},
        &gov);
    const signing::SigningKey signer = testing::LoadKey(signer_cert);
    const signing::SigningKey official = testing::LoadKey(official_cert);
    const std::vector<signing::SigningKey> keys{signer};
    const auto trust = *signing::TrustStore::FromPemFiles({ca.cert_path});
    const auto gov_trust = *signing::TrustStore::FromPemFiles({gov.cert_path});
    const TimePoint now = testing::TestNow();
    const ZipLimits limits;

    // Baseline: OpenSSL RSA-2048 PKCS#1 v1.5 signatures over a SHA-256 digest, as `openssl speed`.
    // The baseline runs beside every measurement (bench_util.hpp): a ratio is not moved by the
    // machine's speed drifting during the run.
    const bench::Baseline baseline = bench::Baseline::RawRsa();
    const bench::Rate rsa =
        bench::Measure(baseline.name(), seconds, [&baseline] { return baseline.Run(); });
    const auto measure = [&](const std::string& name, const std::function<bool()>& op) {
        return bench::Measure(name, seconds, op, &baseline);
    };

    const std::string shutoku = testing::MakeSamplePackage();
    const std::string santei = testing::MakePackage(
        testing::KouseiXml({"495000000000000001_01.xml"}),
        {{"495000000000000001_01.xml", SanteiForm()}, {"SHFD0006.CSV", SanteiCsv(50)}},
        "2200700000000000/");
    std::string signed_santei;
    std::vector<bench::Rate> rates;
    rates.push_back(measure("sign package: 1-person 取得届", [&] {
        return signing::SignApplicationPackage(shutoku, keys, now, limits).has_value();
    }));
    rates.push_back(measure("sign package: 50-person 算定基礎届 (form + CSV)", [&] {
        auto r = signing::SignApplicationPackage(santei, keys, now, limits);
        if (r) signed_santei = std::move(r->zip);
        return r.has_value();
    }));
    rates.push_back(measure("verify package: 50-person 算定基礎届", [&] {
        return signing::VerifyApplicationPackage(signed_santei, trust, now).has_value();
    }));

    const std::string kagami_xml = KagamiOf(20 * 1024);
    const std::string pdf(4096, 'p');
    auto kagami =
        signing::SignOfficialDocument(kagami_xml, {{"tsuchisho.pdf", pdf}}, official, now);
    const std::string doc_zip = *WriteZip(
        {{"d/kagami.xml", *kagami}, {"d/kagami.xsl", "<xsl/>"}, {"d/tsuchisho.pdf", pdf}});
    rates.push_back(measure("verify 公文書: 20 KB 鑑 + attachment", [&] {
        return signing::VerifyOfficialDocument(doc_zip, gov_trust, now).has_value();
    }));

    std::printf("package sizes: 取得届 %zu B, 算定基礎届 %zu B (CSV %zu B); 鑑 %zu B\n\n",
                shutoku.size(), santei.size(), SanteiCsv(50).size(), kagami->size());
    bench::PrintTable(rsa, rates);
    std::printf("\ngoals: signing >= 0.75 of raw RSA; 公文書 verification >= 2000/s\n");
    return 0;
}
