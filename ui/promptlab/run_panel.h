// RunPanel: how an A/B test runs — which prompt variants (checked, at least one), the split, repeats, seed,
// concurrency, an optional spend cap and judge endpoint — plus the list of the project's A/B test runs (select
// one to see its results; resume a stopped one) and the progress of the run going on.
#pragma once

#include <optional>
#include <vector>

#include <QWidget>

#include "promptlab/ab_test_config.h"
#include "store/run_repository.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace ts {
class Project;
}

namespace ts::ui {

class RunPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunPanel)

public:
    explicit RunPanel(QWidget* parent = nullptr);

    void setProject(ts::Project* project);
    void reloadPrompts(); // keeps the checks of names that remain
    void reloadEndpoints(); // the judge combo
    void setRuns(const std::vector<ts::Run>& runs);
    void selectRun(qint64 runId);

    // The form as a config; nullopt with *error when it cannot run (no variant checked, …).
    std::optional<ts::promptlab::AbTestConfig> config(QString* error = nullptr) const;
    void setVariantChecked(const QString& name, bool checked);
    QString runName() const; // as typed
    // The name of a run started now: the typed one (suffixed when the project has it) or an automatic one
    // ("ab 2 · terse vs fields"), unique within the project; remembered until the project changes.
    QString takeRunName(const ts::promptlab::AbTestConfig& config);
    // "Copy as command": the tunesmith-cli line of the form's run, or of a listed run (its stored settings), or the
    // resume line of a stopped one; put on the clipboard, and returned ("" with the reason in `error` when none).
    QString copyFormCommand(QString* error = nullptr);
    QString copyRunCommand(qint64 runId, bool resume = false, QString* error = nullptr);
    const ts::Run* selectedRun() const;
    qint64 selectedRunId() const;
    void setRunning(bool running); // disables the form while a run goes on
    void setProgress(qint64 done, qint64 total, const QString& message);
    void setSpend(const QString& text);

    QListWidget* variantList() const { return m_variants; }
    QComboBox* splitCombo() const { return m_split; }
    QSpinBox* repeatsSpin() const { return m_repeats; }
    QSpinBox* seedSpin() const { return m_seed; }
    QSpinBox* concurrencySpin() const { return m_concurrency; }
    QSpinBox* limitSpin() const { return m_limit; }
    QCheckBox* spendCapCheck() const { return m_capCheck; }
    QDoubleSpinBox* spendCapSpin() const { return m_cap; }
    QComboBox* judgeCombo() const { return m_judge; }
    QCheckBox* pairwiseCheck() const { return m_pairwise; }
    QLineEdit* runNameEdit() const { return m_name; }
    QTreeWidget* runList() const { return m_runs; }
    QProgressBar* progressBar() const { return m_progress; }
    QLabel* progressLabel() const { return m_progressLabel; }
    QLabel* spendLabel() const { return m_spend; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* cancelButton() const { return m_cancel; }
    QPushButton* resumeButton() const { return m_resume; }
    QPushButton* copyCommandButton() const { return m_copyCommand; }

signals:
    void startRequested();
    void cancelRequested();
    void resumeRequested();
    void runSelected(qint64 runId); // 0: none
    void configChanged();
    void commandCopied(const QString& message); // for the status bar

private:
    void resetForm(); // the fresh defaults of a new project
    QStringList takenRunNames() const;
    QString nameFor(const ts::promptlab::AbTestConfig& config) const; // what takeRunName() would give now
    void showRunMenu(const QPoint& position);

    ts::Project* m_project = nullptr;
    QStringList m_givenNames; // names handed out since the project opened (the run list may not show them yet)
    std::vector<ts::Run> m_runList;
    QListWidget* m_variants = nullptr;
    QComboBox* m_split = nullptr;
    QSpinBox* m_repeats = nullptr;
    QSpinBox* m_seed = nullptr;
    QSpinBox* m_concurrency = nullptr;
    QSpinBox* m_limit = nullptr;
    QCheckBox* m_capCheck = nullptr;
    QDoubleSpinBox* m_cap = nullptr;
    QComboBox* m_judge = nullptr;
    QCheckBox* m_pairwise = nullptr;
    QLineEdit* m_name = nullptr;
    QTreeWidget* m_runs = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressLabel = nullptr;
    QLabel* m_spend = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_resume = nullptr;
    QPushButton* m_copyCommand = nullptr;
};

} // namespace ts::ui
