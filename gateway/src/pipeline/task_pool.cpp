#include "task_pool.hpp"

#include <algorithm>

#include "todoke/common/runtime.hpp"

namespace todoke::gateway::pipeline {

TaskPool::TaskPool(std::size_t max_threads, std::string name)
    : max_threads_(std::max<std::size_t>(1, max_threads)), name_(std::move(name)) {}

TaskPool::~TaskPool() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_) {
        t.join();
    }
}

void TaskPool::Post(std::function<void()> task) {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(task));
    if (idle_ < queue_.size() && threads_.size() < max_threads_) {
        threads_.emplace_back([this] {
            NameThisThread(name_);
            Loop();
        });
    } else {
        ready_.notify_one();
    }
}

void TaskPool::Loop() {
    std::unique_lock lock(mu_);
    for (;;) {
        ++idle_;
        ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        --idle_;
        if (queue_.empty()) {
            return;  // stopping, and nothing left
        }
        std::function<void()> task = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        task();
        lock.lock();
    }
}

}  // namespace todoke::gateway::pipeline
