// JobRunner: runs jobs on worker threads. Each started job gets a handle to cancel it and
// to wait for it; the finished callback runs on the worker thread (the UI bridge re-posts it).
#pragma once

#include <functional>
#include <memory>
#include <thread>

#include "jobs/job.h"

namespace ts {

class JobHandle
{
public:
    void cancel() const { m_cancel.requestStop(); }
    void wait();
    bool finished() const;
    const CancelToken& cancelToken() const { return m_cancel; }

private:
    friend class JobRunner;
    struct State;
    std::shared_ptr<State> m_state;
    CancelToken m_cancel;
};

class JobRunner
{
public:
    using Finished = std::function<void(const Status&)>;

    JobRunner() = default;
    JobRunner(const JobRunner&) = delete;
    JobRunner& operator=(const JobRunner&) = delete;
    ~JobRunner(); // cancels and joins everything still running

    // Starts `job` on a new thread. The runner keeps the job alive until it finishes.
    JobHandle start(std::shared_ptr<Job> job, std::shared_ptr<ProgressSink> progress, Finished finished);

    // Runs `job` on the calling thread (CLI, tests).
    static Status runHere(Job& job, const CancelToken& cancel, ProgressSink& progress);

private:
    std::vector<std::pair<std::thread, JobHandle>> m_threads;
};

} // namespace ts
