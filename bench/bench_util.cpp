#include "bench_util.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace todoke::bench {

namespace {

double OneRun(const std::string& name, double seconds, const std::function<bool()>& op) {
    using Clock = std::chrono::steady_clock;
    for (int i = 0; i < 20; ++i) {
        if (!op()) {
            std::fprintf(stderr, "benchmark %s failed\n", name.c_str());
            std::exit(1);
        }
    }
    long n = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    do {
        for (int i = 0; i < 16; ++i) {
            if (!op()) {
                std::fprintf(stderr, "benchmark %s failed\n", name.c_str());
                std::exit(1);
            }
        }
        n += 16;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < seconds);
    return static_cast<double>(n) / elapsed;
}

}  // namespace

Rate Measure(const std::string& name, double seconds, const std::function<bool()>& op) {
    // The median of three runs: one disturbed run (another process, a page-cache hiccup)
    // does not move the result.
    std::array<double, 3> runs{};
    for (double& r : runs) r = OneRun(name, seconds / 3, op);
    std::sort(runs.begin(), runs.end());
    return {name, runs[1], 1e6 / runs[1]};
}

double SecondsPerMeasurement(double fallback) {
    if (const char* s = std::getenv("TODOKE_BENCH_SECONDS")) return std::atof(s);
    return fallback;
}

void PrintTable(const Rate& baseline, const std::vector<Rate>& rates) {
    std::printf("%-58s %12s %10s %9s\n", "benchmark (one core)", "ops/s", "us/op", "ratio");
    std::printf("%-58s %12.0f %10.1f %9s\n", baseline.name.c_str(), baseline.per_second,
                baseline.micros_per_op, "1.00");
    for (const auto& r : rates) {
        std::printf("%-58s %12.0f %10.1f %9.2f\n", r.name.c_str(), r.per_second, r.micros_per_op,
                    r.per_second / baseline.per_second);
    }
}

}  // namespace todoke::bench
