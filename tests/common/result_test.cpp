#include "todoke/common/result.hpp"

#include <gtest/gtest.h>

namespace todoke {
namespace {

Result<int> Half(int x) {
    if (x % 2 != 0) return Fail(ErrorCode::kInvalidArgument, "odd", "x");
    return x / 2;
}

Result<int> Quarter(int x) {
    TODOKE_ASSIGN_OR_RETURN(int h, Half(x));
    return Half(h);
}

TEST(Result, CarriesValueOrError) {
    EXPECT_EQ(*Half(4), 2);
    auto r = Half(3);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, "x");
    EXPECT_EQ(r.error().ToString(), "invalid_argument [x]: odd");
    EXPECT_EQ(r.value_or(7), 7);
}

TEST(Result, AssignOrReturnPropagatesTheFirstError) {
    EXPECT_EQ(*Quarter(8), 2);
    EXPECT_EQ(Quarter(6).error().message, "odd");
    EXPECT_EQ(Quarter(5).error().message, "odd");
}

TEST(Result, VoidResult) {
    Result<void> ok = Ok();
    EXPECT_TRUE(ok);
    Result<void> bad = Fail(ErrorCode::kUnavailable, "later");
    EXPECT_EQ(bad.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace todoke
