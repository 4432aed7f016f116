// Runs the real `todoke` binary in a folder and captures what an operator would see.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "test_support.hpp"

namespace todoke::testing {

struct Outcome {
    int status = -1;
    std::string out;
    std::string err;
};

// `args` are shell words; `env` is prepended as "NAME=value " assignments.
inline Outcome RunTodoke(const std::filesystem::path& dir, const std::string& args,
                         const std::string& env = {}) {
    const std::string cmd = "cd '" + dir.string() + "' && " + env + " '" TODOKE_BINARY "' " + args +
                            " >out.txt 2>err.txt";
    const int raw = std::system(cmd.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, ReadFile(dir / "out.txt"),
            ReadFile(dir / "err.txt")};
}

}  // namespace todoke::testing
