// JobRunner: one worker thread per running job; exceptions become errors at this boundary.
#include "jobs/job_runner.h"

#include <condition_variable>
#include <exception>
#include <mutex>

namespace ts {

struct JobHandle::State
{
    std::mutex mutex;
    std::condition_variable done;
    bool finished = false;
};

void JobHandle::wait()
{
    if (!m_state)
        return;
    std::unique_lock<std::mutex> lock(m_state->mutex);
    m_state->done.wait(lock, [this] { return m_state->finished; });
}

bool JobHandle::finished() const
{
    if (!m_state)
        return true;
    std::lock_guard<std::mutex> lock(m_state->mutex);
    return m_state->finished;
}

Status JobRunner::runHere(Job& job, const CancelToken& cancel, ProgressSink& progress)
{
    try {
        return job.run(cancel, progress);
    } catch (const std::exception& e) {
        return Error {job.title() + " failed: " + e.what()};
    } catch (...) {
        return Error {job.title() + " failed with an unknown error"};
    }
}

JobHandle JobRunner::start(std::shared_ptr<Job> job, std::shared_ptr<ProgressSink> progress, Finished finished)
{
    JobHandle handle;
    handle.m_state = std::make_shared<JobHandle::State>();
    if (!progress)
        progress = std::make_shared<NullProgress>();
    std::thread worker([job, progress, finished, state = handle.m_state, cancel = handle.m_cancel] {
        Status status = runHere(*job, cancel, *progress);
        if (finished)
            finished(status);
        std::lock_guard<std::mutex> lock(state->mutex);
        state->finished = true;
        state->done.notify_all();
    });
    // Reap threads of jobs that are done, so a long session does not pile them up.
    for (auto it = m_threads.begin(); it != m_threads.end();) {
        if (it->second.finished()) {
            it->first.join();
            it = m_threads.erase(it);
        } else {
            ++it;
        }
    }
    m_threads.emplace_back(std::move(worker), handle);
    return handle;
}

JobRunner::~JobRunner()
{
    for (auto& [thread, handle] : m_threads)
        handle.cancel();
    for (auto& [thread, handle] : m_threads)
        thread.join();
}

} // namespace ts
