#include "crash_points.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <string>

namespace todoke::gateway {
namespace {

struct CrashPlan {
    std::map<std::string, double, std::less<>> points;
    std::mt19937_64 rng;
    std::mutex mu;
};

CrashPlan& Plan() {
    static CrashPlan* plan = [] {
        auto* p = new CrashPlan();  // never destroyed: used until the process ends
        const char* spec = std::getenv("TODOKE_CRASH_POINTS");
        const char* seed = std::getenv("TODOKE_CRASH_SEED");
        p->rng.seed(seed != nullptr ? std::strtoull(seed, nullptr, 10)
                                    : static_cast<unsigned long long>(::getpid()));
        std::string text = spec != nullptr ? spec : "";
        std::size_t start = 0;
        while (start < text.size()) {
            const std::size_t end = std::min(text.find(',', start), text.size());
            const std::string item = text.substr(start, end - start);
            const std::size_t eq = item.find('=');
            if (eq != std::string::npos) {
                p->points[item.substr(0, eq)] = std::strtod(item.c_str() + eq + 1, nullptr);
            }
            start = end + 1;
        }
        return p;
    }();
    return *plan;
}

}  // namespace

void MaybeCrash(std::string_view point) {
    CrashPlan& plan = Plan();
    if (plan.points.empty()) {
        return;
    }
    const auto it = plan.points.find(point);
    if (it == plan.points.end()) {
        return;
    }
    std::lock_guard lock(plan.mu);
    if (std::uniform_real_distribution<double>(0, 1)(plan.rng) < it->second) {
        std::cerr << "todoke: crash point " << point << " fired (SIGKILL)" << std::endl;
        ::kill(::getpid(), SIGKILL);
    }
}

}  // namespace todoke::gateway
