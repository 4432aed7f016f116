#include "todoke/common/log.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace todoke {
namespace {

TEST(RedactSecrets, MasksMyNumberInAnyGrouping) {
    EXPECT_EQ(RedactSecrets("person 123456789018 failed"), "person ************ failed");
    EXPECT_EQ(RedactSecrets("mn=1234-5678-9018"), "mn=****-****-****");
    EXPECT_EQ(RedactSecrets("mn 1234 5678 9018."), "mn **** **** ****.");
}

TEST(RedactSecrets, LeavesDatesAmountsAndArriveIdsAlone) {
    const std::string text = "arrive_id 9502026000030716 on 2026-11-22 amount 250000";
    EXPECT_EQ(RedactSecrets(text), text);
}

TEST(RedactSecrets, MasksPemBlocksAndPasswordPairs) {
    EXPECT_EQ(RedactSecrets("key -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- x"),
              "key [PEM redacted] x");
    EXPECT_EQ(RedactSecrets("login password=hunter2 user=a"), "login password=*** user=a");
    EXPECT_EQ(RedactSecrets("client_secret: abc123"), "client_secret: ***");
}

TEST(Logger, WritesOneRedactedLinePerEvent) {
    std::ostringstream out;
    auto clock = std::make_shared<FakeClock>(std::chrono::system_clock::from_time_t(0));
    Logger log(out, LogLevel::kInfo, clock);
    log.Debug("hidden");
    log.Warn("filing for 123456789018\nsecond line");
    EXPECT_EQ(out.str(), "1970-01-01T00:00:00Z WARN  filing for ************ second line\n");
}

}  // namespace
}  // namespace todoke
