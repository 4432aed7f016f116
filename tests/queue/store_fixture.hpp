// The fixture of the store's tests: a fresh SQLite store on a fake clock, and the steps that
// move a filing along as the pipeline's workers would.
#pragma once

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "todoke/queue/store.hpp"

namespace todoke::queue::testing {

using std::chrono::milliseconds;
using std::chrono::seconds;

inline const std::string kKey(32, 'k');

class StoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto s = OpenSqliteStore(dir_.path() / "todoke.db", kKey, clock_);
        ASSERT_TRUE(s) << s.error().ToString();
        store_ = std::move(*s);
    }

    std::unique_ptr<Store> Another() {
        auto s = OpenSqliteStore(dir_.path() / "todoke.db", kKey, clock_);
        EXPECT_TRUE(s);
        return std::move(*s);
    }

    std::int64_t Add(const std::string& key, const std::string& record = R"({"a":1})") {
        NewFiling n;
        n.idempotency_key = key;
        n.company = "C1";
        n.procedure = "kenpo_shutoku";
        n.record_json = record;
        auto e = store_->Enqueue(n, "test");
        EXPECT_TRUE(e) << e.error().ToString();
        return e ? e->id : 0;
    }

    // Moves a filing to `state` through claims, as workers would.
    Claim ClaimOne(Stage stage, const std::string& worker = "w1",
                   milliseconds lease = seconds(30)) {
        auto c = store_->ClaimDue(stage, worker, 1, lease);
        EXPECT_TRUE(c);
        EXPECT_EQ(c->size(), 1u);
        return c->empty() ? Claim{} : c->front();
    }

    Transition To(FilingState s) {
        Transition t;
        t.to = s;
        t.reason = "test";
        return t;
    }

    void Prepare(Claim& c, const std::string& corporation = "Corp") {
        Transition t = To(FilingState::kPrepared);
        t.payload = "signed zip bytes";
        t.proc_id = "4950000020325000";
        t.proc_name = "届";
        t.applicant_name = "Owner";
        t.corporation_name = corporation;
        ASSERT_TRUE(store_->Commit(c, t));
    }

    ::todoke::testing::TempDir dir_;
    FakeClock clock_{std::chrono::system_clock::from_time_t(1'800'000'000)};
    std::unique_ptr<Store> store_;
};

}  // namespace todoke::queue::testing
