// Every test binary sets up the C libraries once, as main() does in the real binary.
#include <gtest/gtest.h>

#include "todoke/common/runtime.hpp"

namespace {

class RuntimeEnvironment : public ::testing::Environment {
  public:
    void SetUp() override { runtime_ = std::make_unique<todoke::LibraryRuntime>(); }
    void TearDown() override { runtime_.reset(); }

  private:
    std::unique_ptr<todoke::LibraryRuntime> runtime_;
};

const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new RuntimeEnvironment);

}  // namespace
