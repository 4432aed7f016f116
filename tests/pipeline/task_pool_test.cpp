// The submit stage's kept send threads: tasks run side by side up to the limit, threads are
// kept between batches instead of started per task, and what is queued when the pool goes away
// still runs (a send whose `submitting` is committed is not silently dropped).
#include "task_pool.hpp"

#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>

namespace todoke::gateway::pipeline {
namespace {

TEST(TaskPoolTest, RunsSideBySideUpToTheLimitAndKeepsItsThreads) {
    TaskPool pool(4, "submit-send");
    std::atomic<int> running{0}, most{0};
    std::mutex mu;
    std::set<std::thread::id> threads;
    for (int round = 0; round < 3; ++round) {
        std::vector<std::future<int>> results;
        for (int i = 0; i < 8; ++i) {
            results.push_back(pool.Run([&, i] {
                const int now = ++running;
                int seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) {
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                --running;
                std::lock_guard lock(mu);
                threads.insert(std::this_thread::get_id());
                return i * i;
            }));
        }
        for (int i = 0; i < 8; ++i) EXPECT_EQ(results[i].get(), i * i);
    }
    EXPECT_EQ(most.load(), 4);      // side by side, never more than the limit
    EXPECT_EQ(threads.size(), 4u);  // the same four threads for all 24 tasks
    // Named, so that top -H, perf and the pipeline benchmark can tell them apart.
    const std::string name = pool.Run([] {
                                     char n[16] = {};
                                     pthread_getname_np(pthread_self(), n, sizeof n);
                                     return std::string(n);
                                 })
                                 .get();
    EXPECT_EQ(name, "submit-send");
}

TEST(TaskPoolTest, WhatIsQueuedStillRunsWhenThePoolGoesAway) {
    std::atomic<int> done{0};
    std::vector<std::future<void>> results;
    {
        TaskPool pool(1, "test-pool");
        for (int i = 0; i < 5; ++i) {
            results.push_back(pool.Run([&] {
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                ++done;
            }));
        }
    }
    EXPECT_EQ(done.load(), 5);
    for (auto& r : results) r.get();
}

}  // namespace
}  // namespace todoke::gateway::pipeline
