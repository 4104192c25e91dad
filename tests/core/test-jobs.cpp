// JobManager: jobs run off the calling thread, several at once, report progress, stop when
// cancelled, queue behind an exclusive resource (first come, first served), and exceptions turn
// into errors at the boundary. Synchronisation is by gates the test opens, never by sleeping.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "jobs/job_manager.h"
#include "jobs/job_runner.h"

using namespace ts;

namespace {

constexpr auto kHangGuard = std::chrono::seconds(60); // a broken manager fails the test instead of hanging it

// A flag one thread sets and others wait for.
class Gate
{
public:
    void open()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_open = true;
        m_cv.notify_all();
    }
    bool waitOpen()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        return m_cv.wait_for(lock, kHangGuard, [&] { return m_open; });
    }
    bool isOpen()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_open;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_open = false;
};

// Says when it started, then waits for its release gate (or a cancel) and ends.
class GatedJob final : public Job
{
public:
    explicit GatedJob(std::string title, ResourceClaims claims = {})
        : m_title(std::move(title))
        , m_claims(std::move(claims))
    { }
    std::string title() const override { return m_title; }
    ResourceClaims resources() const override { return m_claims; }
    Status run(const CancelToken& cancel, ProgressSink& progress) override
    {
        started.open();
        progress.report({1, 2, "half way"});
        while (!release.isOpen()) {
            if (cancel.stopRequested())
                return cancelledError();
            std::this_thread::yield();
        }
        if (throwAtEnd)
            throw std::runtime_error("boom");
        progress.report({2, 2, "done"});
        return {};
    }
    Gate started;
    Gate release;
    bool throwAtEnd = false;

private:
    std::string m_title;
    ResourceClaims m_claims;
};

ResourceClaim engine()
{
    return {"the CPU engine", ResourceUse::Exclusive};
}

// Records each job's end (id, status) and lets the test wait for a given job's end.
struct Endings
{
    std::mutex mutex;
    std::condition_variable cv;
    std::map<JobId, Status> statuses;
    JobManager::Finished callback()
    {
        return [this](JobId id, const Status& status) {
            std::lock_guard<std::mutex> lock(mutex);
            statuses[id] = status;
            cv.notify_all();
        };
    }
    std::optional<Status> waitFor(JobId id)
    {
        std::unique_lock<std::mutex> lock(mutex);
        if (!cv.wait_for(lock, kHangGuard, [&] { return statuses.count(id) > 0; }))
            return std::nullopt;
        return statuses[id];
    }
};

} // namespace

TEST(JobManager, RunsAJobOnAnotherThreadAndRecordsItsProgress)
{
    JobManager jobs;
    Endings endings;
    auto job = std::make_shared<GatedJob>("Counting");
    std::atomic<int> reports {0};
    std::thread::id workerThread;
    auto progress = std::make_shared<CallbackProgress>([&](const Progress&) {
        ++reports;
        workerThread = std::this_thread::get_id();
    });
    const JobId id = jobs.submit(job, progress, endings.callback());
    ASSERT_TRUE(job->started.waitOpen());
    EXPECT_EQ(jobs.activeCount(), 1u);
    job->release.open();
    auto status = endings.waitFor(id);
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->ok());
    jobs.wait(id);
    auto info = jobs.info(id);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->state, JobState::Succeeded);
    EXPECT_EQ(info->title, "Counting");
    EXPECT_EQ(info->progress.done, 2);
    EXPECT_EQ(info->progress.message, "done");
    EXPECT_TRUE(info->startedAt && info->endedAt);
    EXPECT_EQ(reports, 2);
    EXPECT_NE(workerThread, std::this_thread::get_id());
    EXPECT_EQ(jobs.activeCount(), 0u);
}

TEST(JobManager, JobsWithoutExclusiveClaimsRunAtTheSameTime)
{
    JobManager jobs;
    Endings endings;
    auto importJob = std::make_shared<GatedJob>("Import", ResourceClaims {projectFileClaim()});
    auto abTest = std::make_shared<GatedJob>("A/B test"); // HTTP-bound: claims nothing
    auto training = std::make_shared<GatedJob>("Training", ResourceClaims {engine(), projectFileClaim()});
    const JobId a = jobs.submit(importJob, nullptr, endings.callback());
    const JobId b = jobs.submit(abTest, nullptr, endings.callback());
    const JobId c = jobs.submit(training, nullptr, endings.callback());
    // All three have started while none has been released: they run concurrently.
    ASSERT_TRUE(importJob->started.waitOpen());
    ASSERT_TRUE(abTest->started.waitOpen());
    ASSERT_TRUE(training->started.waitOpen());
    EXPECT_EQ(jobs.activeCount(), 3u);
    for (auto* job : {importJob.get(), abTest.get(), training.get()})
        job->release.open();
    for (JobId id : {a, b, c}) {
        auto status = endings.waitFor(id);
        ASSERT_TRUE(status);
        EXPECT_TRUE(status->ok());
    }
}

TEST(JobManager, ASecondJobOnAnExclusiveResourceQueuesUntilTheFirstEnds)
{
    JobManager jobs;
    Endings endings;
    auto first = std::make_shared<GatedJob>("Training run 1", ResourceClaims {engine()});
    auto second = std::make_shared<GatedJob>("Training run 2", ResourceClaims {engine()});
    auto third = std::make_shared<GatedJob>("Training run 3", ResourceClaims {engine()});
    const JobId a = jobs.submit(first, nullptr, endings.callback());
    ASSERT_TRUE(first->started.waitOpen());
    const JobId b = jobs.submit(second, nullptr, endings.callback());
    const JobId c = jobs.submit(third, nullptr, endings.callback());
    auto queued = jobs.info(b);
    ASSERT_TRUE(queued);
    EXPECT_EQ(queued->state, JobState::Queued);
    EXPECT_EQ(queued->waitingFor, "the CPU engine");
    EXPECT_FALSE(second->started.isOpen());
    EXPECT_EQ(jobs.activeCount(), 3u);

    first->release.open();
    ASSERT_TRUE(endings.waitFor(a));
    // First come, first served: the second starts, the third still waits (for the second now).
    ASSERT_TRUE(second->started.waitOpen());
    EXPECT_FALSE(third->started.isOpen());
    EXPECT_EQ(jobs.info(c)->state, JobState::Queued);
    second->release.open();
    ASSERT_TRUE(endings.waitFor(b));
    ASSERT_TRUE(third->started.waitOpen());
    third->release.open();
    auto last = endings.waitFor(c);
    ASSERT_TRUE(last);
    EXPECT_TRUE(last->ok());
}

TEST(JobManager, SharedClaimsWaitForAnExclusiveHolderOfTheSameResource)
{
    JobManager jobs;
    Endings endings;
    auto holder
        = std::make_shared<GatedJob>("Compact project", ResourceClaims {{"the project file", ResourceUse::Exclusive}});
    auto reader = std::make_shared<GatedJob>("Export", ResourceClaims {projectFileClaim()});
    const JobId a = jobs.submit(holder, nullptr, endings.callback());
    ASSERT_TRUE(holder->started.waitOpen());
    const JobId b = jobs.submit(reader, nullptr, endings.callback());
    EXPECT_EQ(jobs.info(b)->waitingFor, "the project file");
    holder->release.open();
    ASSERT_TRUE(endings.waitFor(a));
    ASSERT_TRUE(reader->started.waitOpen());
    reader->release.open();
    ASSERT_TRUE(endings.waitFor(b));
}

TEST(JobManager, CancellingAQueuedJobEndsItWithoutRunningIt)
{
    JobManager jobs;
    Endings endings;
    auto first = std::make_shared<GatedJob>("Training run 1", ResourceClaims {engine()});
    auto second = std::make_shared<GatedJob>("Training run 2", ResourceClaims {engine()});
    const JobId a = jobs.submit(first, nullptr, endings.callback());
    ASSERT_TRUE(first->started.waitOpen());
    const JobId b = jobs.submit(second, nullptr, endings.callback());
    jobs.cancel(b);
    auto status = endings.waitFor(b);
    ASSERT_TRUE(status);
    EXPECT_TRUE(isCancelled(*status));
    EXPECT_EQ(jobs.info(b)->state, JobState::Cancelled);
    first->release.open();
    ASSERT_TRUE(endings.waitFor(a));
    jobs.waitAll();
    EXPECT_FALSE(second->started.isOpen());
}

TEST(JobManager, CancelStopsARunningJob)
{
    JobManager jobs;
    Endings endings;
    auto job = std::make_shared<GatedJob>("Counting");
    const JobId id = jobs.submit(job, nullptr, endings.callback());
    ASSERT_TRUE(job->started.waitOpen());
    jobs.cancel(id);
    auto status = endings.waitFor(id);
    ASSERT_TRUE(status);
    EXPECT_TRUE(isCancelled(*status));
    jobs.wait(id);
    EXPECT_EQ(jobs.info(id)->state, JobState::Cancelled);
}

TEST(JobManager, AnExceptionBecomesTheJobsErrorAndTheManagerGoesOn)
{
    JobManager jobs;
    Endings endings;
    auto job = std::make_shared<GatedJob>("Counting");
    job->throwAtEnd = true;
    job->release.open();
    const JobId id = jobs.submit(job, nullptr, endings.callback());
    auto status = endings.waitFor(id);
    ASSERT_TRUE(status);
    ASSERT_FALSE(status->ok());
    EXPECT_EQ(status->error().message, "Counting failed: boom");
    jobs.wait(id);
    EXPECT_EQ(jobs.info(id)->state, JobState::Failed);
    EXPECT_EQ(jobs.info(id)->error, "Counting failed: boom");

    auto next = std::make_shared<GatedJob>("Next");
    next->release.open();
    auto nextStatus = endings.waitFor(jobs.submit(next, nullptr, endings.callback()));
    ASSERT_TRUE(nextStatus);
    EXPECT_TRUE(nextStatus->ok());
}

TEST(JobManager, TheChangeCallbackSeesEveryStartAndEndAndMayCallBackIn)
{
    std::mutex mutex;
    std::vector<std::pair<JobId, JobState>> seen;
    JobManager* self = nullptr;
    JobManager jobs([&](JobId id) {
        auto info = self->info(id); // calling back in from the callback must not deadlock
        std::lock_guard<std::mutex> lock(mutex);
        seen.emplace_back(id, info ? info->state : JobState::Failed);
    });
    self = &jobs;
    auto job = std::make_shared<GatedJob>("Counting");
    job->release.open();
    const JobId id = jobs.submit(job, nullptr, nullptr);
    jobs.wait(id);
    // Submitting again reaps the ended worker while its last callback may still run.
    auto again = std::make_shared<GatedJob>("Again");
    again->release.open();
    jobs.wait(jobs.submit(again, nullptr, nullptr));
    jobs.waitAll();
    std::lock_guard<std::mutex> lock(mutex);
    ASSERT_GE(seen.size(), 2u);
    EXPECT_EQ(seen.front().first, id);
}

TEST(JobManager, TheDestructorCancelsRunningAndQueuedJobs)
{
    Endings endings;
    auto running = std::make_shared<GatedJob>("Training run 1", ResourceClaims {engine()});
    auto queued = std::make_shared<GatedJob>("Training run 2", ResourceClaims {engine()});
    JobId a = 0, b = 0;
    {
        JobManager jobs;
        a = jobs.submit(running, nullptr, endings.callback());
        ASSERT_TRUE(running->started.waitOpen());
        b = jobs.submit(queued, nullptr, endings.callback());
    } // joins: must not hang
    EXPECT_TRUE(isCancelled(*endings.waitFor(a)));
    EXPECT_TRUE(isCancelled(*endings.waitFor(b)));
    EXPECT_FALSE(queued->started.isOpen());
}

TEST(JobRunner, ExceptionsBecomeErrors)
{
    GatedJob job("Counting");
    job.throwAtEnd = true;
    job.release.open();
    CancelToken token;
    NullProgress progress;
    Status status = JobRunner::runHere(job, token, progress);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message, "Counting failed: boom");
}
