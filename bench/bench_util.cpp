#include "bench_util.hpp"

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <thread>
#include <vector>

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

Rate Measure(const std::string& name, double seconds, const std::function<bool()>& op,
             const Baseline* beside) {
    // TODOKE_BENCH_ONLY=text runs only the measurements whose name holds the text (for a
    // profiler); the others print 0.
    if (const char* only = std::getenv("TODOKE_BENCH_ONLY");
        only != nullptr && name.find(only) == std::string::npos &&
        name.find("baseline") == std::string::npos) {
        return {name, 0, 0};
    }
    // The median of three runs: one disturbed run (another process, a page-cache hiccup)
    // does not move the result.
    std::array<double, 3> runs{};
    std::array<double, 3> ratios{};
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const double base = beside != nullptr ? OneRun(beside->name(), seconds / 6,
                                                       [beside] { return beside->Run(); })
                                              : 0;
        runs[i] = OneRun(name, seconds / 3, op);
        ratios[i] = base > 0 ? runs[i] / base : 0;
    }
    std::sort(runs.begin(), runs.end());
    std::sort(ratios.begin(), ratios.end());
    return {name, runs[1], 1e6 / runs[1], ratios[1]};
}

Baseline Baseline::RawRsa() {
    struct Key {
        EVP_PKEY* key = EVP_RSA_gen(2048);
        ~Key() { EVP_PKEY_free(key); }
    };
    auto key = std::make_shared<Key>();
    return Baseline("OpenSSL raw RSA-2048 sign (baseline)", [key] {
        unsigned char digest[32] = {1, 2, 3};
        unsigned char sig[256];
        EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key->key, nullptr);
        std::size_t len = sizeof sig;
        const bool ok = EVP_PKEY_sign_init(ctx) == 1 &&
                        EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
                        EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
                        EVP_PKEY_sign(ctx, sig, &len, digest, sizeof digest) == 1;
        EVP_PKEY_CTX_free(ctx);
        return ok;
    });
}

Rate MeasureRawRsa(double seconds) {
    const Baseline rsa = Baseline::RawRsa();
    return Measure(rsa.name(), seconds, [&rsa] { return rsa.Run(); });
}

double MeasureRawRsaTogether(unsigned threads, double seconds) {
    const Baseline rsa = Baseline::RawRsa();
    std::atomic<bool> stop{false};
    std::atomic<long> signatures{0};  // one add per signature: nothing beside 250 us of RSA
    std::vector<std::thread> workers;
    for (unsigned i = 0; i < threads; ++i) {
        workers.emplace_back([&] {
            while (!stop.load(std::memory_order_relaxed) && rsa.Run()) {
                signatures.fetch_add(1, std::memory_order_relaxed);
            }
        });
    }
    using Clock = std::chrono::steady_clock;
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds / 5));  // all signing
    const long first = signatures.load();
    const auto start = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const long last = signatures.load();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    stop = true;
    for (auto& w : workers) w.join();
    return static_cast<double>(last - first) / elapsed;
}

std::string ScannedPdf(std::size_t image_bytes) {
    std::string pdf =
        "%PDF-1.4\n1 0 obj\n<< /Type /XObject /Subtype /Image /Width 1240 /Height 1754 "
        "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length " +
        std::to_string(image_bytes) + " >>\nstream\n";
    std::mt19937 rng(42);
    for (std::size_t i = 0; i < image_bytes; ++i) {
        pdf += static_cast<char>(rng() & 0xFF);
    }
    pdf += "\nendstream\nendobj\ntrailer\n<< /Root 2 0 R >>\n%%EOF\n";
    return pdf;
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
                    r.ratio > 0 ? r.ratio : r.per_second / baseline.per_second);
    }
}

}  // namespace todoke::bench
