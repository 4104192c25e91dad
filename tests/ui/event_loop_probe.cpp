// EventLoopProbe: gaps between PreciseTimer ticks, measured with a monotonic clock.
#include "event_loop_probe.h"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace ts::test {

namespace {

// CPU time used by the calling thread (POSIX).
qint64 threadCpuNs()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<qint64>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

} // namespace

EventLoopProbe::EventLoopProbe(int intervalMs)
    : m_intervalMs(intervalMs)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopProbe::tick);
}

void EventLoopProbe::start()
{
    m_stallsMs.clear();
    m_busyMs.clear();
    m_clock.start();
    m_lastNs = m_clock.nsecsElapsed();
    m_lastCpuNs = threadCpuNs();
    m_timer.start();
}

void EventLoopProbe::stop()
{
    m_timer.stop();
    tick(); // a stall still going on counts up to now
}

void EventLoopProbe::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    const double gapMs = static_cast<double>(now - m_lastNs) / 1e6;
    m_lastNs = now;
    m_stallsMs.push_back(std::max(0.0, gapMs - m_intervalMs));
    const qint64 cpu = threadCpuNs();
    m_busyMs.push_back(static_cast<double>(cpu - m_lastCpuNs) / 1e6);
    m_lastCpuNs = cpu;
}

double EventLoopProbe::maxStallMs() const
{
    return m_stallsMs.empty() ? 0.0 : *std::max_element(m_stallsMs.begin(), m_stallsMs.end());
}

double EventLoopProbe::percentileStallMs(double p) const
{
    return percentile(m_stallsMs, p);
}

double EventLoopProbe::maxBusyMs() const
{
    return m_busyMs.empty() ? 0.0 : *std::max_element(m_busyMs.begin(), m_busyMs.end());
}

double EventLoopProbe::percentileBusyMs(double p) const
{
    return percentile(m_busyMs, p);
}

QString EventLoopProbe::describe() const
{
    return QStringLiteral("max %1 ms, p99 %2 ms over %3 ticks of %4 ms")
        .arg(maxStallMs(), 0, 'f', 1)
        .arg(percentileStallMs(99), 0, 'f', 1)
        .arg(ticks())
        .arg(m_intervalMs);
}

QString EventLoopProbe::describeBusy() const
{
    return QStringLiteral("GUI thread busy between ticks: max %1 ms, p99 %2 ms")
        .arg(maxBusyMs(), 0, 'f', 1)
        .arg(percentileBusyMs(99), 0, 'f', 1);
}

} // namespace ts::test
