// SQLite 3 for todoke's durable state (the simulator's cases, the filing queue): a database
// opened in WAL mode with synchronous=FULL and foreign keys on, prepared statements with typed
// binds and columns, and transactions that roll back unless committed. One SqliteDb per thread
// or guarded by the caller: the handle is opened in SQLITE_OPEN_FULLMUTEX mode, but statements
// and transactions are not shared across threads.
//
// Prepare keeps what it compiled: a statement, once destroyed, is reset, its bindings cleared,
// and kept by its SQL text for the next Prepare of the same text (compiling SQL cost more than
// running most of the store's statements). A statement is in one hand at a time; asking for
// the same text while it is in use compiles another.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "todoke/common/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace todoke {

class SqliteStatement {
  public:
    SqliteStatement(SqliteStatement&&) noexcept;
    SqliteStatement& operator=(SqliteStatement&&) noexcept;
    ~SqliteStatement();

    // Parameters are 1-based, as in SQL ("?1", "?2").
    SqliteStatement& Bind(int index, std::int64_t value);
    SqliteStatement& Bind(int index, std::string_view text);
    SqliteStatement& BindBlob(int index, std::string_view bytes);
    SqliteStatement& BindNull(int index);

    // true: a row is available; false: done. Fails with the database's message (kConflict for
    // a constraint violation, kUnavailable for a busy or locked database).
    Result<bool> Step();
    // Steps to the end (for statements without rows).
    Result<void> Run();
    void Reset();  // ready to bind and step again

    std::int64_t Int64(int column) const;  // 0-based
    std::string Text(int column) const;    // text or blob bytes
    bool IsNull(int column) const;

  private:
    friend class SqliteDb;
    struct Cache;
    SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, std::shared_ptr<Cache> cache);
    void Release();
    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
    std::shared_ptr<Cache> cache_;  // where it goes back to; outlives a closed database
};

class SqliteDb {
  public:
    static Result<SqliteDb> Open(const std::filesystem::path& path);
    SqliteDb(SqliteDb&&) noexcept;
    SqliteDb& operator=(SqliteDb&&) noexcept;
    ~SqliteDb();

    Result<void> Exec(std::string_view sql);  // one or more statements without results
    Result<SqliteStatement> Prepare(std::string_view sql);
    std::int64_t LastInsertRowId() const;
    int Changes() const;

    // BEGIN IMMEDIATE ... COMMIT; the destructor of an uncommitted transaction rolls back.
    class Transaction {
      public:
        explicit Transaction(SqliteDb& db);
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        ~Transaction();
        Result<void> Begin();
        Result<void> Commit();

      private:
        SqliteDb& db_;
        bool open_ = false;
    };

  private:
    explicit SqliteDb(sqlite3* db);
    void Close();
    sqlite3* db_ = nullptr;
    std::shared_ptr<SqliteStatement::Cache> cache_;
};

}  // namespace todoke
