// `todoke sim egov`: a local e-Gov API v2 and its OAuth2 server over HTTPS on loopback, for
// rehearsals and tests (egov-api.md §16). It checks what it receives as e-Gov does — Base64,
// ZIP, the {proc_id}/ folder, kousei.xml against the procedure and the endpoint, every listed
// file, the character set, every applicant signature against its trust anchors — and keeps its
// cases in SQLite under the data folder, so a restart continues where it stopped. Cases move
// through e-Gov's statuses on a virtual clock (a test advances it with POST {api_base}/_sim/clock);
// faults (500/503 shares, slow answers, connections dropped after a case was recorded, tokens
// revoked early, maintenance windows) are drawn from a seeded generator.
//
// Token lifetimes run on the real clock (the auth server is not the ministry); case progress
// runs on the virtual clock.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "todoke/common/result.hpp"

namespace todoke::egov {

struct SimulatorFaults {
    double error_500 = 0;  // share of API calls answered 500
    double error_503 = 0;  // share answered 503
    // share of /apply and /apply/withdraw calls recorded (the case, the 取下げ依頼), then dropped
    double drop_after_record = 0;
    double slow = 0;  // share of calls answered after slow_ms
    std::int64_t slow_ms = 0;
    std::uint64_t seed = 1;
    // Maintenance: every API call is 503 while the virtual clock is in [start, end) (unix s).
    std::int64_t maintenance_start = 0;
    std::int64_t maintenance_end = 0;
};

// What the ministry does with the cases of one procedure: every amendment_every-th case (0:
// none) gets a 補正 notice of correct_type 部分補正 (answered with /apply/amend) or 再提出
// (answered with a new /apply naming the case as 初回受付番号, which ends the original).
struct ProcedureScript {
    std::string proc_id;
    int amendment_every = 0;
    std::string correct_type = "部分補正";
};

struct SimulatorConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  // 0: a free port
    std::filesystem::path data_dir;
    // Applicant trust anchors (PEM); none: every applicant signature is refused.
    std::vector<std::filesystem::path> trust_files;
    double clock_speed = 1.0;  // virtual seconds per real second
    std::string client_id = "todoke-sim";
    std::string redirect_uri = "http://127.0.0.1/callback";
    std::int64_t access_token_seconds = 3600;
    std::int64_t refresh_token_seconds = 15'552'000;
    std::uint64_t max_upload_bytes = 10ull << 20;  // larger request bodies get 413
    // Per-case script: 到達 -> 審査中 after review_after_s, then the outcome after decide_after_s
    // (virtual seconds). Every amendment_every-th case of a procedure gets a 補正 notice
    // (0: none); the others a 公文書, which may be taken until doc_deadline_s after issue.
    std::int64_t review_after_s = 600;
    std::int64_t decide_after_s = 2 * 86400;
    int amendment_every = 0;
    // 取下げ依頼 are decided review_after_s after they arrive; every withdraw_reject_every-th
    // case (by arrival order) is refused (0: every one is granted).
    int withdraw_reject_every = 0;
    std::vector<ProcedureScript> scripts;  // per procedure; others follow amendment_every
    std::int64_t doc_deadline_s = 90 * 86400;
    std::int64_t bulk_after_s = 300;  // /bulk-apply folders arrive this long after the send
    SimulatorFaults faults;
    int threads = 8;
};

// Reads a JSON config file into `config` (keys as the member names, "faults" as an object);
// unknown keys are errors.
Result<void> ReadSimulatorConfig(const std::filesystem::path& path, SimulatorConfig& config);

class Simulator {
  public:
    static Result<std::unique_ptr<Simulator>> Start(const SimulatorConfig& config);
    ~Simulator();

    std::string api_base() const;   // https://127.0.0.1:PORT/shinsei/v2
    std::string auth_base() const;  // https://127.0.0.1:PORT/auth
    // The JSON line `todoke sim egov` prints when ready: api_base, auth_base, client_id,
    // client_secret, redirect_uri, ca_file, official_ca_file.
    std::string ReadyLine() const;
    void Stop();

    struct Impl;

  private:
    explicit Simulator(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The operator call POST {api_base}/_sim/clock of a running simulator (TLS verified with
// `ca_file`); returns the new virtual time "YYYY-MM-DD HH:MM:SS".
Result<std::string> AdvanceSimulatorClock(const std::string& api_base, const std::string& ca_file,
                                          std::int64_t seconds);

// The operator call POST {api_base}/_sim/faults: changes the faults of a running simulator
// (`faults_json`: members of SimulatorFaults; those left out keep their values), e.g.
// {"error_503": 1} for an outage. Returns the simulator's answer (the shares now in force).
Result<std::string> SetSimulatorFaults(const std::string& api_base, const std::string& ca_file,
                                       const std::string& faults_json);

}  // namespace todoke::egov
