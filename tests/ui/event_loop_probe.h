// EventLoopProbe: measures how long the GUI thread's event loop is kept from running, for UI tests that bound it.
// A precise timer ticks every `intervalMs`; each gap between two ticks beyond the interval is a stall (the loop
// was busy, or waited). Start it, do the work while the loop runs (QTRY_*, QSignalSpy::wait), stop, read.
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

private:
    void tick();

    int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = -1;
    std::vector<double> m_stallsMs; // per tick: the gap beyond the interval (0 when on time)
};

} // namespace ts::test
