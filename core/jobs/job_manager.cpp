// JobManager: a worker thread per running job, a queue for jobs whose exclusive claims are held,
// and a short history of ended jobs for the jobs panel.
#include "jobs/job_manager.h"

#include <algorithm>

#include "jobs/job_runner.h"

namespace ts {

bool isActive(JobState state)
{
    return state == JobState::Queued || state == JobState::Running;
}

const char* jobStateName(JobState state)
{
    switch (state) {
    case JobState::Queued:
        return "queued";
    case JobState::Running:
        return "running";
    case JobState::Succeeded:
        return "finished";
    case JobState::Failed:
        return "failed";
    case JobState::Cancelled:
        return "cancelled";
    }
    return "unknown";
}

struct JobManager::Entry
{
    JobInfo info;
    std::shared_ptr<Job> job;
    std::shared_ptr<ProgressSink> progress;
    Finished finished;
    ResourceClaims claims;
    CancelToken cancel;
    bool finishedCalled = false; // `finished` has returned: wait() may return
};

namespace {

// The name of a resource both claim where at least one claim is exclusive; empty when they can run together.
std::string contendedResource(const ResourceClaims& a, const ResourceClaims& b)
{
    for (const ResourceClaim& x : a)
        for (const ResourceClaim& y : b)
            if (x.name == y.name && (x.use == ResourceUse::Exclusive || y.use == ResourceUse::Exclusive))
                return x.name;
    return {};
}

// Records the latest report in the job's entry (for list()) and passes it on.
class RecordingProgress final : public ProgressSink
{
public:
    RecordingProgress(std::mutex& mutex, JobInfo& info, std::shared_ptr<ProgressSink> next)
        : m_mutex(mutex)
        , m_info(info)
        , m_next(std::move(next))
    { }
    void report(const Progress& progress) override
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_info.progress = progress;
        }
        if (m_next)
            m_next->report(progress);
    }

private:
    std::mutex& m_mutex;
    JobInfo& m_info;
    std::shared_ptr<ProgressSink> m_next;
};

} // namespace

JobManager::JobManager(Changed changed)
    : m_changed(std::move(changed))
{ }

JobManager::~JobManager()
{
    std::vector<std::shared_ptr<Entry>> neverStarted;
    std::vector<std::pair<JobId, std::thread>> threads;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_shuttingDown = true;
        for (const auto& entry : m_entries) {
            if (entry->info.state == JobState::Queued) {
                entry->info.state = JobState::Cancelled;
                entry->info.endedAt = JobInfo::Clock::now();
                neverStarted.push_back(entry);
            } else if (entry->info.state == JobState::Running) {
                entry->cancel.requestStop();
            }
        }
        threads = std::move(m_threads);
    }
    for (const auto& entry : neverStarted)
        if (entry->finished)
            entry->finished(entry->info.id, cancelledError());
    for (auto& [id, thread] : threads)
        thread.join();
}

JobId JobManager::submit(std::shared_ptr<Job> job, std::shared_ptr<ProgressSink> progress, Finished finished)
{
    auto entry = std::make_shared<Entry>();
    entry->job = std::move(job);
    entry->progress = std::move(progress);
    entry->finished = std::move(finished);
    entry->claims = entry->job->resources();
    entry->info.title = entry->job->title();
    entry->info.submittedAt = JobInfo::Clock::now();
    std::vector<JobId> started;
    std::vector<std::thread> done;
    JobId id = 0;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        done = takeFinishedThreads();
        id = m_nextId++;
        entry->info.id = id;
        if (m_shuttingDown) {
            entry->info.state = JobState::Cancelled;
            entry->info.endedAt = entry->info.submittedAt;
        } else {
            m_entries.push_back(entry);
            entry->info.waitingFor = blockingResource(*entry);
            startEligible(started);
        }
    }
    // Joined without the lock: a worker may still be in its last notify, which can call back in.
    for (std::thread& thread : done)
        thread.join();
    if (entry->info.state == JobState::Cancelled && entry->finished)
        entry->finished(id, cancelledError());
    notify(id);
    for (JobId next : started)
        if (next != id)
            notify(next);
    return id;
}

void JobManager::cancel(JobId id)
{
    std::shared_ptr<Entry> dropped;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        auto entry = find(id);
        if (!entry)
            return;
        if (entry->info.state == JobState::Running) {
            entry->cancel.requestStop();
            return;
        }
        if (entry->info.state != JobState::Queued)
            return;
        entry->info.state = JobState::Cancelled;
        entry->info.waitingFor.clear();
        entry->info.endedAt = JobInfo::Clock::now();
        dropped = entry;
    }
    if (dropped->finished)
        dropped->finished(id, cancelledError());
    std::vector<JobId> started;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        dropped->finishedCalled = true;
        // A queued job that leaves may have been what a later one queued behind.
        if (!m_shuttingDown)
            startEligible(started);
    }
    m_ended.notify_all();
    notify(id);
    for (JobId next : started)
        notify(next);
}

void JobManager::cancelAll()
{
    std::vector<JobId> ids;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (const auto& entry : m_entries)
            if (isActive(entry->info.state))
                ids.push_back(entry->info.id);
    }
    // Queued ones first, so cancelling a running job does not start one that waited for it.
    std::stable_partition(ids.begin(), ids.end(), [this](JobId id) {
        auto i = info(id);
        return i && i->state == JobState::Queued;
    });
    for (JobId id : ids)
        cancel(id);
}

void JobManager::wait(JobId id)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    auto entry = find(id);
    if (!entry)
        return;
    m_ended.wait(lock, [&] { return entry->finishedCalled; });
}

void JobManager::waitAll()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_ended.wait(lock, [&] {
        return std::none_of(m_entries.begin(), m_entries.end(), [](const auto& e) { return !e->finishedCalled; });
    });
}

std::optional<JobInfo> JobManager::info(JobId id) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto entry = find(id);
    if (!entry)
        return std::nullopt;
    return entry->info;
}

std::vector<JobInfo> JobManager::list() const
{
    std::vector<JobInfo> active, ended;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (const auto& entry : m_entries)
            (isActive(entry->info.state) ? active : ended).push_back(entry->info);
    }
    std::sort(ended.begin(), ended.end(), [](const JobInfo& a, const JobInfo& b) { return a.endedAt > b.endedAt; });
    active.insert(active.end(), ended.begin(), ended.end());
    return active;
}

size_t JobManager::activeCount() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return static_cast<size_t>(
        std::count_if(m_entries.begin(), m_entries.end(), [](const auto& e) { return isActive(e->info.state); }));
}

std::shared_ptr<JobManager::Entry> JobManager::find(JobId id) const
{
    for (const auto& entry : m_entries)
        if (entry->info.id == id)
            return entry;
    return nullptr;
}

std::string JobManager::blockingResource(const Entry& entry) const
{
    // Running jobs hold their claims; queued jobs submitted earlier go first (first come, first served).
    bool earlier = true;
    for (const auto& other : m_entries) {
        if (other.get() == &entry) {
            earlier = false;
            continue;
        }
        const bool holdsOrGoesFirst
            = other->info.state == JobState::Running || (earlier && other->info.state == JobState::Queued);
        if (!holdsOrGoesFirst)
            continue;
        if (std::string name = contendedResource(entry.claims, other->claims); !name.empty())
            return name;
    }
    return {};
}

void JobManager::startEligible(std::vector<JobId>& started)
{
    for (const auto& entry : m_entries) {
        if (entry->info.state != JobState::Queued)
            continue;
        entry->info.waitingFor = blockingResource(*entry);
        if (entry->info.waitingFor.empty()) {
            launch(entry);
            started.push_back(entry->info.id);
        }
    }
}

void JobManager::launch(const std::shared_ptr<Entry>& entry)
{
    entry->info.state = JobState::Running;
    entry->info.startedAt = JobInfo::Clock::now();
    auto sink = std::make_shared<RecordingProgress>(m_mutex, entry->info, entry->progress);
    std::thread worker([this, entry, sink] {
        const Status status = JobRunner::runHere(*entry->job, entry->cancel, *sink);
        onJobEnded(entry, status);
    });
    m_threads.emplace_back(entry->info.id, std::move(worker));
}

void JobManager::onJobEnded(const std::shared_ptr<Entry>& entry, const Status& status)
{
    const JobId id = entry->info.id;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        entry->info.endedAt = JobInfo::Clock::now();
        if (status.ok()) {
            entry->info.state = JobState::Succeeded;
        } else if (isCancelled(status)) {
            entry->info.state = JobState::Cancelled;
        } else {
            entry->info.state = JobState::Failed;
            entry->info.error = status.error().message;
        }
    }
    if (entry->finished)
        entry->finished(id, status);
    std::vector<JobId> started;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        entry->finishedCalled = true;
        if (!m_shuttingDown)
            startEligible(started);
        // Keep a short history of ended jobs.
        size_t ended = 0;
        for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it)
            ended += isActive((*it)->info.state) ? 0 : 1;
        for (auto it = m_entries.begin(); it != m_entries.end() && ended > kRecentKept;) {
            if (!isActive((*it)->info.state) && (*it)->finishedCalled) {
                it = m_entries.erase(it);
                --ended;
            } else {
                ++it;
            }
        }
    }
    m_ended.notify_all();
    notify(id);
    for (JobId next : started)
        notify(next);
}

void JobManager::notify(JobId id) const
{
    if (m_changed)
        m_changed(id);
}

std::vector<std::thread> JobManager::takeFinishedThreads()
{
    std::vector<std::thread> done;
    for (auto it = m_threads.begin(); it != m_threads.end();) {
        auto entry = find(it->first);
        if (!entry || entry->finishedCalled) {
            // Its job has ended and reported; the thread has nothing left but to return.
            done.push_back(std::move(it->second));
            it = m_threads.erase(it);
        } else {
            ++it;
        }
    }
    return done;
}

} // namespace ts
