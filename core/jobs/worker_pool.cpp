// runWorkerPool: threads, joined; the first escaped exception kept.
#include "jobs/worker_pool.h"

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace ts {

std::optional<std::string> runWorkerPool(int threads, const std::function<void()>& work,
                                         const std::function<void()>& onException)
{
    std::mutex mutex;
    std::optional<std::string> first;
    auto guarded = [&] {
        std::string what;
        try {
            work();
            return;
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
            what = "unknown exception";
        }
        {
            std::lock_guard<std::mutex> g(mutex);
            if (!first)
                first = what;
        }
        if (onException)
            onException();
    };
    std::vector<std::thread> pool;
    for (int i = 0; i < std::max(1, threads); ++i)
        pool.emplace_back(guarded);
    for (auto& t : pool)
        t.join();
    return first;
}

} // namespace ts
