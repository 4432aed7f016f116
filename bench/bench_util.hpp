// A small harness for benchmarks that print rates and ratios to a baseline measured in the
// same run (so that the numbers mean something on any machine). Single-threaded.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace todoke::bench {

struct Rate {
    std::string name;
    double per_second = 0;
    double micros_per_op = 0;
};

// Runs `op` repeatedly for `seconds` in all (three runs after a short warm-up each) and
// returns the median rate.
// `op` returns false on failure, which aborts the benchmark with a message.
Rate Measure(const std::string& name, double seconds, const std::function<bool()>& op);

// Seconds per measurement: TODOKE_BENCH_SECONDS or the default.
double SecondsPerMeasurement(double fallback);

// OpenSSL's raw RSA-2048 PKCS#1 v1.5 signatures over a SHA-256 digest, as `openssl speed rsa2048`
// counts them: the baseline every todoke benchmark divides by.
Rate MeasureRawRsa(double seconds);

void PrintTable(const Rate& baseline, const std::vector<Rate>& rates);

}  // namespace todoke::bench
