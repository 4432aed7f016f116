#include "todoke/common/config.hpp"

#include <gtest/gtest.h>

#include "todoke/common/zip.hpp"

namespace todoke {
namespace {

TEST(Config, ReadsSectionsIntoStructsKeepingDefaults) {
    auto root = ConfigNode::Parse(R"({"zip": {"max_entries": 10, "max_ratio": 50}})", "t.json");
    ASSERT_TRUE(root);
    auto zip = root->Section("zip");
    ASSERT_TRUE(zip);
    ZipLimits limits;
    ASSERT_TRUE(ReadConfig(*zip, limits));
    EXPECT_EQ(limits.max_entries, 10u);
    EXPECT_EQ(limits.max_ratio, 50u);
    EXPECT_EQ(limits.max_depth, ZipLimits{}.max_depth);
    EXPECT_TRUE(root->CheckAllKeysUsed());
}

TEST(Config, UnknownKeyStopsWithItsPath) {
    auto root = ConfigNode::Parse(R"({"zip": {"max_entrys": 10}})", "t.json");
    auto zip = root->Section("zip");
    ZipLimits limits;
    ASSERT_TRUE(ReadConfig(*zip, limits));
    auto check = root->CheckAllKeysUsed();
    ASSERT_FALSE(check);
    EXPECT_EQ(check.error().field, "zip.max_entrys");
    EXPECT_NE(check.error().message.find("unknown key"), std::string::npos);
}

TEST(Config, UnknownTopLevelSection) {
    auto root = ConfigNode::Parse(R"({"zipp": {}})", "t.json");
    EXPECT_EQ(root->CheckAllKeysUsed().error().field, "zipp");
}

TEST(Config, OutOfRangeAndWrongTypeNameTheRule) {
    auto root = ConfigNode::Parse(R"({"zip": {"max_entries": 0, "max_ratio": "big"}})", "t.json");
    auto zip = root->Section("zip");
    ZipLimits limits;
    auto r = ReadConfig(*zip, limits);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "zip.max_entries");
    EXPECT_NE(r.error().message.find("between 1 and"), std::string::npos);
    std::uint64_t n = 0;
    EXPECT_EQ(zip->Read("max_ratio", n, 1, 10).error().field, "zip.max_ratio");
}

TEST(Config, RejectsMalformedJsonAndMissingFile) {
    EXPECT_EQ(ConfigNode::Parse("{", "t.json").error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(ConfigNode::Parse("[]", "t.json").error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(ConfigNode::LoadFile("/nonexistent/todoke.json").error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace todoke
