// CancelToken: a shared flag a job checks at each step. Copies share the flag.
#pragma once

#include <atomic>
#include <memory>

#include "common/expected.h"

namespace ts {

class CancelToken
{
public:
    CancelToken()
        : m_flag(std::make_shared<std::atomic_bool>(false))
    { }

    void requestStop() const { m_flag->store(true, std::memory_order_relaxed); }
    bool stopRequested() const { return m_flag->load(std::memory_order_relaxed); }

private:
    std::shared_ptr<std::atomic_bool> m_flag;
};

// The error of work that stopped because it was cancelled (after undoing its partial work). Recognised by its
// kind, not its text.
inline Error cancelledError()
{
    return Error {"cancelled", ErrorKind::Cancelled};
}

inline bool isCancelled(const Status& status)
{
    return !status.ok() && status.error().kind == ErrorKind::Cancelled;
}

} // namespace ts
