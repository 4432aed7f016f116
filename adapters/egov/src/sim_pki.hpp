// The simulator's certificates, made on its first start in {data}/pki/ and reused afterwards:
// a TLS CA and the loopback server certificate it signs (clients pin the CA), and a demo
// DemoOfficialStatusCA with a 官職 certificate that signs the 公文書 (egov-api.md §14.3).
#pragma once

#include <filesystem>
#include <string>

#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"

namespace todoke::egov::detail {

struct SimPki {
    std::string server_cert_pem, server_key_pem;
    std::string official_cert_pem, official_key_pem;
    std::filesystem::path tls_ca_file;       // PEM of the CA that signed the server certificate
    std::filesystem::path official_ca_file;  // PEM of the 官職 certificate's CA
};

Result<SimPki> LoadOrCreateSimPki(const std::filesystem::path& data_dir, TimePoint now);

}  // namespace todoke::egov::detail
