// ProgressSink: where a job reports how far it is. Implementations must be thread-safe,
// because jobs report from worker threads; the UI bridge rate-limits to ~10 Hz.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace ts {

struct Progress
{
    int64_t done = 0; // units finished (rows, steps, bytes)
    int64_t total = 0; // 0 = unknown
    std::string message;
};

class ProgressSink
{
public:
    virtual ~ProgressSink() = default;
    virtual void report(const Progress& progress) = 0;
};

// A sink that drops everything: for callers that do not watch progress.
class NullProgress final : public ProgressSink
{
public:
    void report(const Progress&) override { }
};

// A sink that forwards to a callable.
class CallbackProgress final : public ProgressSink
{
public:
    explicit CallbackProgress(std::function<void(const Progress&)> fn)
        : m_fn(std::move(fn))
    { }
    void report(const Progress& progress) override
    {
        if (m_fn)
            m_fn(progress);
    }

private:
    std::function<void(const Progress&)> m_fn;
};

} // namespace ts
