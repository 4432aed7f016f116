// The SQLite store's schema (its migrations) and how a filing row is read. Internal to queue/.
#pragma once

#include <chrono>
#include <string_view>

#include "todoke/common/sqlite.hpp"
#include "todoke/queue/filing.hpp"

namespace todoke::queue::detail {

inline std::int64_t Ms(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline TimePoint FromMs(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

// Each entry moves the schema one version up; never edit a released one, add another.
inline constexpr std::string_view kMigrations[] = {
    R"sql(
CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE filings (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL, idem_key TEXT NOT NULL, fingerprint TEXT NOT NULL,
  company TEXT NOT NULL, company_name TEXT NOT NULL, procedure TEXT NOT NULL,
  proc_id TEXT NOT NULL DEFAULT '', proc_name TEXT NOT NULL DEFAULT '',
  applicant_name TEXT NOT NULL DEFAULT '', corporation_name TEXT NOT NULL DEFAULT '',
  recon_key TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL, fence INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL, lease_owner TEXT NOT NULL DEFAULT '',
  lease_until INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, sent_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '', errors TEXT NOT NULL DEFAULT '',
  arrive_id TEXT NOT NULL DEFAULT '', arrive_date TEXT NOT NULL DEFAULT '',
  send_number TEXT NOT NULL DEFAULT '',
  payload_sha256 TEXT NOT NULL DEFAULT '', payload BLOB, record BLOB NOT NULL,
  apply_kind TEXT NOT NULL DEFAULT 'new', first_arrive_id TEXT NOT NULL DEFAULT '',
  notice TEXT NOT NULL DEFAULT '', dead_from TEXT NOT NULL DEFAULT '',
  UNIQUE (tenant, idem_key));
CREATE INDEX filings_due ON filings (state, next_at);
CREATE INDEX filings_recon ON filings (recon_key, state);
CREATE TABLE history (
  id INTEGER PRIMARY KEY, filing_id INTEGER NOT NULL REFERENCES filings (id),
  at INTEGER NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL,
  actor TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX history_filing ON history (filing_id);
CREATE TABLE cases (
  arrive_id TEXT PRIMARY KEY, filing_id INTEGER NOT NULL REFERENCES filings (id),
  at INTEGER NOT NULL);
CREATE TABLE documents (
  id INTEGER PRIMARY KEY, filing_id INTEGER NOT NULL REFERENCES filings (id),
  arrive_id TEXT NOT NULL, notice_sub_id INTEGER NOT NULL, sha256 TEXT NOT NULL,
  title TEXT NOT NULL, signer TEXT NOT NULL, state TEXT NOT NULL, company TEXT NOT NULL,
  stored_at INTEGER NOT NULL, acknowledged_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE (arrive_id, notice_sub_id));
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, filing_id INTEGER NOT NULL REFERENCES filings (id),
  document_id INTEGER NOT NULL DEFAULT 0, company TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, next_at INTEGER NOT NULL,
  fence INTEGER NOT NULL DEFAULT 0, lease_owner TEXT NOT NULL DEFAULT '',
  lease_until INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '', done_at INTEGER NOT NULL DEFAULT 0);
CREATE INDEX outbox_due ON outbox (done_at, next_at);
CREATE TABLE mailbox (
  id INTEGER PRIMARY KEY, company TEXT NOT NULL,
  document_id INTEGER NOT NULL REFERENCES documents (id),
  filing_id INTEGER NOT NULL REFERENCES filings (id), delivered_at INTEGER NOT NULL,
  UNIQUE (company, document_id));
)sql",
    // v2: the sealed record and package leave the filings row. Stored in it they were rewritten
    // (into the WAL) by every state change, and every read of a filing's later columns walked
    // their overflow pages.
    R"sql(
CREATE TABLE filing_data (
  filing_id INTEGER PRIMARY KEY REFERENCES filings (id),
  record BLOB NOT NULL, payload BLOB);
INSERT INTO filing_data (filing_id, record, payload) SELECT id, record, payload FROM filings;
ALTER TABLE filings DROP COLUMN payload;
ALTER TABLE filings DROP COLUMN record;
)sql",
    // v3: the reason of a 取下げ依頼 (withdraw_requested, withdrawing).
    R"sql(
ALTER TABLE filings ADD COLUMN withdraw_reason TEXT NOT NULL DEFAULT '';
)sql",
    // v4: the case an operator named as a filing's after an ambiguous reconciliation, checked
    // against the portal by the next reconciliation.
    R"sql(
ALTER TABLE filings ADD COLUMN settled_case TEXT NOT NULL DEFAULT '';
)sql",
};

inline constexpr std::string_view kFilingColumns =
    "id, tenant, idem_key, fingerprint, company, company_name, procedure, proc_id, proc_name, "
    "applicant_name, corporation_name, state, fence, failures, next_at, lease_owner, "
    "lease_until, created_at, updated_at, sent_at, last_error, errors, arrive_id, arrive_date, "
    "send_number, payload_sha256, apply_kind, first_arrive_id, notice, dead_from, "
    "withdraw_reason, settled_case";

inline Filing ReadFiling(const SqliteStatement& q) {
    Filing f;
    int c = 0;
    f.id = q.Int64(c++);
    f.tenant = q.Text(c++);
    f.idempotency_key = q.Text(c++);
    f.fingerprint = q.Text(c++);
    f.company = q.Text(c++);
    f.company_name = q.Text(c++);
    f.procedure = q.Text(c++);
    f.proc_id = q.Text(c++);
    f.proc_name = q.Text(c++);
    f.applicant_name = q.Text(c++);
    f.corporation_name = q.Text(c++);
    f.state = ParseState(q.Text(c++)).value_or(FilingState::kDead);
    f.fence = q.Int64(c++);
    f.failures = static_cast<int>(q.Int64(c++));
    f.next_at = FromMs(q.Int64(c++));
    f.lease_owner = q.Text(c++);
    f.lease_until = FromMs(q.Int64(c++));
    f.created_at = FromMs(q.Int64(c++));
    f.updated_at = FromMs(q.Int64(c++));
    f.sent_at = FromMs(q.Int64(c++));
    f.last_error = q.Text(c++);
    f.errors_json = q.Text(c++);
    f.arrive_id = q.Text(c++);
    f.arrive_date = q.Text(c++);
    f.send_number = q.Text(c++);
    f.payload_sha256 = q.Text(c++);
    f.apply_kind = ParseApplyKind(q.Text(c++)).value_or(ApplyKind::kNew);
    f.first_arrive_id = q.Text(c++);
    f.notice_json = q.Text(c++);
    f.dead_from = q.Text(c++);
    f.withdraw_reason = q.Text(c++);
    f.settled_case = q.Text(c++);
    return f;
}

}  // namespace todoke::queue::detail
