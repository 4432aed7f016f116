#include "test_support.hpp"

#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "todoke/common/zip.hpp"
#include "todoke/signing/cert_issuer.hpp"

namespace todoke::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "todoke-test-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

void WriteFile(const fs::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string ReadFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

TimePoint TestNow() { return std::chrono::system_clock::from_time_t(1795305600); }

namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

// RSA key generation is slow; a test binary makes each (slot, size) once.
EVP_PKEY* CachedKey(int slot, int bits) {
    static std::mutex mu;
    static std::map<std::pair<int, int>, std::unique_ptr<EVP_PKEY, PkeyFree>> keys;
    std::lock_guard lock(mu);
    auto& k = keys[{slot, bits}];
    if (!k) k.reset(EVP_RSA_gen(static_cast<unsigned>(bits)));
    if (!k) throw std::runtime_error("RSA key generation failed");
    return k.get();
}

std::string Pem(int (*write)(BIO*, void*), void* obj) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio, obj);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    return out;
}

int WriteKey(BIO* b, void* k) {
    return PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY*>(k), nullptr, nullptr, 0, nullptr,
                                    nullptr);
}

}  // namespace

TestPki::TestPki(fs::path dir) : dir_(std::move(dir)) {}

IssuedCert TestPki::Issue(const std::string& name, const CertSpec& spec, const IssuedCert* issuer) {
    EVP_PKEY* key = CachedKey(spec.key_slot, spec.rsa_bits);
    signing::CertificateRequest request;
    request.common_name = spec.common_name;
    request.organizational_unit = spec.organizational_unit;
    request.usage = spec.is_ca               ? signing::CertificateUsage::kCa
                    : !spec.key_usage        ? signing::CertificateUsage::kNoKeyUsage
                    : spec.digital_signature ? signing::CertificateUsage::kSigning
                                             : signing::CertificateUsage::kKeyEncipherment;
    request.critical_policies = spec.critical_policies;
    request.not_before = TestNow() + spec.valid_from;
    request.not_after = TestNow() + spec.valid_until;
    request.key_pem = Pem(WriteKey, key);
    signing::IssuedCertificate parent;
    if (issuer != nullptr) {
        parent = {issuer->cert_pem, issuer->key_pem};
    }
    auto issued = signing::IssueCertificate(request, issuer != nullptr ? &parent : nullptr);
    if (!issued) throw std::runtime_error(issued.error().ToString());
    BIO* cb = BIO_new_mem_buf(issued->cert_pem.data(), static_cast<int>(issued->cert_pem.size()));
    X509* cert = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
    BIO_free(cb);

    IssuedCert out;
    out.cert_pem = issued->cert_pem;
    out.key_pem = issued->key_pem;
    out.cert_path = dir_ / (name + ".pem");
    out.key_path = dir_ / (name + ".key");
    out.p12_path = dir_ / (name + ".p12");
    WriteFile(out.cert_path, out.cert_pem);
    WriteFile(out.key_path, out.key_pem);
    PKCS12* p12 = PKCS12_create(kP12Password, name.c_str(), key, cert, nullptr, 0, 0, 0, 0, 0);
    unsigned char* der = nullptr;
    const int len = i2d_PKCS12(p12, &der);
    WriteFile(out.p12_path,
              std::string(reinterpret_cast<char*>(der), static_cast<std::size_t>(len)));
    OPENSSL_free(der);
    PKCS12_free(p12);
    X509_free(cert);
    return out;
}

signing::SigningKey LoadKey(const IssuedCert& cert) {
    auto key = signing::LoadPem(cert.key_path, cert.cert_path, "");
    if (!key) throw std::runtime_error(key.error().ToString());
    return *key;
}

std::string KouseiXml(const std::vector<std::string>& form_files,
                      const std::string& signature_info) {
    std::string forms;
    for (const auto& f : form_files) {
        forms +=
            "<申請書属性情報><申請書様式ID>495000020325029841</申請書様式ID>"
            "<申請書様式バージョン>0003</申請書様式バージョン>"
            "<申請書様式名称>雇用保険被保険者資格取得届</申請書様式名称>"
            "<申請書ファイル名称>" +
            f + "</申請書ファイル名称></申請書属性情報>\n";
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<?xml-stylesheet href=\"999000000000000001.xsl\" type=\"text/xsl\"?>\n"
           "<DataRoot>\n<様式ID>999000000000000001</様式ID>\n<様式バージョン>0001</"
           "様式バージョン>\n"
           "<STYLESHEET>999000000000000001.xsl</STYLESHEET>\n"
           "<構成情報 ID=\"構成情報\">\n<管理情報>\n"
           "<手続番号><受付行政機関ID>100495</受付行政機関ID><手続ID>4950000020325000</手続ID></"
           "手続番号>\n"
           "<手続名称>雇用保険被保険者資格取得届／電子申請</手続名称>\n<初回受付番号/>\n"
           "<申請種別>新規申請</申請種別>\n"
           "<申請者連絡先情報><申請者情報><氏名>見本　太郎</氏名><郵便番号>1000014</郵便番号>"
           "<電話番号>03-1234-5678</電話番号></申請者情報></申請者連絡先情報>\n"
           "</管理情報>\n"
           "<添付書類属性情報><添付種別>添付</添付種別><添付書類名称>提出代行に関する証明書</"
           "添付書類名称>"
           "<添付書類ファイル名称>teishutsudaiko.pdf</添付書類ファイル名称><提出情報>1</提出情報>"
           "</添付書類属性情報>\n"
           "<提出先情報><提出先識別子>49511000010000000003829</提出先識別子>"
           "<提出先名称>東京都,渋谷公共職業安定所</提出先名称></提出先情報>\n" +
           forms + "</構成情報>\n" + signature_info + "\n</DataRoot>\n";
}

std::string FormXml(const std::string& name_value) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
           "<?xml-stylesheet href=\"495000020325029841.xsl\" type=\"text/xsl\"?>\r\n"
           "<DataRoot>\r\n<様式ID>495000020325029841</様式ID>\r\n<様式バージョン>0003</"
           "様式バージョン>\r\n"
           "<STYLESHEET>495000020325029841.xsl</STYLESHEET>\r\n<様式コピー情報>0</"
           "様式コピー情報>\r\n"
           "<被保険者氏名>" +
           name_value +
           "</被保険者氏名>\r\n"
           "<生年月日><年号>平成</年号><年>10</年><月>4</月><日>1</日></生年月日>\r\n</"
           "DataRoot>\r\n";
}

std::string MakePackage(const std::string& kousei, const std::map<std::string, std::string>& files,
                        const std::string& folder) {
    std::vector<ZipWriteEntry> entries;
    entries.push_back({folder, ""});
    entries.push_back({folder + "kousei.xml", kousei});
    for (const auto& [name, bytes] : files) entries.push_back({folder + name, bytes});
    auto zip = WriteZip(entries);
    if (!zip) throw std::runtime_error(zip.error().ToString());
    return *zip;
}

std::string MakeSamplePackage() {
    return MakePackage(KouseiXml({"495000020325029841_01.xml"}),
                       {{"495000020325029841_01.xml", FormXml()},
                        {"teishutsudaiko.pdf", "%PDF-1.4\n% test\n%%EOF\n"}});
}

std::string KagamiXml(const std::string& body_text) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<?xml-stylesheet href=\"kagami.xsl\" type=\"text/xsl\"?>\n"
           "<DOC>\n<FRONT><FRONTTXT>公文書</FRONTTXT></FRONT>\n"
           "<BODY ID=\"DOCBODY\">\n<STYLESHEET>kagami.xsl</STYLESHEET>\n"
           "<TOTATUNO>9502026000030716</TOTATUNO>\n<DATE>令和8年11月22日</DATE>\n"
           "<TO>株式会社見本商事　御中</TO>\n<AUTHOR>渋谷公共職業安定所長</AUTHOR>\n"
           "<TITLE>雇用保険被保険者資格取得等確認通知書</TITLE>\n<MAINTXT>" +
           body_text +
           "</MAINTXT>\n</BODY>\n<APPENDIX><DOCLINK>tsuchisho.pdf</DOCLINK></APPENDIX>\n</DOC>\n";
}

}  // namespace todoke::testing
