// The SQLite wrapper's kept statements: a statement prepared again is the compiled one, reset
// and unbound; two in hand at once are two statements; one still in hand when its database
// closes is finalized when it goes (ASan would see a use after free).
#include "todoke/common/sqlite.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace todoke {
namespace {

class SqliteTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto db = SqliteDb::Open(dir_.path() / "t.db");
        ASSERT_TRUE(db) << db.error().ToString();
        db_.emplace(std::move(*db));
        ASSERT_TRUE(db_->Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)"));
        for (int i = 1; i <= 3; ++i) {
            auto ins = db_->Prepare("INSERT INTO t (k, v) VALUES (?1, ?2)");
            ASSERT_TRUE(ins);
            ASSERT_TRUE(ins->Bind(1, i).Bind(2, "v" + std::to_string(i)).Run());
        }
    }
    ::todoke::testing::TempDir dir_;
    std::optional<SqliteDb> db_;
};

TEST_F(SqliteTest, AKeptStatementComesBackResetAndUnbound) {
    const std::string sql = "SELECT v FROM t WHERE k = ?1";
    {
        auto q = db_->Prepare(sql);
        ASSERT_TRUE(q);
        q->Bind(1, 2);
        ASSERT_TRUE(*q->Step());
        EXPECT_EQ(q->Text(0), "v2");  // left mid-result
    }
    auto again = db_->Prepare(sql);
    ASSERT_TRUE(again);
    EXPECT_FALSE(*again->Step());  // unbound: k = NULL matches nothing
    again->Reset();
    again->Bind(1, 3);
    ASSERT_TRUE(*again->Step());
    EXPECT_EQ(again->Text(0), "v3");
}

TEST_F(SqliteTest, TheSameTextTwiceInHandIsTwoStatements) {
    const std::string sql = "SELECT v FROM t WHERE k >= ?1 ORDER BY k";
    auto a = db_->Prepare(sql);
    auto b = db_->Prepare(sql);
    ASSERT_TRUE(a && b);
    a->Bind(1, 1);
    b->Bind(1, 3);
    ASSERT_TRUE(*a->Step());
    ASSERT_TRUE(*b->Step());
    EXPECT_EQ(a->Text(0), "v1");
    EXPECT_EQ(b->Text(0), "v3");
    ASSERT_TRUE(*a->Step());
    EXPECT_EQ(a->Text(0), "v2");
}

TEST_F(SqliteTest, AnOpenReadEndsWhenItsStatementGoes) {
    // A kept statement must not hold its read open: another connection can then checkpoint.
    {
        auto q = db_->Prepare("SELECT v FROM t");
        ASSERT_TRUE(q && *q->Step());
    }
    auto other = SqliteDb::Open(dir_.path() / "t.db");
    ASSERT_TRUE(other);
    auto busy = other->Prepare("PRAGMA wal_checkpoint(TRUNCATE)");
    ASSERT_TRUE(busy && *busy->Step());
    EXPECT_EQ(busy->Int64(0), 0);  // 0: not blocked by a reader
}

TEST_F(SqliteTest, AStatementMayOutliveItsDatabase) {
    auto q = db_->Prepare("SELECT COUNT(*) FROM t");
    ASSERT_TRUE(q && *q->Step());
    EXPECT_EQ(q->Int64(0), 3);
    db_.reset();
    // q goes last; its database is closed when it does.
}

}  // namespace
}  // namespace todoke
