// PromptLabPage: the "Prompt lab" sidebar page. The Prompts tab edits the project's prompt variants (PromptEditor);
// the Run tab starts, cancels and resumes A/B tests of them through the JobController (AbTestJob: every variant
// on every example of a split, scored) and shows the selected run's results as they are stored — by this page or
// by `tunesmith-cli ab` on the same project (AbFeed polls the project file).
#pragma once

#include <map>
#include <memory>
#include <string>

#include <QTimer>
#include <QWidget>

#include "promptlab/ab_test_job.h"

class QAction;
class QLabel;
class QTabWidget;

namespace ts {
class Project;
}

namespace ts::ui {

class AbFeed;
class JobController;
class PromptEditor;
class ResultsView;
class RunPanel;
struct AbUpdate;

class PromptLabPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PromptLabPage)

public:
    enum Tab { PromptsTab, RunTab };
    static constexpr int kUiRefreshMs = 200;

    explicit PromptLabPage(JobController& jobs, QWidget* parent = nullptr);
    ~PromptLabPage() override;

    void setProject(ts::Project* project);
    void setPageActive(bool active);
    // Tests: the providers every run uses (instead of the keychain + HTTP / local engine factory).
    void setProviderFactoryForTesting(ts::ProviderFactory factory) { m_testProviders = std::move(factory); }

    PromptEditor* editor() const { return m_editor; }
    RunPanel* runPanel() const { return m_runPanel; }
    ResultsView* results() const { return m_results; }
    AbFeed* feed() const { return m_feed; }
    QTabWidget* tabs() const { return m_tabs; }
    QAction* startAction() const { return m_startAction; }
    QAction* cancelAction() const { return m_cancelAction; }
    QAction* resumeAction() const { return m_resumeAction; }
    bool isRunning() const { return m_job != nullptr || m_starting; }
    qint64 activeRunId() const { return m_activeRunId; }
    QString messageText() const;

public slots:
    bool startRun();
    bool resumeSelectedRun();
    void cancelRun();
    bool openEndpointsDialog();

signals:
    void statusMessage(const QString& message);
    void runFinished(bool ok, bool cancelled, qint64 runId);

private:
    void buildActions();
    void updateActions();
    void showMessage(const QString& text, bool error);
    void onUpdate(const AbUpdate& update);
    void onJobProgress(quint64 jobId, qint64 done, qint64 total, const QString& message);
    void onJobFinished(quint64 jobId, bool ok, const QString& error, bool cancelled);
    void onUiTick();
    // Reads the keys of `endpoints` (keychain, else environment), then launches.
    struct PendingLaunch;
    void launchWithKeys(ts::AbTestParams params, std::vector<std::string> endpoints);
    void readNextKey(const std::shared_ptr<PendingLaunch>& pending, quint64 generation);
    bool launch(ts::AbTestParams params);
    std::vector<std::string> endpointsOf(const std::vector<int64_t>& versionIds, const std::vector<std::string>& refs,
                                         const std::string& judge) const;

    JobController& m_jobs;
    ts::Project* m_project = nullptr;
    bool m_active = true;
    bool m_starting = false; // keys are being read
    bool m_cancelRequested = false;
    bool m_firstListing = true;
    quint64 m_launchGeneration = 0;
    std::shared_ptr<ts::AbTestJob> m_job;
    quint64 m_jobId = 0; // m_job in the JobController
    bool m_jobQueued = false; // m_job waits for a resource another job holds
    qint64 m_activeRunId = 0;
    ts::ProviderFactory m_testProviders;
    QTimer m_uiTimer;

    QLabel* m_message = nullptr;
    QTabWidget* m_tabs = nullptr;
    PromptEditor* m_editor = nullptr;
    RunPanel* m_runPanel = nullptr;
    ResultsView* m_results = nullptr;
    AbFeed* m_feed = nullptr;
    QAction* m_startAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_resumeAction = nullptr;
};

} // namespace ts::ui
