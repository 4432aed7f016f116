#include "sim_pki.hpp"

#include <sys/stat.h>

#include "todoke/common/file.hpp"
#include "todoke/signing/cert_issuer.hpp"

namespace todoke::egov::detail {
namespace {

namespace fs = std::filesystem;
using signing::CertificateRequest;
using signing::CertificateUsage;
using signing::IssuedCertificate;

Result<void> Save(const fs::path& dir, const std::string& name, const IssuedCertificate& c) {
    TODOKE_RETURN_IF_ERROR(WriteFileAtomically(dir / (name + ".pem"), c.cert_pem));
    TODOKE_RETURN_IF_ERROR(WriteFileAtomically(dir / (name + ".key"), c.key_pem));
    ::chmod((dir / (name + ".key")).c_str(), 0600);  // keys readable by the owner only
    return Ok();
}

Result<IssuedCertificate> Load(const fs::path& dir, const std::string& name) {
    TODOKE_ASSIGN_OR_RETURN(std::string cert, ReadFileBytes(dir / (name + ".pem"), "certificate"));
    TODOKE_ASSIGN_OR_RETURN(std::string key, ReadFileBytes(dir / (name + ".key"), "key"));
    return IssuedCertificate{std::move(cert), std::move(key)};
}

}  // namespace

Result<SimPki> LoadOrCreateSimPki(const fs::path& data_dir, TimePoint now) {
    const fs::path dir = data_dir / "pki";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return Fail(ErrorCode::kInvalidArgument, "cannot create " + dir.string(), "sim.data");
    }
    if (!fs::exists(dir / "official.key")) {
        const auto years = [&](int n) { return now + std::chrono::hours(24 * 366 * n); };
        const TimePoint start = now - std::chrono::hours(24);
        CertificateRequest ca{"todoke e-Gov simulator TLS CA",
                              "",
                              "todoke simulator",
                              CertificateUsage::kCa,
                              false,
                              {},
                              start,
                              years(10),
                              ""};
        TODOKE_ASSIGN_OR_RETURN(IssuedCertificate tls_ca, signing::IssueCertificate(ca, nullptr));
        CertificateRequest server{"localhost",
                                  "",
                                  "todoke simulator",
                                  CertificateUsage::kServer,
                                  false,
                                  {"DNS:localhost", "IP:127.0.0.1", "IP:::1"},
                                  start,
                                  years(5),
                                  ""};
        TODOKE_ASSIGN_OR_RETURN(IssuedCertificate server_cert,
                                signing::IssueCertificate(server, &tls_ca));
        // The GPKI shape: a self-signed OfficialStatusCA and a 官職 certificate with critical
        // key usage and critical certificatePolicies (egov-api.md §14.3).
        CertificateRequest official_ca{"",
                                       "DemoOfficialStatusCA",
                                       "Japanese Government",
                                       CertificateUsage::kCa,
                                       false,
                                       {},
                                       start,
                                       years(10),
                                       ""};
        TODOKE_ASSIGN_OR_RETURN(IssuedCertificate oca,
                                signing::IssueCertificate(official_ca, nullptr));
        CertificateRequest official{"厚生労働大臣（シミュレータ）",
                                    "Ministry of Health, Labour and Welfare",
                                    "Japanese Government",
                                    CertificateUsage::kSigning,
                                    true,
                                    {},
                                    start,
                                    years(5),
                                    ""};
        TODOKE_ASSIGN_OR_RETURN(IssuedCertificate official_cert,
                                signing::IssueCertificate(official, &oca));
        TODOKE_RETURN_IF_ERROR(Save(dir, "tls-ca", tls_ca));
        TODOKE_RETURN_IF_ERROR(Save(dir, "server", server_cert));
        TODOKE_RETURN_IF_ERROR(Save(dir, "official-ca", oca));
        TODOKE_RETURN_IF_ERROR(Save(dir, "official", official_cert));  // written last: the marker
    }
    SimPki pki;
    TODOKE_ASSIGN_OR_RETURN(IssuedCertificate server, Load(dir, "server"));
    TODOKE_ASSIGN_OR_RETURN(IssuedCertificate official, Load(dir, "official"));
    pki.server_cert_pem = std::move(server.cert_pem);
    pki.server_key_pem = std::move(server.key_pem);
    pki.official_cert_pem = std::move(official.cert_pem);
    pki.official_key_pem = std::move(official.key_pem);
    pki.tls_ca_file = fs::absolute(dir / "tls-ca.pem");
    pki.official_ca_file = fs::absolute(dir / "official-ca.pem");
    return pki;
}

}  // namespace todoke::egov::detail
