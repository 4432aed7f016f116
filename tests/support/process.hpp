// Child processes for the tests that drive the real binaries: start one and read the first
// line it prints (a ready line), run a shell command to its end.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace todoke::testing {

struct ChildProcess {
    pid_t pid = -1;
    std::string first_line;  // stdout up to the first newline
};

// Starts argv[0] with the extra environment entries ("NAME=value"); stderr goes to
// `stderr_file` (appended) when given. Returns once the first line was read.
ChildProcess SpawnProcess(const std::vector<std::string>& argv,
                          const std::vector<std::string>& env = {},
                          const std::filesystem::path& stderr_file = {});

// SIGTERM, then waits: the exit status (-1 when it did not exit normally).
int StopProcess(const ChildProcess& child);

// Runs `command` through the shell to its end: (exit status, stdout).
std::pair<int, std::string> RunShell(const std::string& command);

}  // namespace todoke::testing
