// Exit statuses shared by the command-line tools.
#pragma once

namespace todoke::gateway {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;  // the input was read and found invalid
inline constexpr int kExitUsage = 2;    // bad usage, unreadable input, unusable key

}  // namespace todoke::gateway
