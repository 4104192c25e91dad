// FileTask: one cancellable piece of project-file work (open, copy, integrity check) run on Qt's thread pool
// while the GUI thread waits for it in a local event loop: the window keeps painting and answering input, and
// the caller still gets its result in order (open, then show the project). Progress arrives as queued signals.
#pragma once

#include <functional>

#include <QObject>
#include <QString>

#include "common/cancel.h"
#include "common/progress.h"

namespace ts::ui {

class FileTask final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileTask)

public:
    // Runs on a pool thread; must not touch QObjects. It writes its result into state the caller owns.
    using Work = std::function<void(const ts::CancelToken& cancel, ts::ProgressSink& progress)>;

    explicit FileTask(QObject* parent = nullptr);

    bool isRunning() const { return m_running; }
    // Starts `work` and returns once it has finished; events (and signals of this task) are processed meanwhile.
    // Returns false when one is already running (one at a time).
    bool runAndWait(const QString& title, Work work);
    // Asks the running work to stop; it returns soon after with its cancelled result.
    void cancel();
    bool cancelRequested() const { return m_cancel.stopRequested(); }

signals:
    void started(const QString& title);
    void progress(qint64 done, qint64 total, const QString& message);
    void finished();

private:
    bool m_running = false;
    ts::CancelToken m_cancel;
};

} // namespace ts::ui
