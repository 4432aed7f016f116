// The simulator's store (SQLite), virtual clock, random draws and the per-case script.
#include <cstdio>

#include "sim_core.hpp"
#include "todoke/common/encoding.hpp"

namespace todoke::egov::detail {

HttpResponse Json(int status, const boost::json::object& body) {
    HttpResponse r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "application/json; charset=UTF-8");
    r.body = boost::json::serialize(body);
    return r;
}

HttpResponse NoBody(int status) {
    HttpResponse r;
    r.status = status;
    return r;
}

SimCore::SimCore(SimulatorConfig config, SqliteDb db, SimPki pki,
                 std::optional<signing::TrustStore> trust, signing::SigningKey official_key)
    : config_(std::move(config)),
      db_(std::move(db)),
      pki_(std::move(pki)),
      trust_(std::move(trust)),
      official_key_(std::move(official_key)),
      rng_(config_.faults.seed) {}

Result<void> SimCore::Migrate() {
    std::lock_guard lock(mutex_);
    TODOKE_RETURN_IF_ERROR(db_.Exec(R"SQL(
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS codes (
            code TEXT PRIMARY KEY, challenge TEXT NOT NULL, redirect_uri TEXT NOT NULL,
            session TEXT NOT NULL, expires_at INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS tokens (
            token TEXT PRIMARY KEY, kind TEXT NOT NULL, session TEXT NOT NULL,
            issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
            revoked INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS cases (
            arrive_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, proc_id TEXT NOT NULL,
            proc_name TEXT NOT NULL, apply_type TEXT NOT NULL, first_arrive_id TEXT NOT NULL,
            send_number TEXT NOT NULL, arrive_at INTEGER NOT NULL,
            corporation_name TEXT NOT NULL, applicant_name TEXT NOT NULL,
            destination TEXT NOT NULL, amendment INTEGER NOT NULL,
            correct_type TEXT NOT NULL DEFAULT '部分補正',
            withdrawn_at INTEGER NOT NULL DEFAULT 0, doc_taken_at INTEGER NOT NULL DEFAULT 0,
            amended_at INTEGER NOT NULL DEFAULT 0, package BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS cases_by_arrival ON cases (arrive_at);
        DROP INDEX IF EXISTS cases_by_proc;
        CREATE INDEX IF NOT EXISTS cases_by_proc_seq ON cases (proc_id, seq);
        CREATE TABLE IF NOT EXISTS sends (
            send_number TEXT PRIMARY KEY, send_at INTEGER NOT NULL, file_name TEXT NOT NULL,
            apply_count INTEGER NOT NULL, zip BLOB NOT NULL, processed INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS send_results (
            send_number TEXT NOT NULL, folder_name TEXT NOT NULL, arrive_id TEXT NOT NULL,
            proc_name TEXT NOT NULL, report TEXT NOT NULL,
            PRIMARY KEY (send_number, folder_name));
        CREATE TABLE IF NOT EXISTS withdraw_requests (
            arrive_id TEXT NOT NULL, at INTEGER NOT NULL, accepted INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS documents (
            arrive_id TEXT NOT NULL, notice_sub_id INTEGER NOT NULL, zip BLOB NOT NULL,
            PRIMARY KEY (arrive_id, notice_sub_id));
    )SQL"));
    // The client secret is made once and kept, so a restarted simulator keeps its clients.
    TODOKE_ASSIGN_OR_RETURN(auto get, db_.Prepare("SELECT value FROM meta WHERE key = ?1"));
    get.Bind(1, std::string_view("client_secret"));
    TODOKE_ASSIGN_OR_RETURN(bool found, get.Step());
    if (found) {
        client_secret_ = get.Text(0);
    } else {
        client_secret_ = RandomUrlToken(24);
        TODOKE_ASSIGN_OR_RETURN(auto put, db_.Prepare("INSERT INTO meta VALUES (?1, ?2)"));
        TODOKE_RETURN_IF_ERROR(
            put.Bind(1, std::string_view("client_secret")).Bind(2, client_secret_).Run());
    }
    // The virtual clock never runs backwards over a restart: it starts at the latest of the
    // real time, the last clock state and the newest case.
    get.Reset();
    get.Bind(1, std::string_view("clock"));
    TODOKE_ASSIGN_OR_RETURN(found, get.Step());
    std::int64_t start = RealNow();
    if (found) {
        start = std::max<std::int64_t>(start, std::stoll(get.Text(0)));
    }
    TODOKE_ASSIGN_OR_RETURN(auto newest, db_.Prepare("SELECT MAX(arrive_at) FROM cases"));
    TODOKE_ASSIGN_OR_RETURN(found, newest.Step());
    if (found && !newest.IsNull(0)) {
        start = std::max<std::int64_t>(start, newest.Int64(0));
    }
    TODOKE_ASSIGN_OR_RETURN(official_trust_,
                            signing::TrustStore::FromPemFiles({pki_.official_ca_file}));
    clock_base_virtual_ = start;
    clock_base_real_ = RealNow();
    return Ok();
}

std::int64_t SimCore::RealNow() const {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::int64_t SimCore::VirtualNow() {
    const auto elapsed = static_cast<double>(RealNow() - clock_base_real_);
    return clock_base_virtual_ + static_cast<std::int64_t>(elapsed * config_.clock_speed);
}

void SimCore::AdvanceClock(std::int64_t seconds) {
    clock_base_virtual_ += seconds;
    if (auto put = db_.Prepare("INSERT OR REPLACE INTO meta VALUES ('clock', ?1)")) {
        (void)put->Bind(1, std::to_string(VirtualNow())).Run();
    }
}

double SimCore::Draw() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }

Result<std::string> SimCore::NextArriveId(std::string_view proc_id, std::int64_t now) {
    // 3-digit agency + 4-digit year + 9-digit sequence (egov-api.md §4), e.g. 9502026000030716.
    // Cases are never deleted, so the newest rowid is their count (found in the B-tree's last
    // page; COUNT(*) read every page, once per send).
    TODOKE_ASSIGN_OR_RETURN(auto count, db_.Prepare("SELECT COALESCE(MAX(rowid), 0) FROM cases"));
    TODOKE_ASSIGN_OR_RETURN(bool row, count.Step());
    const std::int64_t next = (row ? count.Int64(0) : 0) + 1;
    const std::string year =
        FormatJstDate(std::chrono::system_clock::from_time_t(now)).substr(0, 4);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%09lld", static_cast<long long>(next));
    return std::string(proc_id.substr(0, 3)) + year + buffer;
}

Result<std::int64_t> SimCore::NextSeq(std::string_view proc_id) {
    // Every case (bulk ones too) is numbered in its procedure and none is ever deleted, so the
    // highest number is the count: one index probe instead of counting the procedure's cases.
    TODOKE_ASSIGN_OR_RETURN(
        auto q, db_.Prepare("SELECT COALESCE(MAX(seq), 0) FROM cases WHERE proc_id = ?1"));
    q.Bind(1, proc_id);
    TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
    return (row ? q.Int64(0) : 0) + 1;
}

Result<void> SimCore::InsertCase(const SimCase& c, std::string_view package) {
    TODOKE_ASSIGN_OR_RETURN(auto insert, db_.Prepare(R"SQL(
        INSERT INTO cases (arrive_id, seq, proc_id, proc_name, apply_type, first_arrive_id,
                           send_number, arrive_at, corporation_name, applicant_name, destination,
                           amendment, package, correct_type)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14))SQL"));
    insert.Bind(1, c.arrive_id).Bind(2, c.seq).Bind(3, c.proc_id).Bind(4, c.proc_name);
    insert.Bind(5, c.apply_type).Bind(6, c.first_arrive_id).Bind(7, c.send_number);
    insert.Bind(8, c.arrive_at).Bind(9, c.corporation_name).Bind(10, c.applicant_name);
    insert.Bind(11, c.destination).Bind(12, std::int64_t{c.amendment ? 1 : 0});
    insert.BindBlob(13, package);
    insert.Bind(14, c.correct_type);
    return insert.Run();
}

namespace {

constexpr std::string_view kCaseColumns =
    "arrive_id, seq, proc_id, proc_name, apply_type, first_arrive_id, send_number, arrive_at, "
    "corporation_name, applicant_name, destination, amendment, withdrawn_at, doc_taken_at, "
    "amended_at, correct_type";

SimCase ReadCase(const SqliteStatement& s) {
    SimCase c;
    c.arrive_id = s.Text(0);
    c.seq = s.Int64(1);
    c.proc_id = s.Text(2);
    c.proc_name = s.Text(3);
    c.apply_type = s.Text(4);
    c.first_arrive_id = s.Text(5);
    c.send_number = s.Text(6);
    c.arrive_at = s.Int64(7);
    c.corporation_name = s.Text(8);
    c.applicant_name = s.Text(9);
    c.destination = s.Text(10);
    c.amendment = s.Int64(11) != 0;
    c.withdrawn_at = s.Int64(12);
    c.doc_taken_at = s.Int64(13);
    c.amended_at = s.Int64(14);
    c.correct_type = s.Text(15);
    return c;
}

}  // namespace

Result<std::optional<SimCase>> SimCore::FindCase(std::string_view arrive_id) {
    TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare("SELECT " + std::string(kCaseColumns) +
                                                " FROM cases WHERE arrive_id = ?1"));
    q.Bind(1, arrive_id);
    TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) {
        return std::optional<SimCase>();
    }
    return std::optional<SimCase>(ReadCase(q));
}

namespace {

Result<std::vector<SimCase>> ReadCases(SqliteStatement& q) {
    std::vector<SimCase> out;
    for (;;) {
        TODOKE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) {
            return out;
        }
        out.push_back(ReadCase(q));
    }
}

}  // namespace

Result<std::vector<SimCase>> SimCore::ListCases(std::int64_t from, std::int64_t to) {
    TODOKE_ASSIGN_OR_RETURN(auto q,
                            db_.Prepare("SELECT " + std::string(kCaseColumns) +
                                        " FROM cases WHERE arrive_at >= ?1 AND "
                                        "arrive_at < ?2 ORDER BY arrive_at DESC, seq DESC"));
    q.Bind(1, from).Bind(2, to);
    return ReadCases(q);
}

Result<std::vector<SimCase>> SimCore::ListCasesOfSend(std::string_view send_number) {
    TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare("SELECT " + std::string(kCaseColumns) +
                                                " FROM cases WHERE send_number = ?1 "
                                                "ORDER BY arrive_at DESC, seq DESC"));
    q.Bind(1, send_number);
    return ReadCases(q);
}

Result<void> SimCore::MarkCase(std::string_view arrive_id, std::string_view column,
                               std::int64_t at) {
    TODOKE_ASSIGN_OR_RETURN(auto q, db_.Prepare("UPDATE cases SET " + std::string(column) +
                                                " = ?1 WHERE arrive_id = ?2"));
    return q.Bind(1, at).Bind(2, arrive_id).Run();
}

// The script of egov-api.md §7, on the virtual clock.
std::string SimCore::StatusOf(const SimCase& c, std::int64_t now) const {
    const std::int64_t review = c.arrive_at + config_.review_after_s;
    const std::int64_t decide = review + config_.decide_after_s;
    if (c.withdrawn_at != 0) {
        if (now < WithdrawalDecidedAt(c)) {
            return "到達（取下げ処理中）";
        }
        if (WithdrawalApproved(c)) {
            return "手続終了";  // unconfirmed: the notes do not give the status after a 取下げ
        }
    }
    if (now < review) {
        return "到達";
    }
    if (now < decide) {
        return "審査中";
    }
    if (c.amendment && c.amended_at == 0) {
        return "審査中（補正待ち）";
    }
    if (c.amendment && c.correct_type == "再提出") {
        return "手続終了";  // the resubmission is a new case
    }
    const std::int64_t issued = IssueAt(c);
    if (now < issued) {
        return "審査中";
    }
    if (c.doc_taken_at != 0 || now >= issued + config_.doc_deadline_s) {
        return "手続終了";
    }
    return "審査終了";
}

std::vector<SimCore::SimNotice> SimCore::NoticesOf(const SimCase& c, std::int64_t now) const {
    std::vector<SimNotice> out;
    if (c.amendment && now >= DecideAt(c)) {
        SimNotice n;
        n.sub_id = 1;
        n.type = "補正";
        n.title = "補正のお願い";
        n.sentence = "提出された届書の記載内容に補正を要する箇所があります。該当箇所を訂正のうえ" +
                     c.correct_type + "してください。";
        n.issued_at = DecideAt(c);
        n.correct_type = c.correct_type;
        n.correct_deadline = DecideAt(c) + std::int64_t{14} * 86400;
        n.corrected_at = c.amended_at;
        out.push_back(std::move(n));
    }
    if (c.withdrawn_at != 0 && now >= WithdrawalDecidedAt(c)) {
        const bool granted = WithdrawalApproved(c);
        SimNotice n;
        n.sub_id = DocSubId(c) + 1;
        n.type = "取下げ";
        n.title = granted ? "取下げ承認のお知らせ" : "取下げ却下のお知らせ";
        n.sentence = granted ? "取下げ依頼を承認しました。"
                             : "取下げ依頼は認められませんでした。審査を続けます。";
        n.issued_at = WithdrawalDecidedAt(c);
        out.push_back(std::move(n));
    }
    return out;
}

boost::json::object SimCore::CaseJson(const SimCase& c, std::int64_t now) const {
    const std::string status = StatusOf(c, now);
    const auto when = [](std::int64_t t) {
        return FormatJstDateTime(std::chrono::system_clock::from_time_t(t));
    };
    boost::json::array official_list;
    const std::int64_t issued = IssueAt(c);
    if (now >= issued) {
        official_list.push_back(boost::json::object{
            {"notice_sub_id", DocSubId(c)},
            {"allowed_date", when(issued)},
            {"doc_title", c.proc_name + " 公文書"},
            {"doc_download_expired_date", when(issued + config_.doc_deadline_s)},
            {"doc_download_date", c.doc_taken_at != 0 ? when(c.doc_taken_at) : std::string()},
            {"sign", "あり"}});
    }
    boost::json::array notice_list;
    for (const auto& n : NoticesOf(c, now)) {
        notice_list.push_back(boost::json::object{
            {"notice_sub_id", n.sub_id},
            {"issue_date", when(n.issued_at)},
            {"notice_data_type", n.type},
            {"notice_title", n.title},
            {"notice_sentence", n.sentence},
            {"issuer_organization", c.destination},
            {"correct_expired_date", n.correct_deadline != 0 ? when(n.correct_deadline) : ""},
            {"correct_completed_date", n.corrected_at != 0 ? when(n.corrected_at) : ""}});
    }
    return boost::json::object{{"status", status},
                               {"arrive_id", c.arrive_id},
                               {"arrive_date", when(c.arrive_at)},
                               {"corporation_name", c.corporation_name},
                               {"applicant_name", c.applicant_name},
                               {"proc_name", c.proc_name},
                               {"submission_destination", c.destination},
                               {"withdraw_flag", status == "到達" || status == "審査中"},
                               {"pay_status", "-"},
                               {"notice_count", notice_list.size()},
                               {"doc_count", official_list.size()},
                               {"apply_pay_count", 0},
                               {"notice_list", std::move(notice_list)},
                               {"official_list", std::move(official_list)},
                               {"apply_pay_list", boost::json::array{}},
                               {"applied_account", "todoke-sim@example.jp"}};
}

}  // namespace todoke::egov::detail
