// SyntheticPage: layout (message; settings column | funnel over review), the estimate on the work pool, API keys
// read before a run, the evolve job's life through the JobController, and the run list, funnel and rows fed by
// EvolveFeed.
#include "synth/synthetic_page.h"

#include <cmath>

#include <QAction>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include "bridge/background_task.h"
#include "bridge/job_controller.h"
#include "bridge/path_conversion.h"
#include "bridge/run_actions.h"
#include "bridge/run_names.h"
#include "dialogs/dialogs.h"
#include "llm/endpoint_repository.h"
#include "promptlab/api_key_store.h"
#include "promptlab/gui_providers.h"
#include "promptlab/prompt_repository.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "synth/evol_templates_dialog.h"
#include "synth/evolve_feed.h"
#include "synth/evolve_run_estimate.h"
#include "synth/evolve_settings_form.h"
#include "synth/funnel_chart.h"
#include "synth/synthetic_review_panel.h"
#include "widgets/message_banner.h"

namespace ts::ui {

namespace {

constexpr int kRunIdRole = Qt::UserRole;

QString runStatusText(ts::RunStatus status)
{
    switch (status) {
    case ts::RunStatus::Pending:
        return SyntheticPage::tr("starting");
    case ts::RunStatus::Running:
        return SyntheticPage::tr("running");
    case ts::RunStatus::Succeeded:
        return SyntheticPage::tr("finished");
    case ts::RunStatus::Failed:
        return SyntheticPage::tr("failed");
    case ts::RunStatus::Cancelled:
        return SyntheticPage::tr("cancelled (resumable)");
    case ts::RunStatus::Interrupted:
        return SyntheticPage::tr("interrupted (resumable)");
    }
    return {};
}

QString usd(double value)
{
    return QStringLiteral("$") + QLocale().toString(value, 'f', value < 1 ? 4 : 2);
}

QString durationText(double seconds)
{
    const qint64 s = static_cast<qint64>(std::ceil(seconds));
    if (s < 60)
        return SyntheticPage::tr("%1 s").arg(s);
    if (s < 3600)
        return SyntheticPage::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return SyntheticPage::tr("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60);
}

// What the estimate worker works out (synth::estimateEvolveRun), or why it could not.
struct EstimateResult
{
    QString error;
    std::optional<ts::synth::EvolveRunEstimate> run;
};

QString estimateText(const EstimateResult& r)
{
    if (!r.error.isEmpty())
        return SyntheticPage::tr("No estimate: %1.").arg(r.error);
    if (!r.run || r.run->seedRows == 0)
        return SyntheticPage::tr("No estimate: the chosen split has no golden examples with a user turn (with that "
                                 "tag). Pick another split or tag, or add examples.");
    const QLocale locale;
    const auto& e = r.run->estimate;
    const QString seeds = r.run->seedRows == 1
        ? SyntheticPage::tr("1 seed row")
        : SyntheticPage::tr("%1 seed rows").arg(locale.toString(r.run->seedRows));
    const QString cost = e.costUsd && r.run->priceKnown
        ? SyntheticPage::tr("≈%1").arg(usd(*e.costUsd))
        : SyntheticPage::tr("price unknown (set the teacher endpoint's prices)");
    return SyntheticPage::tr("Estimate from %1: ≈%2 calls for %3 candidates (teacher, checks and judge), ≈%4 input "
                             "and ≈%5 output tokens, %6. Tokens counted as characters ÷ 4.")
        .arg(seeds, locale.toString(e.calls), locale.toString(e.candidates), locale.toString(e.inputTokens),
             locale.toString(e.outputTokens), cost);
}

} // namespace

// A run waiting for its endpoints to be read and their API keys to be looked up.
struct SyntheticPage::Launch
{
    ts::synth::EvolveParams params;
    std::vector<ts::Endpoint> http; // endpoints whose key is looked up
    size_t next = 0;
    std::map<std::string, std::string> keys;
    QStringList notes;
};

SyntheticPage::SyntheticPage(JobController& jobs, QUndoStack& undoStack, QWidget* parent)
    : QWidget(parent)
    , m_jobs(jobs)
{
    setObjectName(QStringLiteral("syntheticPage"));
    m_feed = new EvolveFeed(this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("syntheticMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setMargin(6);
    m_message->setVisible(false);
    layout->addWidget(m_message);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("syntheticSplitter"));
    splitter->setChildrenCollapsible(false);

    // Left: the settings, scrolling when the window is short, under them the estimate, the buttons, the progress and
    // the runs, always in view.
    auto* column = new QWidget(splitter);
    auto* columnLayout = new QVBoxLayout(column);
    columnLayout->setContentsMargins(0, 0, 4, 0);
    m_form = new EvolveSettingsForm(column);
    auto* scroll = new QScrollArea(column);
    scroll->setObjectName(QStringLiteral("evolveSettingsScroll"));
    scroll->setWidget(m_form);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // The settings scroll up and down only: the column is as wide as the form needs.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(m_form->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width());
    columnLayout->addWidget(scroll, 1);
    m_estimate = new QLabel(column);
    m_estimate->setObjectName(QStringLiteral("evolveEstimate"));
    m_estimate->setWordWrap(true);
    m_estimate->setTextInteractionFlags(Qt::TextSelectableByMouse);
    columnLayout->addWidget(m_estimate);
    auto* buttons = new QHBoxLayout();
    m_start = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Start"), column);
    m_start->setObjectName(QStringLiteral("startEvolveButton"));
    m_start->setToolTip(tr("Evolve the seed rows with the teacher as a background job (Ctrl+Return)"));
    m_cancel = new QPushButton(tr("&Cancel"), column);
    m_cancel->setObjectName(QStringLiteral("cancelEvolveButton"));
    m_cancel->setToolTip(tr("Stop the run; stored rows stay, and Resume continues it (Esc)"));
    m_resume = new QPushButton(tr("&Resume"), column);
    m_resume->setObjectName(QStringLiteral("resumeEvolveButton"));
    m_resume->setToolTip(tr("Continue the selected stopped run: stored rows are kept, failed calls are made again; a "
                            "higher spend cap set above lets a run stopped at its cap go on"));
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_resume);
    buttons->addStretch(1);
    columnLayout->addLayout(buttons);
    m_progress = new QProgressBar(column);
    m_progress->setObjectName(QStringLiteral("evolveProgress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    columnLayout->addWidget(m_progress);
    m_progressLabel = new QLabel(column);
    m_progressLabel->setObjectName(QStringLiteral("evolveProgressLabel"));
    m_progressLabel->setWordWrap(true);
    columnLayout->addWidget(m_progressLabel);
    m_runs = new QTreeWidget(column);
    m_runs->setObjectName(QStringLiteral("evolveRuns"));
    m_runs->setHeaderLabels({tr("Run"), tr("Status"), tr("Started")});
    m_runs->setRootIsDecorated(false);
    m_runs->setUniformRowHeights(true);
    m_runs->setMinimumHeight(80);
    m_runs->setMaximumHeight(130);
    m_runs->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_runs->header()->setStretchLastSection(false);
    m_runs->setToolTip(tr("Evolve runs of this project, newest first (also those of tunesmith-cli evolve); select "
                          "one to see its funnel and rows"));
    columnLayout->addWidget(m_runs);
    splitter->addWidget(column);

    // Right: the funnel over the review panel.
    auto* right = new QSplitter(Qt::Vertical, splitter);
    right->setObjectName(QStringLiteral("syntheticRightSplitter"));
    right->setChildrenCollapsible(false);
    auto* funnelBox = new QWidget(right);
    auto* funnelLayout = new QVBoxLayout(funnelBox);
    funnelLayout->setContentsMargins(0, 0, 0, 0);
    funnelBox->setMaximumHeight(260);
    m_funnel = new FunnelChart(funnelBox);
    funnelLayout->addWidget(m_funnel, 1);
    m_funnelCounts = new QLabel(funnelBox);
    m_funnelCounts->setObjectName(QStringLiteral("funnelCounts"));
    m_funnelCounts->setWordWrap(true);
    m_funnelCounts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    funnelLayout->addWidget(m_funnelCounts);
    m_review = new SyntheticReviewPanel(undoStack, right);
    right->addWidget(funnelBox);
    right->addWidget(m_review);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 3);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);
    buildActions();

    m_estimateTimer.setSingleShot(true);
    m_estimateTimer.setInterval(kEstimateDelayMs);
    connect(&m_estimateTimer, &QTimer::timeout, this, &SyntheticPage::computeEstimate);
    m_uiTimer.setInterval(kUiRefreshMs);
    connect(&m_uiTimer, &QTimer::timeout, this, &SyntheticPage::onUiTick);
    connect(m_form, &EvolveSettingsForm::configChanged, this, &SyntheticPage::scheduleEstimate);
    connect(m_form, &EvolveSettingsForm::editTemplatesRequested, this, &SyntheticPage::editTemplates);
    connect(m_start, &QPushButton::clicked, this, &SyntheticPage::startRun);
    connect(m_cancel, &QPushButton::clicked, this, &SyntheticPage::cancelRun);
    connect(m_resume, &QPushButton::clicked, this, &SyntheticPage::resumeSelectedRun);
    connect(m_runs, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        showRun(item ? item->data(0, kRunIdRole).toLongLong() : 0);
        updateActions();
    });
    connect(m_feed, &EvolveFeed::runsListed, this, &SyntheticPage::setRuns);
    connect(m_feed, &EvolveFeed::updated, this, &SyntheticPage::onUpdate);
    connect(m_feed, &EvolveFeed::pollError, this, [this](const QString& message) {
        if (!message.isEmpty())
            emit statusMessage(tr("Cannot read the evolve runs: %1").arg(message));
    });
    connect(m_review, &SyntheticReviewPanel::rowsChanged, m_feed, &EvolveFeed::refreshFunnel);
    connect(m_review, &SyntheticReviewPanel::examplesChanged, this, &SyntheticPage::examplesChanged);
    connect(&m_jobs, &JobController::progress, this, &SyntheticPage::onJobProgress);
    connect(&m_jobs, &JobController::finished, this, &SyntheticPage::onJobFinished);
    setProject(nullptr);
}

SyntheticPage::~SyntheticPage()
{
    // The job's onRow posts to the feed: stop it while the feed exists.
    if (m_job)
        m_jobs.cancelAndWait(m_jobId);
}

void SyntheticPage::buildActions()
{
    const RunActions actions = makeRunActions(
        this,
        {tr("Evolve Run"), QStringLiteral("Evolve"),
         tr("Evolve the seed rows with the teacher as a background job (Ctrl+Return)"),
         tr("Stop the run; stored rows are kept (Esc)"),
         tr("Cancel the run? The rows stored so far are kept, and Resume makes the rest.")},
        [this] { startRun(); }, [this] { return m_job && !m_cancelRequested; }, [this] { cancelRun(); },
        [this] { resumeSelectedRun(); });
    m_startAction = actions.start;
    m_cancelAction = actions.cancel;
    m_resumeAction = actions.resume;
}

void SyntheticPage::setProject(ts::Project* project)
{
    // MainWindow stops a running job before it changes projects.
    ++m_generation;
    m_job.reset();
    m_jobId = 0;
    m_starting = false;
    m_cancelRequested = false;
    m_uiTimer.stop();
    m_shownRunId = 0;
    m_wantedRunId = 0;
    m_runList.clear();
    m_project = project;
    m_message->setVisible(false);
    {
        const QSignalBlocker block(m_runs);
        m_runs->clear();
    }
    m_funnel->clearChart();
    m_funnelCounts->clear();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progressLabel->clear();
    m_review->setProject(project);
    m_review->showRun(0, ts::synth::EvolveConfig().qualityThreshold);
    m_form->setRunning(false);
    m_form->setChoices({});
    m_form->resetToDefaults();
    m_feed->setProject(project);
    setEnabled(project != nullptr);
    reloadChoices();
    updateActions();
}

void SyntheticPage::setPageActive(bool active)
{
    const bool wasActive = m_active;
    m_active = active;
    m_feed->setPaused(!active);
    if (active && !wasActive && m_project)
        reloadChoices(); // the Prompt lab may have changed the endpoints or variants, the examples page the tags
    updateActions();
}

void SyntheticPage::reloadChoices()
{
    if (!m_project)
        return;
    auto opened = m_project->openReader();
    if (!opened) {
        showMessage(tr("The project cannot be read: %1").arg(fromStd(opened.error().message)), true);
        return;
    }
    auto reader = std::make_shared<ts::Database>(std::move(*opened));
    using Read = std::shared_ptr<const EvolveFormChoices>;
    runInBackground<Read>(
        this,
        [reader]() -> Read {
            auto choices = std::make_shared<EvolveFormChoices>();
            if (auto endpoints = ts::EndpointRepository(*reader).all())
                for (const ts::Endpoint& e : *endpoints)
                    choices->endpoints.push_back({e.name, std::string(ts::llm::providerKindName(e.provider.kind))});
            if (auto names = ts::PromptRepository(*reader).names())
                choices->prompts = *names;
            if (auto tags = ts::ExampleRepository(*reader).allTags())
                choices->tags = *tags;
            return choices;
        },
        [this, generation = m_generation](const Read& choices) {
            if (generation != m_generation)
                return;
            m_form->setChoices(*choices);
        });
}

QString SyntheticPage::messageText() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void SyntheticPage::showMessage(const QString& text, bool error)
{
    showBanner(m_message, text, error ? BannerKind::Error : BannerKind::Info);
}

void SyntheticPage::updateActions()
{
    const bool open = m_project != nullptr;
    const bool busy = isRunning();
    const ts::Run* run = selectedRun();
    const bool canStart = open && !busy;
    const bool canCancel = m_job != nullptr && !m_cancelRequested;
    const bool canResume = open && !busy && run && run->status != ts::RunStatus::Succeeded;
    m_start->setEnabled(canStart);
    m_cancel->setEnabled(canCancel);
    m_resume->setEnabled(canResume);
    m_startAction->setEnabled(m_active && canStart);
    m_cancelAction->setEnabled(m_active && canCancel);
    m_resumeAction->setEnabled(m_active && canResume);
}

void SyntheticPage::scheduleEstimate()
{
    m_estimatePending = true;
    m_estimateTimer.start();
}

void SyntheticPage::computeEstimate()
{
    if (!m_project) {
        m_estimatePending = false;
        m_estimate->clear();
        return;
    }
    QString invalid;
    auto config = m_form->config(&invalid);
    if (!config) {
        m_estimatePending = false;
        m_estimate->setText(tr("No estimate yet. %1").arg(invalid));
        return;
    }
    auto opened = m_project->openReader();
    if (!opened) {
        m_estimatePending = false;
        m_estimate->setText(tr("No estimate: %1").arg(fromStd(opened.error().message)));
        return;
    }
    auto reader = std::make_shared<ts::Database>(std::move(*opened));
    const quint64 wanted = ++m_estimateGeneration;
    runInBackground<std::shared_ptr<const EstimateResult>>(
        this,
        [reader, config = *config] {
            auto result = std::make_shared<EstimateResult>();
            if (auto estimate = ts::synth::estimateEvolveRun(*reader, config))
                result->run = *estimate;
            else
                result->error = fromStd(estimate.error().message);
            return std::shared_ptr<const EstimateResult>(std::move(result));
        },
        [this, wanted](const std::shared_ptr<const EstimateResult>& result) {
            if (wanted != m_estimateGeneration)
                return; // the settings changed again meanwhile
            m_estimatePending = false;
            m_estimate->setText(estimateText(*result));
        });
}

void SyntheticPage::setRuns(const std::vector<ts::Run>& runs)
{
    m_runList = runs;
    QTreeWidgetItem* wanted = nullptr;
    QTreeWidgetItem* shown = nullptr;
    {
        const QSignalBlocker block(m_runs);
        m_runs->clear();
        for (const ts::Run& run : runs) {
            const QString name = run.name.empty() ? tr("Run %1").arg(run.id) : fromStd(run.name);
            const QString started = run.startedAt
                ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(*run.startedAt), QLocale::ShortFormat)
                : QString();
            auto* item = new QTreeWidgetItem(m_runs, {name, runStatusText(run.status), started});
            item->setData(0, kRunIdRole, QVariant::fromValue<qint64>(run.id));
            if (!run.error.empty())
                item->setToolTip(1, fromStd(run.error));
            if (run.id == m_wantedRunId)
                wanted = item;
            if (run.id == m_shownRunId)
                shown = item;
        }
        // The run just started or resumed, else the one shown, else (at first) the newest.
        QTreeWidgetItem* current = wanted ? wanted : shown ? shown : m_runs->topLevelItem(0);
        if (current)
            m_runs->setCurrentItem(current);
    }
    if (wanted)
        m_wantedRunId = 0;
    showRun(m_runs->currentItem() ? m_runs->currentItem()->data(0, kRunIdRole).toLongLong() : 0);
    updateActions();
}

const ts::Run* SyntheticPage::selectedRun() const
{
    const QTreeWidgetItem* item = m_runs->currentItem();
    const qint64 id = item ? item->data(0, kRunIdRole).toLongLong() : 0;
    for (const ts::Run& run : m_runList)
        if (run.id == id)
            return &run;
    return nullptr;
}

void SyntheticPage::showRun(qint64 runId)
{
    if (runId == m_shownRunId)
        return;
    m_shownRunId = runId;
    double threshold = ts::synth::EvolveConfig().qualityThreshold;
    for (const ts::Run& run : m_runList)
        if (run.id == runId)
            if (auto stored = ts::synth::evolveConfigFromJson(nlohmann::json::parse(run.config, nullptr, false)))
                threshold = stored->qualityThreshold;
    m_review->showRun(runId, threshold);
    m_funnel->clearChart();
    m_funnelCounts->clear();
    m_feed->setWatched(runId);
}

void SyntheticPage::onUpdate(const EvolveUpdate& update)
{
    if (update.runId != m_shownRunId)
        return;
    if (!update.rows.empty())
        m_review->applyRows(update.rows);
    m_funnel->setFunnel(update.funnel);
    m_funnelCounts->setText(funnelCountsText(update.funnel));
}

bool SyntheticPage::startRun()
{
    if (!m_project)
        return false;
    if (isRunning()) {
        showMessage(tr("An evolve run is still going. Wait for it to end or cancel it first."), true);
        return false;
    }
    QString error;
    auto config = m_form->config(&error);
    if (!config) {
        showMessage(error, true);
        return false;
    }
    QStringList taken;
    for (const ts::Run& run : m_runList)
        taken << fromStd(run.name);
    ts::synth::EvolveParams params;
    params.project = m_project;
    params.config = *config;
    params.runName = newRunName(m_form->runName(), QStringLiteral("evolve"), fromStd(config->teacherEndpoint),
                                static_cast<int>(m_runList.size()), taken)
                         .toStdString();
    prepareLaunch(std::move(params));
    return true;
}

bool SyntheticPage::resumeSelectedRun()
{
    const ts::Run* selected = selectedRun();
    if (!m_project || !selected) {
        showMessage(tr("Select the run to resume in the run list."), true);
        return false;
    }
    if (isRunning()) {
        showMessage(tr("An evolve run is still going. Wait for it to end or cancel it first."), true);
        return false;
    }
    const ts::Run run = *selected;
    if (run.status == ts::RunStatus::Succeeded) {
        showMessage(tr("This run finished; there is nothing to resume."), true);
        return false;
    }
    if (run.status == ts::RunStatus::Running && run.lease) {
        showMessage(tr("This run is being run by process %1 on %2. Cancel it there first.")
                        .arg(QString::number(run.lease->pid), fromStd(run.lease->host)),
                    true);
        return false;
    }
    auto stored = ts::synth::evolveConfigFromJson(nlohmann::json::parse(run.config, nullptr, false));
    if (!stored) {
        showMessage(tr("The run's settings cannot be read: %1").arg(fromStd(stored.error().message)), true);
        return false;
    }
    ts::synth::EvolveParams params;
    params.project = m_project;
    params.config = *stored;
    params.runName = run.name;
    params.resumeRunId = run.id;
    // A run stopped at its spend cap goes on under the cap set in the form, when that one is higher.
    if (const auto form = m_form->config();
        form && form->spendCapUsd && stored->spendCapUsd && *form->spendCapUsd > *stored->spendCapUsd)
        params.newSpendCapUsd = form->spendCapUsd;
    prepareLaunch(std::move(params));
    return true;
}

void SyntheticPage::prepareLaunch(ts::synth::EvolveParams params)
{
    auto pending = std::make_shared<Launch>();
    pending->params = std::move(params);
    const ts::synth::EvolveConfig& config = pending->params.config;
    std::vector<std::string> names {config.teacherEndpoint};
    if (!config.judgeEndpoint.empty() && config.judgeEndpoint != config.teacherEndpoint)
        names.push_back(config.judgeEndpoint);
    auto opened = m_project->openReader();
    if (!opened) {
        showMessage(fromStd(opened.error().message), true);
        return;
    }
    auto reader = std::make_shared<ts::Database>(std::move(*opened));
    m_starting = true;
    m_form->setRunning(true);
    m_progress->setRange(0, 0);
    m_progressLabel->setText(tr("Starting…"));
    updateActions();
    using Endpoints = std::shared_ptr<const std::vector<ts::Endpoint>>;
    runInBackground<Endpoints>(
        this,
        [reader, names]() -> Endpoints {
            auto found = std::make_shared<std::vector<ts::Endpoint>>();
            ts::EndpointRepository repo(*reader);
            for (const std::string& name : names)
                if (auto e = repo.get(name); e && *e)
                    found->push_back(**e);
            return found;
        },
        [this, pending, generation = m_generation](const Endpoints& endpoints) {
            if (generation != m_generation)
                return;
            // A run on the local engine queues behind a training run on the device; HTTP runs start at once.
            pending->params.claims = ts::abTestClaims(*endpoints);
            for (const ts::Endpoint& endpoint : *endpoints)
                if (endpoint.provider.kind != ts::llm::ProviderKind::Local)
                    pending->http.push_back(endpoint);
            readKeys(pending, generation);
        });
}

void SyntheticPage::readKeys(const std::shared_ptr<Launch>& pending, quint64 generation)
{
    if (generation != m_generation)
        return;
    if (pending->next < pending->http.size()) {
        const ts::Endpoint& endpoint = pending->http[pending->next++];
        ApiKeyStore::read(this, endpoint, [this, pending, generation, name = endpoint.name](const KeyLookup& lookup) {
            if (!lookup.key.isEmpty())
                pending->keys[name] = lookup.key.toStdString();
            if (!lookup.keychainAvailable || lookup.from != KeyLookup::From::Keychain)
                pending->notes.append(tr("%1: %2.").arg(fromStd(name), lookup.describe()));
            readKeys(pending, generation);
        });
        return;
    }
    m_starting = false;
    pending->params.providers = makeGuiProviderFactory(pending->keys);
    if (!pending->notes.isEmpty())
        emit statusMessage(pending->notes.join(QLatin1Char(' ')));
    launch(std::move(pending->params));
}

bool SyntheticPage::launch(ts::synth::EvolveParams params)
{
    EvolveFeed* feed = m_feed;
    params.onRow = [feed](const ts::synth::SyntheticRow&) {
        // Worker thread: a poll soon rather than at the next tick. The page (and its feed) waits for the job.
        QMetaObject::invokeMethod(feed, &EvolveFeed::pollNow, Qt::QueuedConnection);
    };
    const bool resume = params.resumeRunId.has_value();
    if (resume)
        m_wantedRunId = *params.resumeRunId;
    auto job = std::make_shared<ts::synth::EvolveJob>(std::move(params));
    const quint64 jobId = m_jobs.start(job);
    if (!jobId) {
        showMessage(tr("The evolve run could not be started."), true);
        m_form->setRunning(false);
        m_progress->setRange(0, 1);
        updateActions();
        return false;
    }
    m_job = job;
    m_jobId = jobId;
    m_cancelRequested = false;
    showMessage(resume ? tr("Resuming the run: stored rows are kept, the rest are made now…")
                       : tr("Running… rows appear below as the teacher writes them."),
                false);
    m_uiTimer.start();
    updateActions();
    emit statusMessage(resume ? tr("Evolve run resumed.") : tr("Evolve run started."));
    return true;
}

void SyntheticPage::cancelRun()
{
    if (!m_job || m_cancelRequested)
        return;
    m_cancelRequested = true;
    m_jobs.cancel(m_jobId);
    showMessage(tr("Cancelling: calls in flight are stopped; the rows stored so far are kept for Resume."), false);
    updateActions();
}

void SyntheticPage::onUiTick()
{
    if (!m_job)
        return;
    const qint64 runId = m_job->runId();
    if (runId != 0 && runId != m_shownRunId && runId != m_wantedRunId) {
        m_wantedRunId = runId; // selected when the list shows it
        m_feed->pollNow();
    }
}

void SyntheticPage::onJobProgress(quint64 jobId, qint64 done, qint64 total, const QString& message)
{
    if (!m_job || jobId != m_jobId)
        return;
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(static_cast<int>(1000 * done / total));
    }
    QString text = message;
    if (auto view = m_jobs.job(jobId); view && view->etaSeconds && done < total)
        text += tr(" · about %1 left").arg(durationText(*view->etaSeconds));
    m_progressLabel->setText(text);
}

void SyntheticPage::onJobFinished(quint64 jobId, bool ok, const QString& error, bool cancelled)
{
    if (!m_job || jobId != m_jobId)
        return; // another job
    onUiTick();
    auto job = std::move(m_job);
    m_jobId = 0;
    m_uiTimer.stop();
    const ts::synth::EvolveResult& result = job->result();
    const qint64 runId = job->runId() ? job->runId() : result.runId;
    const QLocale locale;
    const QString spent = result.spentUsd > 0 ? tr("%1 spent").arg(usd(result.spentUsd)) : tr("no measured cost");
    const QString rows
        = result.generated == 1 ? tr("1 row stored") : tr("%1 rows stored").arg(locale.toString(result.generated));
    QString text;
    bool isError = false;
    if (ok && result.spendCapReached) {
        text = tr("Stopped at the spend cap: %1 (%2 kept from before), %3. Raise the cap and resume to continue.")
                   .arg(rows, locale.toString(result.skipped), spent);
    } else if (ok) {
        text = tr("Finished: %1 (%2 kept from before), %3; %4 passed every filter.")
                   .arg(rows, locale.toString(result.skipped), spent, locale.toString(result.funnel.aboveThreshold));
    } else if (cancelled || result.cancelled) {
        text = tr("Cancelled after %1. Select the run and press Resume to continue.").arg(rows);
    } else {
        text = tr("The run stopped: %1").arg(error);
        isError = true;
    }
    showMessage(text, isError);
    m_form->setRunning(false);
    m_progress->setRange(0, 1000);
    m_progress->setValue(
        result.planned > 0 ? static_cast<int>(
            1000 * std::min<int64_t>(result.skipped + result.generated, result.planned) / result.planned)
                           : 0);
    m_progressLabel->setText(text);
    m_cancelRequested = false;
    if (runId)
        m_wantedRunId = runId;
    m_feed->pollNow();
    m_feed->refreshFunnel();
    updateActions();
    emit statusMessage(text);
    emit runFinished(ok && !result.cancelled, cancelled || result.cancelled, runId);
}

void SyntheticPage::editTemplates()
{
    if (!m_project)
        return;
    EvolTemplatesDialog dialog(*m_project, this);
    connect(&dialog, &EvolTemplatesDialog::saved, this, [this](int version) {
        emit statusMessage(tr("Saved the evolution templates as version %1; new runs use them.").arg(version));
    });
    dialog.exec();
}

} // namespace ts::ui
