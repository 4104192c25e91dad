// EventLoopProbe: measures how long the GUI thread's event loop is kept from running, for UI tests that bound it.
// A precise timer ticks every `intervalMs`; each gap between two ticks beyond the interval is a stall (the loop
// was busy, or waited). Start it, do the work while the loop runs (QTRY_*, QSignalSpy::wait), stop, read.
// On a loaded machine a stall also holds the time the thread waited for a core; the CPU time the GUI thread used
// between two ticks (busy) is its own work alone, so a bound on it holds however busy the machine is.
#pragma once

#include <vector>

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

namespace ts::test {

class EventLoopProbe final : public QObject
{
    Q_OBJECT

public:
    explicit EventLoopProbe(int intervalMs = 5);

    void start();
    void stop();

    int ticks() const { return static_cast<int>(m_stallsMs.size()); }
    double maxStallMs() const;
    double percentileStallMs(double p) const; // p in [0, 100]; 0 with no ticks
    QString describe() const; // "max 12.3 ms, p99 4.1 ms over 1234 ticks of 5 ms"
    // The GUI thread's CPU time between two ticks (the probe's own tick included).
    double maxBusyMs() const;
    double percentileBusyMs(double p) const;
    QString describeBusy() const; // "GUI thread busy between ticks: max 6.1 ms, p99 1.2 ms"

private:
    void tick();

    int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = -1;
    qint64 m_lastCpuNs = 0;
    std::vector<double> m_stallsMs; // per tick: the gap beyond the interval (0 when on time)
    std::vector<double> m_busyMs; // per tick: the thread's CPU time since the previous tick
};

} // namespace ts::test
