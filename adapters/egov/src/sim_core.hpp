// The simulator's shared state and its two request handlers (auth server, API), split over
// sim_state.cpp (SQLite store, virtual clock, faults), sim_auth.cpp and sim_api.cpp.
#pragma once

#include <boost/json.hpp>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
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

// The path every API endpoint of the simulator is under (egov-api.md §2).
inline constexpr std::string_view kApi = "/shinsei/v2";

// One case as the store keeps it.
struct SimCase {
    std::string arrive_id;
    std::int64_t seq = 0;
    std::string proc_id, proc_name, apply_type, first_arrive_id, send_number = "-";
    std::int64_t arrive_at = 0;  // virtual unix seconds
    std::string corporation_name, applicant_name, destination;
    std::int64_t withdrawn_at = 0;          // 取下げ依頼 received (0: none)
    std::int64_t doc_taken_at = 0;          // 公文書取得完了 (0: not yet)
    std::int64_t amended_at = 0;            // 補正 received (0: none)
    bool amendment = false;                 // the script gives this case a 補正 notice
    std::string correct_type = "部分補正";  // of that notice: 部分補正 or 再提出
};

class SimCore {
  public:
    SimCore(SimulatorConfig config, SqliteDb db, SimPki pki,
            std::optional<signing::TrustStore> trust, signing::SigningKey official_key);

    Result<void> Migrate();

    HttpResponse HandleAuth(const HttpRequest& request);
    HttpResponse HandleApi(const HttpRequest& request);

    const SimulatorConfig& config() const { return config_; }
    const SimPki& pki() const { return pki_; }
    std::string client_secret() const { return client_secret_; }
    std::string base_url;  // https://127.0.0.1:PORT

  private:
    // sim_state.cpp
    std::int64_t VirtualNow();  // unix seconds on the virtual clock
    std::int64_t RealNow() const;
    void AdvanceClock(std::int64_t seconds);
    double Draw();  // uniform [0, 1) from the seeded generator
    Result<std::string> NextArriveId(std::string_view proc_id, std::int64_t now);
    Result<std::int64_t> NextSeq(std::string_view proc_id);  // the case's number in its procedure
    Result<void> InsertCase(const SimCase& c, std::string_view package);
    Result<std::optional<SimCase>> FindCase(std::string_view arrive_id);
    Result<std::vector<SimCase>> ListCases(std::int64_t from, std::int64_t to);
    Result<std::vector<SimCase>> ListCasesOfSend(std::string_view send_number);
    Result<void> MarkCase(std::string_view arrive_id, std::string_view column, std::int64_t at);
    std::string StatusOf(const SimCase& c, std::int64_t now) const;
    boost::json::object CaseJson(const SimCase& c, std::int64_t now) const;

    // sim_auth.cpp
    std::optional<std::string> CheckBearer(const HttpRequest& request);
    bool CheckBasic(const HttpRequest& request) const;

    // sim_api.cpp
    struct PackageCheck {
        std::vector<ReportRow> rows;
        SimCase draft;    // filled from kousei.xml when the package is readable
        std::string zip;  // the package, once it passed the checks
    };
    // The checks of one package given as ZIP bytes (sim_checks.cpp); CheckPackage reads the
    // JSON body (proc_id, send_file) first.
    PackageCheck CheckZip(std::string zip, std::string proc_id, std::string_view endpoint,
                          std::string_view expected_type, std::int64_t now);
    PackageCheck CheckPackage(const boost::json::object& body, std::string_view endpoint,
                              std::string_view expected_type, std::int64_t now);
    HttpResponse Apply(const HttpRequest& r, bool check_only);
    HttpResponse CaseDetail(const HttpRequest& r, std::string_view arrive_id);
    HttpResponse CaseList(const HttpRequest& r);
    HttpResponse Clock(const HttpRequest& r);
    HttpResponse Amend(const HttpRequest& r);
    HttpResponse Skeleton(std::string_view proc_id);
    // sim_bulk.cpp
    HttpResponse BulkApply(const HttpRequest& r);
    HttpResponse BulkReport(const HttpRequest& r);
    Result<void> RunBulkBatch();
    HttpResponse Withdraw(const HttpRequest& r);
    // Fault drop_after_record: what was sent is kept, but the connection closes before the
    // answer (a dropped response), for that share of the sends; nullopt otherwise.
    std::optional<HttpResponse> AnswerLost() {
        if (config_.faults.drop_after_record > 0 && Draw() < config_.faults.drop_after_record) {
            HttpResponse dropped;
            dropped.drop = true;
            return dropped;
        }
        return std::nullopt;
    }

    // sim_documents.cpp
    Result<std::string> OfficialDocumentZip(const SimCase& c, std::int64_t issued_at);
    HttpResponse GetOfficialDocument(std::string_view arrive_id, std::string_view sub_id);
    HttpResponse CompleteOfficialDocument(const HttpRequest& r);
    HttpResponse VerifyOfficialDocument(const HttpRequest& r);
    HttpResponse NoticeList(const HttpRequest& r);
    HttpResponse NoticeDetail(std::string_view arrive_id, std::string_view sub_id);
    std::int64_t DecideAt(const SimCase& c) const {
        return c.arrive_at + config_.review_after_s + config_.decide_after_s;
    }
    // When the case's 公文書 is issued: at the decision, or for a case that got a 補正 notice,
    // review_after_s after the amendment arrived; never for a withdrawn or unamended one.
    // 通知通番 of the 公文書: after a 補正 notice (通番 1) it is 2.
    static int DocSubId(const SimCase& c) { return c.amendment ? 2 : 1; }
    std::int64_t IssueAt(const SimCase& c) const {
        if ((c.withdrawn_at != 0 && WithdrawalApproved(c)) || (c.amendment && c.amended_at == 0) ||
            (c.amendment && c.correct_type == "再提出")) {
            return std::numeric_limits<std::int64_t>::max() / 2;
        }
        const std::int64_t at = c.amendment
                                    ? std::max(c.amended_at, DecideAt(c)) + config_.review_after_s
                                    : DecideAt(c);
        // A refused withdrawal holds the case until it is decided.
        return c.withdrawn_at != 0 ? std::max(at, WithdrawalDecidedAt(c)) : at;
    }
    // 取下げ依頼 are decided review_after_s after they arrive: granted (the case ends, 手続終了,
    // nothing issued) or, for every withdraw_reject_every-th case, refused (the case goes on).
    // Either way a 取下げ notice tells which (its 通番 after the 補正 notice and the 公文書).
    std::int64_t WithdrawalDecidedAt(const SimCase& c) const {
        return c.withdrawn_at + config_.review_after_s;
    }
    bool WithdrawalApproved(const SimCase& c) const {
        return !(config_.withdraw_reject_every > 0 && c.seq % config_.withdraw_reject_every == 0);
    }
    // A notice about a case (egov-api.md §6.9): the 補正 request (通番 1) or the 取下げ decision
    // (its 通番 after the 公文書's).
    struct SimNotice {
        int sub_id = 0;
        std::string type, title, sentence;
        std::int64_t issued_at = 0;
        std::string correct_type;           // 補正 only
        std::int64_t correct_deadline = 0;  // 補正 only
        std::int64_t corrected_at = 0;      // 補正 only: when the 補正 arrived (0: not yet)
    };
    // The notices of a case issued by `now`, for the case detail, /notice/{id}/{n} and
    // /notice/lists alike (sim_state.cpp).
    std::vector<SimNotice> NoticesOf(const SimCase& c, std::int64_t now) const;

    SimulatorConfig config_;
    std::mutex mutex_;  // guards db_, rng_ and the clock
    SqliteDb db_;
    SimPki pki_;
    std::optional<signing::TrustStore> trust_;  // none: every signature is refused
    signing::SigningKey official_key_;
    std::mt19937_64 rng_;
    std::string client_secret_;
    std::optional<signing::TrustStore> official_trust_;  // the sim's own 官職 CA (verify)
    bool bulk_pending_ = true;  // unprocessed 一括申請 may exist (RunBulkBatch has work)
    std::int64_t clock_base_virtual_ = 0;
    std::int64_t clock_base_real_ = 0;
};

// Responses of the wire model.
HttpResponse Json(int status, const boost::json::object& body);
HttpResponse NoBody(int status);

}  // namespace todoke::egov::detail
