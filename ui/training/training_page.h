// TrainingPage: the "Training" sidebar page: base model, presets and every hyperparameter, the memory estimate and
// a masked training sample before starting; start / cancel / resume through the JobController; live progress and
// charts of the metrics that runs (this one, earlier ones, or a CLI run on the same project) write to the project.
#pragma once

#include <memory>
#include <mutex>
#include <optional>

#include <QTimer>
#include <QWidget>

#include "train/train_job.h"

class QAction;
class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;
class QTabWidget;
class QTreeView;

namespace ts {
class Project;
struct Run;
} // namespace ts

namespace ts::ui {

class JobController;
class MemoryPanel;
class MetricsFeed;
class MetricsPlot;
class PlotControls;
class ModelPicker;
class RunTimeLabel;
class RunsModel;
class SamplePreview;
class TrainProgress;
class TrainSettingsForm;

class TrainingPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrainingPage)

public:
    static constexpr int kUiRefreshMs = 250; // progress line while a run is going
    static constexpr const char* kModelDirMetaKey = "training.model_dir";

    enum class MessageKind { Info, Success, Error };
    enum Tab { ChartsTab, MemoryTab, SampleTab };

    TrainingPage(JobController& jobs, QWidget* parent = nullptr);
    ~TrainingPage() override;

    // The project must outlive the page's use of it: MainWindow stops the job and calls setProject(nullptr) first.
    void setProject(ts::Project* project);
    // Window-wide shortcuts (Ctrl+Return, Esc) of this page only fire while it is the current page, and the run list
    // and charts are only polled then.
    void setPageActive(bool active);

    ModelPicker* modelPicker() const { return m_model; }
    TrainSettingsForm* settingsForm() const { return m_settings; }
    MemoryPanel* memoryPanel() const { return m_memory; }
    RunTimeLabel* runTimeLabel() const { return m_runTime; }
    SamplePreview* samplePreview() const { return m_preview; }
    RunsModel* runsModel() const { return m_runs; }
    QTreeView* runList() const { return m_runList; }
    MetricsFeed* metricsFeed() const { return m_feed; }
    TrainProgress* progress() const { return m_progress; }
    QTabWidget* tabs() const { return m_tabs; }
    MetricsPlot* lossPlot() const { return m_lossPlot; }
    PlotControls* plotControls() const { return m_plotControls; }
    MetricsPlot* learningRatePlot() const { return m_lrPlot; }
    MetricsPlot* gradNormPlot() const { return m_gradNormPlot; }
    MetricsPlot* throughputPlot() const { return m_throughputPlot; }
    QAction* startAction() const { return m_startAction; }
    QAction* cancelAction() const { return m_cancelAction; }
    QAction* resumeAction() const { return m_resumeAction; }

    bool isTraining() const { return m_job != nullptr; }
    qint64 activeRunId() const { return m_activeRunId; } // the run this page started or resumed last, 0 before
    QString messageText() const;
    MessageKind messageKind() const { return m_messageKind; }

public slots:
    // Both return false, with the reason shown on the page, when nothing was started.
    bool startTraining();
    bool resumeSelectedRun();
    void cancelTraining();
    // Fills the form (and the model folder) with the selected run's stored settings.
    bool useSettingsOfSelectedRun();
    // "Copy as command": the tunesmith-cli line of the form's run (before starting), of a listed run (its stored
    // settings), or the resume line of a stopped one, put on the clipboard and returned; "" with the reason shown
    // when there is none.
    QString copyFormCommand();
    QString copyRunCommand(qint64 runId, bool resume = false);

public:
    // The name a run started now gets: the typed one (suffixed when the project has it) or "run N · preset", unique
    // within the project.
    QString nextRunName() const;

signals:
    void statusMessage(const QString& message);
    // This page's job ended (ok: finished all steps; otherwise failed or cancelled).
    void trainingFinished(bool ok, bool cancelled, qint64 runId);

private:
    struct StepShared
    {
        std::mutex mutex;
        std::optional<ts::TrainStepLog> latest;
        bool fresh = false;
    };

    void buildLayout();
    void buildActions();
    void updateActions();
    void onModelChanged();
    void onSettingsChanged();
    void onMemoryChanged();
    void onRunsListed(const std::vector<ts::Run>& runs);
    void onRunChecked(qint64 runId, bool checked);
    void onJobProgress(quint64 jobId, qint64 done, qint64 total, const QString& message);
    void onJobFinished(quint64 jobId, bool ok, const QString& error, bool cancelled);
    void onJobsChanged(); // says when this page's run waits for the device another job holds
    void onUiTick();
    bool launch(ts::TrainJobParams params, int64_t totalSteps, const QString& what);
    const ts::Run* selectedRun() const;
    void showMessage(const QString& text, MessageKind kind);
    void showRunMenu(const QPoint& position);
    QStringList takenRunNames() const; // the listed runs' names and those handed out since the project opened
    void clearMessage();

    JobController& m_jobs;
    ts::Project* m_project = nullptr;
    bool m_active = true;
    bool m_firstListing = true;
    std::shared_ptr<ts::TrainJob> m_job;
    quint64 m_jobId = 0; // m_job in the JobController
    std::shared_ptr<StepShared> m_steps;
    qint64 m_activeRunId = 0;
    bool m_cancelRequested = false;
    MessageKind m_messageKind = MessageKind::Info;
    QTimer m_uiTimer;

    ModelPicker* m_model = nullptr;
    QLabel* m_message = nullptr;
    QSplitter* m_splitter = nullptr;
    TrainSettingsForm* m_settings = nullptr;
    QTabWidget* m_tabs = nullptr;
    PlotControls* m_plotControls = nullptr;
    MetricsPlot* m_lossPlot = nullptr;
    MetricsPlot* m_lrPlot = nullptr;
    MetricsPlot* m_gradNormPlot = nullptr;
    MetricsPlot* m_throughputPlot = nullptr;
    RunsModel* m_runs = nullptr;
    QTreeView* m_runList = nullptr;
    QLabel* m_pollError = nullptr;
    MemoryPanel* m_memory = nullptr;
    SamplePreview* m_preview = nullptr;
    MetricsFeed* m_feed = nullptr;
    TrainProgress* m_progress = nullptr;
    QLabel* m_memorySummary = nullptr;
    RunTimeLabel* m_runTime = nullptr;
    QLineEdit* m_runName = nullptr;
    QPushButton* m_startButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QPushButton* m_resumeButton = nullptr;
    QPushButton* m_copySettingsButton = nullptr;
    QPushButton* m_copyCommandButton = nullptr;
    QStringList m_givenRunNames; // names handed out since the project opened (the run list may not show them yet)
    QAction* m_startAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_resumeAction = nullptr;
};

} // namespace ts::ui
