// JobsPanel: the popup list of running, queued and recent jobs (from the status bar's jobs button):
// each with its progress, ETA or the resource it waits for, and a Cancel button.
#pragma once

#include <QFrame>
#include <QTimer>

class QLabel;
class QVBoxLayout;

namespace ts::ui {

class JobController;
struct JobView;

class JobsPanel final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsPanel)

public:
    static constexpr int kRefreshMs = 500; // elapsed time and ETA move while it is open
    static constexpr int kWidth = 480;

    explicit JobsPanel(JobController& jobs, QWidget* parent = nullptr);

    void popUpAbove(QWidget* anchor); // shows the panel just above (or below) the anchor, inside the screen

    // "Running · 120 of 500 · 42% · about 3 min left", "Waiting for the CPU engine", "Failed: …".
    static QString describe(const JobView& job);
    static QString duration(double seconds); // "12 s", "3 min", "1 h 05 min"

public slots:
    void refresh();

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    QWidget* rowFor(const JobView& job);
    void fitAndPlace(); // height for the rows, then above the anchor again

    JobController& m_jobs;
    QVBoxLayout* m_rows = nullptr;
    QLabel* m_empty = nullptr;
    QWidget* m_anchor = nullptr;
    QTimer m_refreshTimer;
};

} // namespace ts::ui
