// Test helpers: temporary folders, an in-process test PKI (keys and certificates made with
// OpenSSL, cached so that a test binary generates each RSA key once), and builders for
// application packages and 公文書.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "todoke/common/clock.hpp"
#include "todoke/signing/key_store.hpp"

namespace todoke::testing {

class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  private:
    std::filesystem::path path_;
};

void WriteFile(const std::filesystem::path& path, std::string_view bytes);
std::string ReadFile(const std::filesystem::path& path);

// A fixed "now" for tests: 2026-11-22T00:00:00Z.
TimePoint TestNow();

struct CertSpec {
    std::string common_name = "Test Signer";
    std::string organizational_unit;  // e.g. "DemoOfficialStatusCA"
    bool is_ca = false;
    std::chrono::hours valid_from = std::chrono::hours(-24);  // relative to TestNow()
    std::chrono::hours valid_until = std::chrono::hours(24 * 365);
    bool key_usage = true;           // add a keyUsage extension
    bool digital_signature = true;   // ...including digitalSignature
    bool critical_policies = false;  // certificatePolicies, critical (GPKI style)
    int rsa_bits = 2048;
    int key_slot = 0;  // which cached key to use
};

struct IssuedCert {
    std::string cert_pem;
    std::string key_pem;
    std::filesystem::path cert_path;
    std::filesystem::path key_path;
    std::filesystem::path p12_path;  // password "test-password"
};

class TestPki {
  public:
    explicit TestPki(std::filesystem::path dir);
    // Self-signed when issuer is null.
    IssuedCert Issue(const std::string& name, const CertSpec& spec, const IssuedCert* issuer);
    static constexpr const char* kP12Password = "test-password";

  private:
    std::filesystem::path dir_;
};

signing::SigningKey LoadKey(const IssuedCert& cert);

// A kousei.xml (構成管理XML) listing the given 申請書 files; signature_info is inserted
// verbatim after </構成情報> ("" for none, "<署名情報/>" for the placeholder).
std::string KouseiXml(const std::vector<std::string>& form_files,
                      const std::string& signature_info = "<署名情報/>");
// A small 申請書XML with CRLF line ends, as e-Gov forms are.
std::string FormXml(const std::string& name_value = "見本　一郎");

// An application ZIP: {folder}/kousei.xml + the files.
std::string MakePackage(const std::string& kousei, const std::map<std::string, std::string>& files,
                        const std::string& folder = "4950000020325000/");
// A one-form unsigned package with a PDF attachment.
std::string MakeSamplePackage();

// A 鑑 XML for a 公文書, with `body_text` inside <MAINTXT>.
std::string KagamiXml(const std::string& body_text = "被保険者資格取得確認通知書を送付します。");

}  // namespace todoke::testing
