// TrainProgress: the running job's progress bar and one line of live numbers: step, loss, tokens per second,
// elapsed time and the estimated time left.
#pragma once

#include <optional>

#include <QWidget>

#include "train/train_job.h"

class QLabel;
class QProgressBar;

namespace ts::ui {

class TrainProgress final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrainProgress)

public:
    explicit TrainProgress(QWidget* parent = nullptr);

    void start(int64_t totalSteps); // a run (or resume) begins
    void setPhase(const QString& message); // the job's own progress message (loading, tokenizing, ...)
    void setJobProgress(qint64 done, qint64 total);
    void update(const ts::TrainStepLog& log);
    void finish(const QString& text); // idle again, with a closing line
    void reset();

    // Seconds left from the steps logged so far (nullopt until two steps were seen).
    std::optional<double> secondsLeft() const { return m_secondsLeft; }
    QString text() const;

private:
    void setLine(const QString& text); // the label, and its tooltip (the label may be too narrow for it)

    QProgressBar* m_bar = nullptr;
    QLabel* m_label = nullptr;
    std::optional<ts::TrainStepLog> m_first;
    std::optional<ts::TrainStepLog> m_last;
    std::optional<double> m_secondsLeft;
    int64_t m_totalSteps = 0;
};

} // namespace ts::ui
