// Crash points for the kill -9 tests (security-and-reliability.md §4.5, "BUGGIFY"): with
// TODOKE_CRASH_POINTS="after_submitting_commit=0.2,after_document_stored=0.3" in the
// environment, the process kills itself with SIGKILL at that point with that probability
// (seeded by TODOKE_CRASH_SEED, else by the pid). Without the variable nothing happens.
#pragma once

#include <string_view>

namespace todoke::gateway {

void MaybeCrash(std::string_view point);

}  // namespace todoke::gateway
