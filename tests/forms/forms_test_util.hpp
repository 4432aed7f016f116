// Shared helpers of the forms tests: reading samples and golden files from the source tree.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace todoke::forms::test {

inline std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The source tree (ctest sets TODOKE_SOURCE_DIR).
inline std::string SourceDir() {
    const char* dir = std::getenv("TODOKE_SOURCE_DIR");
    return dir != nullptr ? dir : ".";
}

inline std::string Sample(const std::string& name) {
    return ReadFile(SourceDir() + "/samples/records/" + name);
}

inline std::string Golden(const std::string& name) {
    return ReadFile(SourceDir() + "/tests/forms/golden/" + name);
}

}  // namespace todoke::forms::test
