// The queue commands through the real binary: what an operator types and sees when a filing
// cannot be withdrawn or settled yet, and that nothing changes then; a cancellation.
#include <gtest/gtest.h>

#include "cli_util.hpp"

namespace todoke::testing {
namespace {

const std::string kEnv = "TODOKE_DATA_KEY=" + std::string(64, 'a');

class QueueCliTest : public ::testing::Test {
  protected:
    Outcome Todoke(const std::string& args) {
        return RunTodoke(dir_.path(), args + " --data data", kEnv);
    }
    TempDir dir_;
};

TEST_F(QueueCliTest, AWithdrawalIsRefusedUntilTheCaseArrivedAndNeedsAReason) {
    const std::string sample = std::string(TODOKE_SOURCE_DIR) + "/samples/records/kenpo_shoyo.json";
    auto submitted = Todoke("submit '" + sample + "'");
    ASSERT_EQ(submitted.status, 0) << submitted.err;
    EXPECT_NE(submitted.out.find(R"("filing":1,)"), std::string::npos) << submitted.out;

    auto early = Todoke("withdraw 1 --reason 誤って提出したため");
    EXPECT_EQ(early.status, 1) << early.err;
    EXPECT_NE(early.err.find("[filing.state]"), std::string::npos) << early.err;
    EXPECT_NE(early.err.find("received"), std::string::npos) << early.err;

    EXPECT_EQ(Todoke("withdraw 1").status, 2);             // --reason is required
    EXPECT_EQ(Todoke("withdraw 7 --reason x").status, 2);  // no such filing
    // A 理由 e-Gov would refuse is named before anything is stored.
    auto bad = Todoke("withdraw 1 --reason 髙橋の誤り①");
    EXPECT_EQ(bad.status, 1) << bad.err;
    EXPECT_NE(bad.err.find("[withdrawal.reason]"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("髙"), std::string::npos) << bad.err;

    auto status = Todoke("status 1");
    ASSERT_EQ(status.status, 0) << status.err;
    EXPECT_NE(status.out.find("received"), std::string::npos) << status.out;
    EXPECT_EQ(status.out.find("withdraw"), std::string::npos) << status.out;
}

TEST_F(QueueCliTest, SettleNeedsExactlyOneDecisionAndASendThatMayHaveArrived) {
    const std::string sample = std::string(TODOKE_SOURCE_DIR) + "/samples/records/kenpo_shoyo.json";
    ASSERT_EQ(Todoke("submit '" + sample + "'").status, 0);
    EXPECT_EQ(Todoke("settle 1").status, 2);  // neither --case nor --not-arrived
    EXPECT_EQ(Todoke("settle 1 --case 4952026000000001 --not-arrived").status, 2);
    auto early = Todoke("settle 1 --case 4952026000000001");
    EXPECT_EQ(early.status, 1) << early.err;
    EXPECT_NE(early.err.find("[filing.state]"), std::string::npos) << early.err;
    EXPECT_NE(early.err.find("received"), std::string::npos) << early.err;
    auto malformed = Todoke("settle 1 --case 12-34");
    EXPECT_EQ(malformed.status, 1) << malformed.err;
    EXPECT_NE(malformed.err.find("[settle.case]"), std::string::npos) << malformed.err;
    auto status = Todoke("status 1");
    ASSERT_EQ(status.status, 0) << status.err;
    EXPECT_NE(status.out.find("received"), std::string::npos) << status.out;
    EXPECT_EQ(status.out.find("settled_case"), std::string::npos) << status.out;
}

TEST_F(QueueCliTest, AFilingNotSentYetIsCancelledWithItsReasonAndThenStaysSo) {
    const std::string sample = std::string(TODOKE_SOURCE_DIR) + "/samples/records/kenpo_shoyo.json";
    ASSERT_EQ(Todoke("submit '" + sample + "'").status, 0);
    EXPECT_EQ(Todoke("cancel 1").status, 2);  // --reason is required
    auto cancelled = Todoke("cancel 1 --reason 'filed for the wrong company' --actor ana");
    ASSERT_EQ(cancelled.status, 0) << cancelled.err;
    EXPECT_NE(cancelled.out.find(R"("state":"cancelled")"), std::string::npos) << cancelled.out;
    auto status = Todoke("status 1");
    ASSERT_EQ(status.status, 0) << status.err;
    EXPECT_NE(status.out.find("filed for the wrong company"), std::string::npos) << status.out;
    EXPECT_NE(status.out.find("operator:ana"), std::string::npos) << status.out;
    auto withdraw = Todoke("withdraw 1 --reason 誤って提出したため");
    EXPECT_EQ(withdraw.status, 1) << withdraw.err;
    auto again = Todoke("cancel 1 --reason twice");
    EXPECT_EQ(again.status, 1) << again.err;
    EXPECT_NE(again.err.find("[filing.state]"), std::string::npos) << again.err;
}

}  // namespace
}  // namespace todoke::testing
