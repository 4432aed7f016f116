#include "todoke/common/sqlite.hpp"

#include <sqlite3.h>

#include <mutex>
#include <unordered_map>

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

struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

}  // namespace

// The compiled statements of one database that are not in anyone's hand, by SQL text. Locked:
// a statement may be destroyed on another thread than the one that used the database last.
struct SqliteStatement::Cache {
    static constexpr std::size_t kMaxStatements = 128;
    std::mutex mu;
    bool open = true;  // false once the database closed: statements are finalized instead
    std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> idle;

    sqlite3_stmt* Take(std::string_view sql) {
        std::lock_guard lock(mu);
        const auto it = idle.find(sql);
        if (it == idle.end()) return nullptr;
        sqlite3_stmt* stmt = it->second;
        idle.erase(it);
        return stmt;
    }
    void Give(sqlite3_stmt* stmt) {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        std::lock_guard lock(mu);
        if (open && idle.size() < kMaxStatements) {
            const char* sql = sqlite3_sql(stmt);
            if (sql != nullptr && idle.emplace(sql, stmt).second) return;
        }
        sqlite3_finalize(stmt);  // closed, full, or the same text is kept already
    }
    void CloseAll() {
        std::lock_guard lock(mu);
        open = false;
        for (auto& [sql, stmt] : idle) sqlite3_finalize(stmt);
        idle.clear();
    }
};

SqliteStatement::SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, std::shared_ptr<Cache> cache)
    : db_(db), stmt_(stmt), cache_(std::move(cache)) {}
SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), cache_(std::move(other.cache_)) {
    other.stmt_ = nullptr;
}
SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
    if (this != &other) {
        Release();
        db_ = other.db_;
        stmt_ = other.stmt_;
        cache_ = std::move(other.cache_);
        other.stmt_ = nullptr;
    }
    return *this;
}
SqliteStatement::~SqliteStatement() { Release(); }

void SqliteStatement::Release() {
    if (stmt_ == nullptr) return;
    if (cache_) {
        cache_->Give(stmt_);
    } else {
        sqlite3_finalize(stmt_);
    }
    stmt_ = nullptr;
}

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

SqliteDb::SqliteDb(sqlite3* db) : db_(db), cache_(std::make_shared<SqliteStatement::Cache>()) {}
SqliteDb::SqliteDb(SqliteDb&& other) noexcept : db_(other.db_), cache_(std::move(other.cache_)) {
    other.db_ = nullptr;
}
SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
    if (this != &other) {
        Close();
        db_ = other.db_;
        cache_ = std::move(other.cache_);
        other.db_ = nullptr;
    }
    return *this;
}
SqliteDb::~SqliteDb() { Close(); }

void SqliteDb::Close() {
    if (cache_) cache_->CloseAll();
    // Statements still in someone's hand are finalized when they go; close_v2 waits for them.
    sqlite3_close_v2(db_);
}

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
    if (sqlite3_stmt* kept = cache_->Take(sql)) {
        return SqliteStatement(db_, kept, cache_);
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
        return Fail(SqliteError(db_, rc, "sqlite prepare"));
    }
    // Kept only when the text is exactly the one statement compiled (sqlite3_sql gives the
    // key back): text after the first statement would be lost on a cache hit too.
    const bool whole = tail == sql.data() + sql.size();
    return SqliteStatement(db_, stmt, whole ? cache_ : nullptr);
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
