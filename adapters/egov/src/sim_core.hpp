// The simulator's shared state and its two request handlers (auth server, API), split over
// sim_state.cpp (SQLite store, virtual clock, faults), sim_auth.cpp and sim_api.cpp.
#pragma once

#include <boost/json.hpp>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "https_server.hpp"
#include "sim_pki.hpp"
#include "todoke/common/sqlite.hpp"
#include "todoke/egov/simulator.hpp"
#include "todoke/signing/key_store.hpp"
#include "todoke/signing/trust_store.hpp"
#include "wire.hpp"

namespace todoke::egov::detail {

// One case as the store keeps it.
struct SimCase {
    std::string arrive_id;
    std::int64_t seq = 0;
    std::string proc_id, proc_name, apply_type, first_arrive_id, send_number = "-";
    std::int64_t arrive_at = 0;  // virtual unix seconds
    std::string corporation_name, applicant_name, destination;
    std::int64_t withdrawn_at = 0;     // 取下げ依頼 received (0: none)
    std::int64_t doc_taken_at = 0;     // 公文書取得完了 (0: not yet)
    std::int64_t amended_at = 0;       // 補正 received (0: none)
    bool amendment = false;            // the script gives this case a 補正 notice
};

class SimCore {
  public:
    SimCore(SimulatorConfig config, SqliteDb db, SimPki pki, signing::TrustStore trust,
            signing::SigningKey official_key);

    Result<void> Migrate();

    HttpResponse HandleAuth(const HttpRequest& request);
    HttpResponse HandleApi(const HttpRequest& request);

    const SimulatorConfig& config() const { return config_; }
    const SimPki& pki() const { return pki_; }
    std::string client_secret() const { return client_secret_; }
    std::string base_url;  // https://127.0.0.1:PORT

  private:
    // sim_state.cpp
    std::int64_t VirtualNow();             // unix seconds on the virtual clock
    std::int64_t RealNow() const;
    void AdvanceClock(std::int64_t seconds);
    double Draw();                          // uniform [0, 1) from the seeded generator
    std::string RandomToken(std::size_t bytes);
    Result<std::string> NextArriveId(std::string_view proc_id, std::int64_t now);
    Result<void> InsertCase(const SimCase& c, std::string_view package);
    Result<std::optional<SimCase>> FindCase(std::string_view arrive_id);
    Result<std::vector<SimCase>> ListCases(std::int64_t from, std::int64_t to);
    Result<void> MarkCase(std::string_view arrive_id, std::string_view column, std::int64_t at);
    std::string StatusOf(const SimCase& c, std::int64_t now) const;
    boost::json::object CaseJson(const SimCase& c, std::int64_t now) const;

    // sim_auth.cpp
    std::optional<std::string> CheckBearer(const HttpRequest& request);
    bool CheckBasic(const HttpRequest& request) const;

    // sim_api.cpp
    struct PackageCheck {
        std::vector<ReportRow> rows;
        SimCase draft;  // filled from kousei.xml when the package is readable
    };
    PackageCheck CheckPackage(const boost::json::object& body, std::string_view endpoint,
                              std::string_view expected_type, std::int64_t now);
    HttpResponse Apply(const HttpRequest& r, bool check_only);
    HttpResponse CaseDetail(const HttpRequest& r, std::string_view arrive_id);
    HttpResponse CaseList(const HttpRequest& r);
    HttpResponse Clock(const HttpRequest& r);

    SimulatorConfig config_;
    std::mutex mutex_;  // guards db_, rng_ and the clock
    SqliteDb db_;
    SimPki pki_;
    signing::TrustStore trust_;
    signing::SigningKey official_key_;
    std::mt19937_64 rng_;
    std::string client_secret_;
    std::int64_t clock_base_virtual_ = 0;
    std::int64_t clock_base_real_ = 0;
};

// Responses of the wire model.
HttpResponse Json(int status, const boost::json::object& body);
HttpResponse NoBody(int status);

}  // namespace todoke::egov::detail
