// SyntheticPage: the "Synthetic data" sidebar page. The settings of an Evol-Instruct run (EvolveSettingsForm) with
// an estimate of its calls, tokens and cost; Start, Cancel and Resume of the run as a background job (EvolveJob
// through the JobController) with its progress, ETA and spend; the project's evolve runs; the selected run's funnel
// (FunnelChart) and its rows in the review panel (SyntheticReviewPanel), both fed live by EvolveFeed — whether this
// page or `tunesmith-cli evolve` runs it.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <QTimer>
#include <QWidget>

#include "promptlab/ab_test_job.h"
#include "store/run_repository.h"
#include "synth/evolve_job.h"

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QUndoStack;

namespace ts {
class Project;
}

namespace ts::ui {

class EvolveFeed;
class EvolveSettingsForm;
class FunnelChart;
class JobController;
class SyntheticReviewPanel;
struct EvolveUpdate;

class SyntheticPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyntheticPage)

public:
    static constexpr int kEstimateDelayMs = 150; // settings edits within this are one estimate
    static constexpr int kUiRefreshMs = 200;

    SyntheticPage(JobController& jobs, QUndoStack& undoStack, QWidget* parent = nullptr);
    ~SyntheticPage() override;

    void setProject(ts::Project* project);
    void setPageActive(bool active);
    // Reads the endpoints, prompt variants and tags the form offers again (off the GUI thread).
    void reloadChoices();

    EvolveSettingsForm* form() const { return m_form; }
    EvolveFeed* feed() const { return m_feed; }
    SyntheticReviewPanel* reviewPanel() const { return m_review; }
    FunnelChart* funnelChart() const { return m_funnel; }
    QAction* startAction() const { return m_startAction; }
    QAction* cancelAction() const { return m_cancelAction; }
    bool isRunning() const { return m_job != nullptr || m_starting; }
    bool estimatePending() const { return m_estimatePending; }
    qint64 shownRunId() const { return m_shownRunId; }
    QString messageText() const;

public slots:
    bool startRun();
    bool resumeSelectedRun();
    void cancelRun();

signals:
    void statusMessage(const QString& message);
    void examplesChanged(); // promoted rows (or their undo) changed the golden examples
    void runFinished(bool ok, bool cancelled, qint64 runId);

private:
    struct Launch;
    void buildActions();
    void updateActions();
    void showMessage(const QString& text, bool error);
    void scheduleEstimate();
    void computeEstimate();
    void showRun(qint64 runId);
    void setRuns(const std::vector<ts::Run>& runs);
    const ts::Run* selectedRun() const;
    void prepareLaunch(ts::synth::EvolveParams params);
    void readKeys(const std::shared_ptr<Launch>& launch, quint64 generation);
    bool launch(ts::synth::EvolveParams params);
    void onUpdate(const EvolveUpdate& update);
    void onJobProgress(quint64 jobId, qint64 done, qint64 total, const QString& message);
    void onJobFinished(quint64 jobId, bool ok, const QString& error, bool cancelled);
    void onUiTick();
    void editTemplates();

    JobController& m_jobs;
    ts::Project* m_project = nullptr;
    bool m_active = false;
    bool m_starting = false;
    bool m_cancelRequested = false;
    bool m_estimatePending = false;
    quint64 m_generation = 0; // bumped on every project change: late results of the old one are dropped
    quint64 m_estimateGeneration = 0;
    std::shared_ptr<ts::synth::EvolveJob> m_job;
    quint64 m_jobId = 0;
    qint64 m_shownRunId = 0;
    qint64 m_wantedRunId = 0; // select this run once listed (the one just started or resumed)
    std::vector<ts::Run> m_runList;
    QTimer m_uiTimer;
    QTimer m_estimateTimer;

    QLabel* m_message = nullptr;
    EvolveSettingsForm* m_form = nullptr;
    QLabel* m_estimate = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_resume = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressLabel = nullptr;
    QTreeWidget* m_runs = nullptr;
    FunnelChart* m_funnel = nullptr;
    QLabel* m_funnelCounts = nullptr;
    SyntheticReviewPanel* m_review = nullptr;
    EvolveFeed* m_feed = nullptr;
    QAction* m_startAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_resumeAction = nullptr;
};

} // namespace ts::ui
