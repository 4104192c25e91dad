// PromptLabPage: layout (message banner; Prompts | Run tabs), shortcuts, API keys read before a run, the A/B job's
// life through the JobController, and the run list and results fed by AbFeed.
#include "promptlab/prompt_lab_page.h"

#include <QAction>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include "bridge/job_controller.h"
#include "bridge/path_conversion.h"
#include "bridge/run_actions.h"
#include "dialogs/dialogs.h"
#include "llm/endpoint_repository.h"
#include "promptlab/ab_feed.h"
#include "promptlab/api_key_store.h"
#include "promptlab/endpoints_dialog.h"
#include "promptlab/gui_providers.h"
#include "promptlab/prompt_editor.h"
#include "promptlab/prompt_repository.h"
#include "promptlab/results_model.h"
#include "promptlab/results_view.h"
#include "promptlab/run_panel.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "widgets/message_banner.h"

namespace ts::ui {

PromptLabPage::PromptLabPage(JobController& jobs, QWidget* parent)
    : QWidget(parent)
    , m_jobs(jobs)
{
    setObjectName(QStringLiteral("promptLabPage"));
    m_feed = new AbFeed(this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("promptLabMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setMargin(6);
    m_message->setVisible(false);
    layout->addWidget(m_message);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("promptLabTabs"));
    m_tabs->setDocumentMode(true);
    m_editor = new PromptEditor(m_tabs);
    m_tabs->addTab(m_editor, tr("&Prompts"));
    auto* runSplitter = new QSplitter(Qt::Horizontal, m_tabs);
    runSplitter->setObjectName(QStringLiteral("runSplitter"));
    runSplitter->setChildrenCollapsible(false);
    m_runPanel = new RunPanel(runSplitter);
    m_results = new ResultsView(runSplitter);
    // The run form scrolls when the window is short (a 1366×768 laptop) instead of holding the window open.
    auto* runScroll = new QScrollArea(runSplitter);
    runScroll->setObjectName(QStringLiteral("runPanelScroll"));
    runScroll->setWidget(m_runPanel);
    runScroll->setWidgetResizable(true);
    runScroll->setFrameShape(QFrame::NoFrame);
    // At its natural width unless the window is narrow; then it scrolls sideways too.
    runScroll->setMinimumWidth(240);
    runSplitter->addWidget(runScroll);
    runSplitter->addWidget(m_results);
    runSplitter->setStretchFactor(0, 0);
    runSplitter->setStretchFactor(1, 1);
    m_tabs->addTab(runSplitter, tr("&Run && results"));
    layout->addWidget(m_tabs, 1);
    buildActions();

    m_uiTimer.setInterval(kUiRefreshMs);
    connect(&m_uiTimer, &QTimer::timeout, this, &PromptLabPage::onUiTick);
    connect(m_editor, &PromptEditor::statusMessage, this, &PromptLabPage::statusMessage);
    connect(m_runPanel, &RunPanel::commandCopied, this, &PromptLabPage::statusMessage);
    connect(m_editor, &PromptEditor::promptsChanged, m_runPanel, &RunPanel::reloadPrompts);
    connect(m_editor, &PromptEditor::endpointsRequested, this, &PromptLabPage::openEndpointsDialog);
    connect(m_editor, &PromptEditor::modifiedChanged, this, [this](bool modified) {
        m_tabs->setTabText(m_tabs->indexOf(m_editor), modified ? tr("&Prompts \u2022") : tr("&Prompts"));
        m_tabs->setTabToolTip(m_tabs->indexOf(m_editor),
                              modified ? tr("The prompt variant shown has unsaved changes") : QString());
    });
    connect(m_runPanel, &RunPanel::startRequested, this, &PromptLabPage::startRun);
    connect(m_runPanel, &RunPanel::cancelRequested, this, &PromptLabPage::cancelRun);
    connect(m_runPanel, &RunPanel::resumeRequested, this, &PromptLabPage::resumeSelectedRun);
    connect(m_runPanel, &RunPanel::runSelected, this, [this](qint64 runId) {
        if (runId != m_feed->watched()) {
            m_results->clearResults();
            m_runPanel->setSpend({});
            m_feed->setWatched(runId);
        }
        updateActions();
    });
    connect(m_feed, &AbFeed::runsListed, this, [this](const std::vector<ts::Run>& runs) {
        m_runPanel->setRuns(runs);
        const qint64 wanted = m_activeRunId ? m_activeRunId : (m_firstListing && !runs.empty() ? runs.front().id : 0);
        m_firstListing = false;
        if (wanted && m_runPanel->selectedRunId() != wanted)
            m_runPanel->selectRun(wanted);
        updateActions();
    });
    connect(m_feed, &AbFeed::updated, this, &PromptLabPage::onUpdate);
    connect(m_feed, &AbFeed::pollError, this, [this](const QString& message) {
        if (!message.isEmpty())
            emit statusMessage(tr("Cannot read the runs: %1").arg(message));
    });
    connect(&m_jobs, &JobController::progress, this, &PromptLabPage::onJobProgress);
    connect(&m_jobs, &JobController::finished, this, &PromptLabPage::onJobFinished);
    connect(&m_jobs, &JobController::jobsChanged, this, [this] {
        if (m_job && m_jobQueued && !m_jobs.isQueued(m_jobId)) {
            m_jobQueued = false; // its turn came
            showMessage(tr("Running… outputs and scores appear as they arrive."), false);
        }
        if (m_job && m_jobs.isQueued(m_jobId))
            if (auto view = m_jobs.job(m_jobId)) {
                m_jobQueued = true;
                const QString waiting = tr("Waiting for %1, which another job is using…").arg(view->waitingFor);
                m_runPanel->setProgress(0, 0, waiting);
                showMessage(
                    tr("Queued: the A/B test starts by itself when %1 is free (see the jobs in the status bar).")
                        .arg(view->waitingFor),
                    false);
            }
    });
    setProject(nullptr);
}

PromptLabPage::~PromptLabPage()
{
    // The job's onCell posts to the feed: stop it while the feed exists.
    if (m_job)
        m_jobs.cancelAndWait(m_jobId);
}

void PromptLabPage::buildActions()
{
    const RunActions actions = makeRunActions(
        this,
        {tr("A/B Test"), QStringLiteral("AbTest"), tr("Run the checked prompt variants on the split (Ctrl+Return)"),
         tr("Stop the run; answers so far are kept (Esc)"),
         tr("Cancel the A/B test? The answers so far are kept, and Resume asks the rest.")},
        [this] { startRun(); }, [this] { return m_job && !m_cancelRequested; }, [this] { cancelRun(); },
        [this] { resumeSelectedRun(); });
    m_startAction = actions.start;
    m_cancelAction = actions.cancel;
    m_resumeAction = actions.resume;
}

void PromptLabPage::setProject(ts::Project* project)
{
    // MainWindow stops a running job before it changes projects.
    ++m_launchGeneration;
    m_job.reset();
    m_jobId = 0;
    m_starting = false;
    m_cancelRequested = false;
    m_uiTimer.stop();
    m_activeRunId = 0;
    m_firstListing = true;
    m_project = project;
    m_message->setVisible(false);
    m_results->clearResults();
    m_editor->setProject(project);
    m_runPanel->setProject(project);
    m_runPanel->setRunning(false);
    m_feed->setProject(project);
    setEnabled(project != nullptr);
    updateActions();
}

bool PromptLabPage::isLoading() const
{
    return m_editor->isLoading();
}

void PromptLabPage::setPageActive(bool active)
{
    const bool wasActive = m_active;
    m_active = active;
    m_feed->setPaused(!active);
    m_editor->setShortcutsActive(active);
    if (active && !wasActive && m_project)
        m_editor->reloadExamples(); // the Golden examples page may have changed them
    updateActions();
}

QString PromptLabPage::messageText() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void PromptLabPage::showMessage(const QString& text, bool error)
{
    showBanner(m_message, text, error ? BannerKind::Error : BannerKind::Info);
}

void PromptLabPage::updateActions()
{
    const bool open = m_project != nullptr;
    const bool busy = isRunning(); // other jobs (training, imports) run alongside
    const bool mine = isRunning();
    const ts::Run* run = m_runPanel->selectedRun();
    const bool canStart = open && !busy;
    const bool canCancel = mine && !m_cancelRequested;
    const bool canResume = open && !busy && run && run->status != ts::RunStatus::Succeeded;
    m_runPanel->startButton()->setEnabled(canStart);
    m_runPanel->cancelButton()->setEnabled(canCancel);
    m_runPanel->resumeButton()->setEnabled(canResume);
    m_startAction->setEnabled(m_active && canStart);
    m_cancelAction->setEnabled(m_active && canCancel);
    m_resumeAction->setEnabled(m_active && canResume);
}

std::vector<std::string> PromptLabPage::endpointsOf(const std::vector<int64_t>& versionIds,
                                                    const std::vector<std::string>& refs,
                                                    const std::string& judge) const
{
    std::vector<std::string> out;
    auto add = [&](const std::string& name) {
        if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end())
            out.push_back(name);
    };
    auto reader = m_project->viewReader();
    if (!reader)
        return out;
    ts::PromptRepository prompts(**reader);
    for (int64_t id : versionIds)
        if (auto v = prompts.byId(id); v && *v)
            add((*v)->variant.endpoint);
    for (const std::string& ref : refs)
        if (auto v = prompts.resolve(ref))
            add(v->variant.endpoint);
    add(judge);
    return out;
}

bool PromptLabPage::startRun()
{
    if (!m_project)
        return false;
    if (isRunning()) {
        showMessage(tr("\"%1\" is still running. Wait for it to end or cancel it first.").arg(m_jobs.title(m_jobId)),
                    true);
        return false;
    }
    if (m_editor->isModified()) {
        const auto answer = Dialogs::question(
            this, tr("Unsaved Prompt"),
            tr("\"%1\" has unsaved changes. Save them as a new version before the run?").arg(m_editor->currentName()),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
        if (answer == QMessageBox::Yes && !m_editor->save())
            return false;
    }
    QString error;
    auto config = m_runPanel->config(&error);
    if (!config) {
        showMessage(error, true);
        return false;
    }
    ts::AbTestParams params;
    params.project = m_project;
    params.config = *config;
    params.runName = m_runPanel->takeRunName(*config).toStdString();
    launchWithKeys(std::move(params), endpointsOf({}, config->variants, config->judgeEndpoint));
    return true;
}

bool PromptLabPage::resumeSelectedRun()
{
    const ts::Run* selected = m_runPanel->selectedRun();
    if (!m_project || !selected) {
        showMessage(tr("Select the run to resume in the run list."), true);
        return false;
    }
    ts::Run run = *selected;
    {
        // The list may lag a poll behind: the run's status as stored now decides.
        auto reader = m_project->viewReader();
        auto fresh
            = reader ? ts::RunRepository(**reader).get(run.id) : ts::Expected<std::optional<ts::Run>>(reader.error());
        if (fresh && *fresh)
            run = **fresh;
    }
    if (isRunning()) {
        showMessage(tr("\"%1\" is still running. Wait for it to end or cancel it first.").arg(m_jobs.title(m_jobId)),
                    true);
        return false;
    }
    if (run.status == ts::RunStatus::Succeeded) {
        showMessage(tr("This run answered every cell; there is nothing to resume."), true);
        return false;
    }
    if (run.status == ts::RunStatus::Running && run.lease) { // its process is alive (an interrupted one is not)
        showMessage(tr("This run is being run by process %1 on %2. Cancel it there first.")
                        .arg(QString::number(run.lease->pid), fromStd(run.lease->host)),
                    true);
        return false;
    }
    if (run.status == ts::RunStatus::Pending) {
        const auto answer = Dialogs::question(
            this, tr("Resume Run"),
            tr("This run is marked as running. Resume it only if nothing runs it any more (for example, Tunesmith was "
               "closed during the run); a command-line run that is still going would be disturbed.\n\nResume it?"),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return false;
    }
    auto stored = ts::promptlab::abTestConfigFromJson(nlohmann::json::parse(run.config, nullptr, false));
    if (!stored) {
        showMessage(tr("The run's settings cannot be read: %1").arg(fromStd(stored.error().message)), true);
        return false;
    }
    ts::AbTestParams params;
    params.project = m_project;
    params.config = *stored;
    params.runName = run.name;
    params.resumeRunId = run.id;
    m_activeRunId = run.id;
    launchWithKeys(std::move(params), endpointsOf(stored->variantVersionIds, {}, stored->judgeEndpoint));
    return true;
}

// A run waiting for the API keys of its HTTP endpoints, read one after the other.
struct PromptLabPage::PendingLaunch
{
    ts::AbTestParams params;
    std::vector<ts::Endpoint> endpoints;
    size_t next = 0;
    std::map<std::string, std::string> keys;
    QStringList notes;
};

void PromptLabPage::launchWithKeys(ts::AbTestParams params, std::vector<std::string> endpointNames)
{
    if (m_testProviders) {
        params.providers = m_testProviders;
        launch(std::move(params));
        return;
    }
    auto pending = std::make_shared<PendingLaunch>();
    pending->params = std::move(params);
    std::vector<ts::Endpoint> used;
    {
        auto reader = m_project->viewReader();
        if (!reader) {
            showMessage(fromStd(reader.error().message), true);
            return;
        }
        ts::EndpointRepository repo(**reader);
        for (const std::string& name : endpointNames)
            if (auto e = repo.get(name); e && *e)
                used.push_back(**e);
    }
    // A run on the local engine queues behind a training run on the CPU (and vice versa); HTTP runs start at once.
    pending->params.claims = ts::abTestClaims(used);
    for (const ts::Endpoint& endpoint : used)
        if (endpoint.provider.kind != ts::llm::ProviderKind::Local)
            pending->endpoints.push_back(endpoint);
    m_starting = true;
    m_runPanel->setRunning(true);
    updateActions();
    readNextKey(pending, m_launchGeneration);
}

void PromptLabPage::readNextKey(const std::shared_ptr<PendingLaunch>& pending, quint64 generation)
{
    if (generation != m_launchGeneration)
        return; // the project changed meanwhile
    if (pending->next < pending->endpoints.size()) {
        const ts::Endpoint& endpoint = pending->endpoints[pending->next++];
        ApiKeyStore::read(this, endpoint, [this, pending, generation, name = endpoint.name](const KeyLookup& lookup) {
            if (!lookup.key.isEmpty())
                pending->keys[name] = lookup.key.toStdString();
            if (!lookup.keychainAvailable || lookup.from != KeyLookup::From::Keychain)
                pending->notes.append(tr("%1: %2.").arg(fromStd(name), lookup.describe()));
            readNextKey(pending, generation);
        });
        return;
    }
    m_starting = false;
    pending->params.providers = makeGuiProviderFactory(pending->keys);
    if (!pending->notes.isEmpty())
        emit statusMessage(pending->notes.join(QLatin1Char(' ')));
    if (!launch(std::move(pending->params)))
        m_runPanel->setRunning(false);
}

bool PromptLabPage::launch(ts::AbTestParams params)
{
    AbFeed* feed = m_feed;
    params.onCell = [feed](const ts::Cell&) {
        // Worker thread: ask the feed for a poll now rather than at its next tick. The page (and with it the feed)
        // waits for the job in its destructor.
        QMetaObject::invokeMethod(feed, &AbFeed::pollNow, Qt::QueuedConnection);
    };
    const bool resume = params.resumeRunId.has_value();
    auto job = std::make_shared<ts::AbTestJob>(std::move(params));
    const quint64 jobId = m_jobs.start(job);
    if (!jobId) {
        showMessage(tr("The A/B test could not be started."), true);
        m_runPanel->setRunning(false);
        updateActions();
        return false;
    }
    m_job = job;
    m_jobId = jobId;
    m_jobQueued = false;
    m_cancelRequested = false;
    if (!resume)
        m_activeRunId = 0;
    m_runPanel->setRunning(true);
    m_tabs->setCurrentIndex(RunTab);
    showMessage(resume ? tr("Resuming the run: answered cells are kept, the rest are asked now…")
                       : tr("Running… outputs and scores appear as they arrive."),
                false);
    m_uiTimer.start();
    updateActions();
    emit statusMessage(tr("A/B test started."));
    return true;
}

void PromptLabPage::cancelRun()
{
    if (!m_job || m_cancelRequested)
        return;
    m_cancelRequested = true;
    m_jobs.cancel(m_jobId);
    showMessage(tr("Cancelling: requests in flight are stopped; the answers so far are kept for Resume."), false);
    updateActions();
}

void PromptLabPage::onUiTick()
{
    if (!m_job)
        return;
    const qint64 runId = m_job->runId();
    if (runId != 0 && runId != m_feed->watched()) {
        m_activeRunId = runId;
        m_results->clearResults();
        m_feed->setWatched(runId);
        m_runPanel->selectRun(runId);
        m_feed->pollNow();
    }
}

void PromptLabPage::onUpdate(const AbUpdate& update)
{
    m_results->applyUpdate(update);
    const ts::promptlab::CellTotals& totals = update.totals;
    const QLocale locale;
    QString text = tr("%n call(s) stored", nullptr, static_cast<int>(totals.cells));
    if (totals.failed)
        text += tr(", %n failed", nullptr, static_cast<int>(totals.failed));
    text += totals.priced ? tr("; spent $%1").arg(locale.toString(totals.spentUsd, 'f', 4))
                          : tr("; cost unknown (no price)");
    m_runPanel->setSpend(text);
}

void PromptLabPage::onJobProgress(quint64 jobId, qint64 done, qint64 total, const QString& message)
{
    if (!m_job || jobId != m_jobId)
        return;
    m_runPanel->setProgress(done, total, message);
}

void PromptLabPage::onJobFinished(quint64 jobId, bool ok, const QString& error, bool cancelled)
{
    if (!m_job || jobId != m_jobId)
        return; // another job
    onUiTick();
    auto job = std::move(m_job);
    m_jobId = 0;
    m_uiTimer.stop();
    const ts::AbTestResult& result = job->result();
    const qint64 runId = job->runId() ? job->runId() : result.runId;
    if (runId)
        m_activeRunId = runId;
    const QLocale locale;
    const bool priced = result.spentUsd > 0 || m_results->model()->anyCostKnown();
    const QString spent = priced ? tr("%1 spent").arg(QStringLiteral("$") + locale.toString(result.spentUsd, 'f', 4))
                                 : tr("cost unknown (no price)");
    QString text;
    if (ok) {
        text = tr("Finished: %1 calls answered (%2 already done before), %3.")
                   .arg(result.done)
                   .arg(result.skipped)
                   .arg(spent);
        showMessage(text, false);
    } else if (cancelled || result.cancelled) {
        text = tr("Cancelled after %1 calls. Select the run and press Resume to continue.").arg(result.done);
        showMessage(text, false);
    } else {
        text = tr("The run stopped: %1").arg(error);
        showMessage(text, true);
    }
    m_runPanel->setRunning(false);
    m_runPanel->setProgress(result.skipped + result.done + result.failed, std::max<int64_t>(result.cells, 1), text);
    m_cancelRequested = false;
    m_feed->pollNow();
    updateActions();
    emit statusMessage(text);
    emit runFinished(ok, cancelled || result.cancelled, runId);
}

bool PromptLabPage::openEndpointsDialog()
{
    if (!m_project)
        return false;
    EndpointsDialog dialog(*m_project, this);
    dialog.exec();
    if (dialog.changed()) {
        m_editor->reloadEndpoints();
        m_runPanel->reloadEndpoints();
    }
    return dialog.changed();
}

} // namespace ts::ui
