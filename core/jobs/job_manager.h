// JobManager: runs any number of jobs at once, each on a worker thread of its own, and queues a
// job while an exclusive resource it claims (the local engine on a device) is held by another.
// Jobs with no exclusive claim (HTTP-bound A/B tests, imports, exports) start at once.
//
// Threads: submit/cancel/list may be called from any thread. `finished` and the change callback
// run on a worker thread (or, for a queued job cancelled before it started, on the thread that
// cancelled it); they must not call back into the manager's wait functions.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job.h"

namespace ts {

using JobId = uint64_t;

enum class JobState {
    Queued, // waits for an exclusive resource (JobInfo::waitingFor says which)
    Running,
    Succeeded,
    Failed,
    Cancelled,
};

bool isActive(JobState state); // queued or running
const char* jobStateName(JobState state); // "queued", "running", …

struct JobInfo
{
    using Clock = std::chrono::steady_clock;
    JobId id = 0;
    std::string title;
    JobState state = JobState::Queued;
    std::string waitingFor; // resource name, while queued
    Progress progress; // latest report
    Clock::time_point submittedAt;
    std::optional<Clock::time_point> startedAt;
    std::optional<Clock::time_point> endedAt;
    std::string error; // when failed
};

class JobManager
{
public:
    using Finished = std::function<void(JobId, const Status&)>;
    using Changed = std::function<void(JobId)>; // a job was queued, started or ended

    static constexpr size_t kRecentKept = 20; // ended jobs kept for list()

    explicit JobManager(Changed changed = {});
    JobManager(const JobManager&) = delete;
    JobManager& operator=(const JobManager&) = delete;
    ~JobManager(); // cancels every job (queued ones never start) and joins the workers

    // Starts `job` now, or queues it until its exclusive claims are free. `progress` may be null.
    JobId submit(std::shared_ptr<Job> job, std::shared_ptr<ProgressSink> progress, Finished finished);

    void cancel(JobId id); // a queued job ends Cancelled at once; a running one is asked to stop
    void cancelAll();
    void wait(JobId id); // until it ended (returns at once for unknown ids)
    void waitAll();

    std::optional<JobInfo> info(JobId id) const;
    std::vector<JobInfo> list() const; // active jobs in submission order, then recent ended ones
    size_t activeCount() const;

private:
    struct Entry;
    std::shared_ptr<Entry> find(JobId id) const; // m_mutex held
    std::string blockingResource(const Entry& entry) const; // m_mutex held; empty = can start
    void startEligible(std::vector<JobId>& started); // m_mutex held
    void launch(const std::shared_ptr<Entry>& entry); // m_mutex held
    void onJobEnded(const std::shared_ptr<Entry>& entry, const Status& status);
    void notify(JobId id) const;
    std::vector<std::thread> takeFinishedThreads(); // m_mutex held; the caller joins them unlocked

    Changed m_changed;
    mutable std::mutex m_mutex;
    std::condition_variable m_ended;
    std::vector<std::shared_ptr<Entry>> m_entries; // active + recent, submission order
    std::vector<std::pair<JobId, std::thread>> m_threads;
    JobId m_nextId = 1;
    bool m_shuttingDown = false;
};

} // namespace ts
