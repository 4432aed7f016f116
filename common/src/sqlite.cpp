#include "todoke/common/sqlite.hpp"

#include <sqlite3.h>

namespace todoke {
namespace {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
    const int primary = rc & 0xFF;
    const ErrorCode code = primary == SQLITE_CONSTRAINT ? ErrorCode::kConflict
                           : (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
                               ? ErrorCode::kUnavailable
                               : ErrorCode::kInternal;
    return Error{
        code, std::string(what) + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)),
        "sqlite"};
}

}  // namespace

SqliteStatement::SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_) {
    other.stmt_ = nullptr;
}
SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = other.db_;
        stmt_ = other.stmt_;
        other.stmt_ = nullptr;
    }
    return *this;
}
SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteStatement& SqliteStatement::Bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}
SqliteStatement& SqliteStatement::Bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}
SqliteStatement& SqliteStatement::BindBlob(int index, std::string_view bytes) {
    sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    return *this;
}
SqliteStatement& SqliteStatement::BindNull(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
}

Result<bool> SqliteStatement::Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    Error e = SqliteError(db_, rc, "sqlite step");
    sqlite3_reset(stmt_);
    return Fail(std::move(e));
}

Result<void> SqliteStatement::Run() {
    for (;;) {
        TODOKE_ASSIGN_OR_RETURN(bool row, Step());
        if (!row) {
            return Ok();
        }
    }
}

void SqliteStatement::Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t SqliteStatement::Int64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

std::string SqliteStatement::Text(int column) const {
    const void* data = sqlite3_column_blob(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);
    return data == nullptr
               ? std::string()
               : std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

bool SqliteStatement::IsNull(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

SqliteDb::SqliteDb(sqlite3* db) : db_(db) {}
SqliteDb::SqliteDb(SqliteDb&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(db_);
        db_ = other.db_;
        other.db_ = nullptr;
    }
    return *this;
}
SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

Result<SqliteDb> SqliteDb::Open(const std::filesystem::path& path) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(
        path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
        nullptr);
    SqliteDb db(raw);
    if (rc != SQLITE_OK) {
        return Fail(SqliteError(raw, rc, "cannot open " + path.string()));
    }
    sqlite3_busy_timeout(raw, 5000);
    // WAL keeps readers and the writer apart; FULL makes every commit durable (fsync).
    TODOKE_RETURN_IF_ERROR(
        db.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
    return db;
}

Result<void> SqliteDb::Exec(std::string_view sql) {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string m = message != nullptr ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        const int primary = rc & 0xFF;
        return Fail(primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? ErrorCode::kUnavailable
                    : primary == SQLITE_CONSTRAINT                     ? ErrorCode::kConflict
                                                                       : ErrorCode::kInternal,
                    "sqlite: " + m, "sqlite");
    }
    return Ok();
}

Result<SqliteStatement> SqliteDb::Prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        return Fail(SqliteError(db_, rc, "sqlite prepare"));
    }
    return SqliteStatement(db_, stmt);
}

std::int64_t SqliteDb::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
int SqliteDb::Changes() const { return sqlite3_changes(db_); }

SqliteDb::Transaction::Transaction(SqliteDb& db) : db_(db) {}
SqliteDb::Transaction::~Transaction() {
    if (open_) {
        (void)db_.Exec("ROLLBACK");
    }
}
Result<void> SqliteDb::Transaction::Begin() {
    TODOKE_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
    open_ = true;
    return Ok();
}
Result<void> SqliteDb::Transaction::Commit() {
    TODOKE_RETURN_IF_ERROR(db_.Exec("COMMIT"));
    open_ = false;
    return Ok();
}

}  // namespace todoke
