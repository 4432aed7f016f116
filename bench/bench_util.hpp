// A small harness for benchmarks that print rates and ratios to a baseline measured in the
// same run (so that the numbers mean something on any machine).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace todoke::bench {

struct Rate {
    std::string name;
    double per_second = 0;
    double micros_per_op = 0;
    // per_second over the baseline's rate measured in the rounds around it (the median of the
    // rounds' ratios); 0 when it was measured without a baseline beside it.
    double ratio = 0;
};

// The operation every ratio divides by, run beside each measurement: on a shared machine the
// speed drifts during a run (other tenants, clock frequency), and a baseline measured once at
// the start would move every ratio with it. Copies share the key.
class Baseline {
  public:
    // OpenSSL's raw RSA-2048 PKCS#1 v1.5 signatures over a SHA-256 digest, as `openssl speed
    // rsa2048` counts them.
    static Baseline RawRsa();
    const std::string& name() const { return name_; }
    bool Run() const { return op_(); }

  private:
    Baseline(std::string name, std::function<bool()> op)
        : name_(std::move(name)), op_(std::move(op)) {}
    std::string name_;
    std::function<bool()> op_;
};

// Runs `op` repeatedly for `seconds` in all (three runs after a short warm-up each) and
// returns the median rate. With `beside`, each run follows a run of the baseline half as long
// and the Rate carries the median of the runs' ratios.
// `op` returns false on failure, which aborts the benchmark with a message.
Rate Measure(const std::string& name, double seconds, const std::function<bool()>& op,
             const Baseline* beside = nullptr);

// Seconds per measurement: TODOKE_BENCH_SECONDS or the default.
double SecondsPerMeasurement(double fallback);

// OpenSSL's raw RSA-2048 PKCS#1 v1.5 signatures over a SHA-256 digest, as `openssl speed rsa2048`
// counts them: the baseline every todoke benchmark divides by.
Rate MeasureRawRsa(double seconds);

// The same signatures made by `threads` threads at once, for `seconds`: what the machine's cores
// sign together per second. Cores that share caches, memory bandwidth or a power budget sign
// less together than one core times their number (2 vCPUs here: about 1.8x).
double MeasureRawRsaTogether(unsigned threads, double seconds);

// A scanned 提出代行証明書 as offices attach it: one page, a JPEG image of `image_bytes` in a
// PDF. The image's bytes are a seeded generator's, like a JPEG that deflate cannot shrink (some
// shrink by a few percent and are still deflated: common/src/zip_writer.cpp).
std::string ScannedPdf(std::size_t image_bytes);

// The ratio column is each Rate's own ratio when it has one, else its rate over `baseline`'s.
void PrintTable(const Rate& baseline, const std::vector<Rate>& rates);

}  // namespace todoke::bench
