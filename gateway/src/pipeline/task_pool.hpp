// Threads kept for work that waits (the submit stage's sends side by side): a thread is started
// only when a task finds none idle, up to a limit, and then kept until the pool is destroyed.
// A thread started and ended for every send cost more CPU than the send's own TLS work.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace todoke::gateway::pipeline {

class TaskPool {
  public:
    // Its threads are named `name` (NameThisThread).
    TaskPool(std::size_t max_threads, std::string name);
    ~TaskPool();  // runs what is queued, then joins
    TaskPool(const TaskPool&) = delete;
    TaskPool& operator=(const TaskPool&) = delete;

    template <class F>
    auto Run(F f) -> std::future<decltype(f())> {
        auto task = std::make_shared<std::packaged_task<decltype(f())()>>(std::move(f));
        auto result = task->get_future();
        Post([task] { (*task)(); });
        return result;
    }

  private:
    void Post(std::function<void()> task);
    void Loop();

    const std::size_t max_threads_;
    const std::string name_;
    std::mutex mu_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> queue_;
    std::vector<std::thread> threads_;
    std::size_t idle_ = 0;
    bool stopping_ = false;
};

}  // namespace todoke::gateway::pipeline
