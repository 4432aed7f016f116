// The portal's circuit breaker on a fake clock: it opens after N unanswered calls in a row and
// not before, an answer of any kind (a 404 too) resets the count, an open breaker keeps calls
// from going out, one probe after the pause, a failed probe doubles the pause up to the cap,
// Retry-After lengthens it, a planned maintenance window holds it open.
#include "breaker.hpp"

#include <gtest/gtest.h>

#include <deque>

namespace todoke::gateway::pipeline {
namespace {

using namespace std::chrono_literals;
using Gate = CircuitBreaker::Gate;

const TimePoint kStart = std::chrono::sys_days{std::chrono::year{2026} / 7 / 10};

Error Unanswered(std::int64_t retry_after = 0) {
    Error e{ErrorCode::kUnavailable, "GET /apply/1 answered 503", "egov.server"};
    e.retry_after_seconds = retry_after;
    return e;
}

// A portal whose GetCase gives the scripted outcomes in order and counts the calls that reached
// it; the other calls are not used here.
class ScriptedPortal final : public egov::Portal {
  public:
    std::deque<Result<egov::Case>> script;
    int calls = 0;

    Result<egov::Case> GetCase(const std::string&) override {
        ++calls;
        auto next = std::move(script.front());
        script.pop_front();
        return next;
    }
    Result<egov::Submission> Apply(const std::string&, const std::string&, bool) override {
        return Unused();
    }
    Result<egov::FormatCheck> Check(const std::string&, const std::string&) override {
        return Unused();
    }
    Result<egov::Submission> Amend(const std::string&, const std::string&) override {
        return Unused();
    }
    Result<egov::Submission> Withdraw(const std::string&, const std::string&) override {
        return Unused();
    }
    Result<std::vector<egov::Case>> ListCases(const std::string&, const std::string&) override {
        return Unused();
    }
    Result<std::vector<egov::Notice>> ListNotices(const std::string&, const std::string&) override {
        return Unused();
    }
    Result<egov::Notice> GetNotice(const std::string&, int) override { return Unused(); }
    Result<egov::DownloadedDocument> DownloadOfficialDocument(const std::string&, int) override {
        return Unused();
    }
    Result<void> CompleteOfficialDocument(const std::string&, int) override { return Unused(); }
    Result<egov::ProcedureSkeleton> GetProcedure(const std::string&) override { return Unused(); }
    Result<egov::BulkSend> BulkApply(const std::string&) override { return Unused(); }
    Result<egov::BulkReport> GetBulkReport(const std::string&) override { return Unused(); }
    Result<std::string> VerifyAtPortal(const std::string&, const std::string&) override {
        return Unused();
    }

  private:
    static Unexpected Unused() { return Fail(ErrorCode::kInternal, "not scripted"); }
};

class BreakerTest : public ::testing::Test {
  protected:
    BreakerPolicy policy_{.failures = 3, .open_for = 1000ms, .open_cap = 3000ms};
    FakeClock clock_{kStart};
    std::vector<std::string> told_;
    CircuitBreaker breaker_{
        policy_, clock_, {}, [this](const CircuitBreaker::Snapshot& now, const std::string& why) {
            told_.push_back((now.open ? "open: " : "closed: ") + why);
        }};

    void Fail(int n, std::int64_t retry_after = 0) {
        for (int i = 0; i < n; ++i) {
            ASSERT_TRUE(breaker_.Admit());
            breaker_.Record(false, retry_after);
        }
    }
};

TEST_F(BreakerTest, OpensAfterTheConfiguredUnansweredCallsInARowAndNotBefore) {
    Fail(2);
    breaker_.Record(true);  // an answer in between starts the count again
    Fail(2);
    EXPECT_EQ(breaker_.Check(), Gate::kClosed);
    EXPECT_TRUE(told_.empty());
    Fail(1);
    EXPECT_EQ(breaker_.Check(), Gate::kOpen);
    EXPECT_FALSE(breaker_.Admit());
    ASSERT_EQ(told_.size(), 1u);
    EXPECT_NE(told_[0].find("open: e-Gov gave no answer to 3 calls in a row"), std::string::npos)
        << told_[0];
    EXPECT_EQ(breaker_.RetryAt(), kStart + 1000ms);
    EXPECT_EQ(breaker_.State().times_opened, 1);
}

TEST_F(BreakerTest, AfterThePauseOneProbeGoesOutAndAnAnswerClosesIt) {
    Fail(3);
    clock_.Advance(999ms);
    EXPECT_EQ(breaker_.Check(), Gate::kOpen);
    clock_.Advance(1ms);
    EXPECT_EQ(breaker_.Check(), Gate::kProbe);
    EXPECT_TRUE(breaker_.Admit());   // the probe
    EXPECT_FALSE(breaker_.Admit());  // only one at a time
    EXPECT_EQ(breaker_.Check(), Gate::kOpen);
    breaker_.Record(true);
    EXPECT_EQ(breaker_.Check(), Gate::kClosed);
    EXPECT_TRUE(breaker_.Admit());
    EXPECT_EQ(told_.back(), "closed: e-Gov answers again: portal calls resume");
    // Closed again, it takes the full count to open it again, with the first pause.
    Fail(3);
    EXPECT_EQ(breaker_.RetryAt(), clock_.Now() + 1000ms);
}

TEST_F(BreakerTest, AFailedProbeDoublesThePauseUpToTheCap) {
    Fail(3);
    TimePoint opened = clock_.Now();
    for (const auto pause : {2000ms, 3000ms, 3000ms}) {
        clock_.Set(breaker_.RetryAt());
        ASSERT_TRUE(breaker_.Admit());
        breaker_.Record(false);
        opened = clock_.Now();
        EXPECT_EQ(breaker_.RetryAt(), opened + pause);
        EXPECT_FALSE(breaker_.Admit());
    }
    EXPECT_EQ(breaker_.State().times_opened, 4);
    EXPECT_NE(told_.back().find("the probe failed"), std::string::npos);
}

TEST_F(BreakerTest, RetryAfterLengthensThePause) {
    Fail(3, /*retry_after=*/120);
    EXPECT_EQ(breaker_.RetryAt(), kStart + 120s);
}

TEST_F(BreakerTest, ACallAdmittedBeforeTheOpeningDoesNotExtendThePause) {
    ASSERT_TRUE(breaker_.Admit());  // in flight while the others fail
    Fail(3);
    clock_.Advance(500ms);
    breaker_.Record(false);
    EXPECT_EQ(breaker_.RetryAt(), kStart + 1000ms);
}

TEST_F(BreakerTest, APlannedMaintenanceWindowHoldsItOpen) {
    CircuitBreaker b(policy_, clock_, queue::MaintenanceCalendar({{kStart + 1h, kStart + 2h}}));
    EXPECT_EQ(b.Check(), Gate::kClosed);
    clock_.Advance(1h);
    EXPECT_EQ(b.Check(), Gate::kOpen);
    EXPECT_FALSE(b.Admit());
    EXPECT_EQ(b.RetryAt(), kStart + 2h);
    clock_.Advance(1h);
    EXPECT_EQ(b.Check(), Gate::kClosed);
}

TEST_F(BreakerTest, TheGuardedPortalKeepsCallsBackWhileOpenAndCountsOnlyUnansweredOnes) {
    ScriptedPortal inner;
    int paced = 0;
    GuardedPortal portal(inner, breaker_, [&paced] { ++paced; });
    // A 404 and a 400-class answer are answers: the portal is up.
    inner.script.push_back(::todoke::Fail(Unanswered()));
    inner.script.push_back(::todoke::Fail(Unanswered()));
    inner.script.push_back(::todoke::Fail(ErrorCode::kNotFound, "no such case", "egov.not_found"));
    inner.script.push_back(::todoke::Fail(Unanswered()));
    inner.script.push_back(
        ::todoke::Fail(ErrorCode::kUnavailable, "GET /apply/1: timed out", "http.transport"));
    inner.script.push_back(::todoke::Fail(Unanswered()));
    for (int i = 0; i < 6; ++i) (void)portal.GetCase("1");
    EXPECT_EQ(inner.calls, 6);
    EXPECT_EQ(breaker_.Check(), Gate::kOpen);
    // Open: the call does not reach the portal and says why, with its own field.
    auto kept = portal.GetCase("1");
    ASSERT_FALSE(kept);
    EXPECT_EQ(kept.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(kept.error().field, kCircuitOpenField);
    EXPECT_TRUE(IsCircuitOpen(kept.error()));
    EXPECT_FALSE(egov::IsUnanswered(kept.error()));
    EXPECT_EQ(inner.calls, 6);
    EXPECT_EQ(paced, 6);  // the rate budget is not spent on calls kept back
    // The probe answers: calls go out again.
    clock_.Advance(1000ms);
    inner.script.push_back(egov::Case{});
    EXPECT_TRUE(portal.GetCase("1"));
    EXPECT_EQ(breaker_.Check(), Gate::kClosed);
    EXPECT_EQ(inner.calls, 7);
}

}  // namespace
}  // namespace todoke::gateway::pipeline
