// JobRunner: jobs run off the calling thread, report progress, stop when cancelled,
// and exceptions turn into errors at the boundary.
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "jobs/job_runner.h"

using namespace ts;

namespace {

class CountingJob final : public Job
{
public:
    explicit CountingJob(int steps, bool throwAtEnd = false)
        : m_steps(steps)
        , m_throw(throwAtEnd)
    { }
    std::string title() const override { return "Counting"; }
    Status run(const CancelToken& cancel, ProgressSink& progress) override
    {
        for (int i = 0; i < m_steps; ++i) {
            if (cancel.stopRequested())
                return cancelledError();
            progress.report({i + 1, m_steps, "step"});
            m_done = i + 1;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        if (m_throw)
            throw std::runtime_error("boom");
        return {};
    }
    std::atomic<int> m_done {0};
    std::thread::id m_thread;

private:
    int m_steps;
    bool m_throw;
};

} // namespace

TEST(JobRunner, RunsToCompletionOnAnotherThreadWithProgress)
{
    JobRunner runner;
    auto job = std::make_shared<CountingJob>(20);
    std::atomic<int> reports {0};
    std::atomic<bool> ok {false};
    std::thread::id workerThread;
    auto progress = std::make_shared<CallbackProgress>([&](const Progress&) {
        ++reports;
        workerThread = std::this_thread::get_id();
    });
    auto handle = runner.start(job, progress, [&](const Status& s) { ok = s.ok(); });
    handle.wait();
    EXPECT_TRUE(handle.finished());
    EXPECT_TRUE(ok);
    EXPECT_EQ(job->m_done, 20);
    EXPECT_EQ(reports, 20);
    EXPECT_NE(workerThread, std::this_thread::get_id());
}

TEST(JobRunner, CancelStopsTheJob)
{
    JobRunner runner;
    auto job = std::make_shared<CountingJob>(100000);
    std::atomic<bool> cancelled {false};
    auto handle = runner.start(job, nullptr, [&](const Status& s) { cancelled = isCancelled(s); });
    while (job->m_done < 3)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    handle.cancel();
    handle.wait();
    EXPECT_TRUE(cancelled);
    EXPECT_LT(job->m_done, 100000);
}

TEST(JobRunner, ExceptionsBecomeErrors)
{
    CountingJob job(2, true);
    CancelToken token;
    NullProgress progress;
    Status status = JobRunner::runHere(job, token, progress);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message, "Counting failed: boom");
}

TEST(JobRunner, DestructorCancelsRunningJobs)
{
    auto job = std::make_shared<CountingJob>(1000000);
    {
        JobRunner runner;
        runner.start(job, nullptr, nullptr);
        while (job->m_done < 1)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } // joins: must not hang
    EXPECT_LT(job->m_done, 1000000);
}
