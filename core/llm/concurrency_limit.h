// ConcurrencyLimit: a counting semaphore capping a provider's requests in flight. acquire()
// waits for a free slot and gives up when the cancel token is set; Slot releases on destruction.
#pragma once

#include <condition_variable>
#include <mutex>

#include "common/cancel.h"

namespace ts::llm {

class ConcurrencyLimit
{
public:
    explicit ConcurrencyLimit(int maxInFlight); // values below 1 count as 1

    // Holds one slot until destroyed (or release()d). Empty when acquire() was cancelled.
    class Slot
    {
    public:
        Slot() = default;
        Slot(Slot&& other) noexcept;
        Slot& operator=(Slot&& other) noexcept;
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        ~Slot() { release(); }

        explicit operator bool() const { return m_owner != nullptr; }
        void release();

    private:
        friend class ConcurrencyLimit;
        explicit Slot(ConcurrencyLimit* owner)
            : m_owner(owner)
        { }
        ConcurrencyLimit* m_owner = nullptr;
    };

    // Waits for a slot; returns an empty Slot if `cancel` is set first (checked every ~10 ms).
    Slot acquire(const CancelToken& cancel);

    int maxInFlight() const { return m_max; }
    int inFlight() const;

private:
    void releaseOne();

    const int m_max;
    mutable std::mutex m_mutex;
    std::condition_variable m_freed;
    int m_inFlight = 0;
};

} // namespace ts::llm
