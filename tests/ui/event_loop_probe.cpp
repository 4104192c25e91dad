// EventLoopProbe: gaps between PreciseTimer ticks, measured with a monotonic clock.
#include "event_loop_probe.h"

#include <algorithm>
#include <cmath>

namespace ts::test {

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
    m_clock.start();
    m_lastNs = m_clock.nsecsElapsed();
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
}

double EventLoopProbe::maxStallMs() const
{
    return m_stallsMs.empty() ? 0.0 : *std::max_element(m_stallsMs.begin(), m_stallsMs.end());
}

double EventLoopProbe::percentileStallMs(double p) const
{
    if (m_stallsMs.empty())
        return 0.0;
    std::vector<double> sorted = m_stallsMs;
    std::sort(sorted.begin(), sorted.end());
    const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

QString EventLoopProbe::describe() const
{
    return QStringLiteral("max %1 ms, p99 %2 ms over %3 ticks of %4 ms")
        .arg(maxStallMs(), 0, 'f', 1)
        .arg(percentileStallMs(99), 0, 'f', 1)
        .arg(ticks())
        .arg(m_intervalMs);
}

} // namespace ts::test
