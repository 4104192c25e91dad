// TrainingPage: layout (model row, settings | charts / memory / sample tabs, footer with progress and buttons),
// shortcuts, the run list and charts fed by MetricsFeed, and the train job's life through the JobController.
#include "training/training_page.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include "bridge/job_controller.h"
#include "bridge/path_conversion.h"
#include "bridge/run_names.h"
#include "commands/train_command_line.h"
#include "dialogs/dialogs.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "train/resume_point.h"
#include "train/train_config_json.h"
#include "training/memory_panel.h"
#include "training/metrics_feed.h"
#include "training/metrics_plot.h"
#include "training/model_picker.h"
#include "training/plot_controls.h"
#include "training/run_time_label.h"
#include "training/runs_model.h"
#include "training/sample_preview.h"
#include "training/train_progress.h"
#include "training/train_settings_form.h"
#include "training/training_format.h"
#include "widgets/message_banner.h"

namespace ts::ui {

namespace {

// The base model folder a run was trained from, as its stored config records it ("" when it does not).
QString modelDirOfRun(const ts::Run& run)
{
    const auto json = nlohmann::json::parse(run.config, nullptr, false);
    if (!json.is_object())
        return {};
    for (const char* key : {"model_dir", "modelDir", "model", "base_model"}) {
        auto it = json.find(key);
        if (it != json.end() && it->is_string())
            return fromStd(it->get<std::string>());
    }
    return {};
}

// The settings a run was started with (its config JSON's "train" object).
std::optional<ts::TrainConfig> configOfRun(const ts::Run& run, QString* error)
{
    const auto json = nlohmann::json::parse(run.config, nullptr, false);
    if (!json.is_object() || !json.contains("train")) {
        *error = TrainingPage::tr("the run has no stored settings");
        return std::nullopt;
    }
    auto config = ts::trainConfigFromJson(json.at("train"));
    if (!config) {
        *error = fromStd(config.error().message);
        return std::nullopt;
    }
    return *config;
}

} // namespace

TrainingPage::TrainingPage(JobController& jobs, QWidget* parent)
    : QWidget(parent)
    , m_jobs(jobs)
{
    setObjectName(QStringLiteral("trainingPage"));
    m_feed = new MetricsFeed(this);
    m_runs = new RunsModel(this);
    buildActions();
    buildLayout();

    m_uiTimer.setInterval(kUiRefreshMs);
    connect(&m_uiTimer, &QTimer::timeout, this, &TrainingPage::onUiTick);
    connect(m_model, &ModelPicker::modelChanged, this, &TrainingPage::onModelChanged);
    connect(m_settings, &TrainSettingsForm::configChanged, this, &TrainingPage::onSettingsChanged);
    connect(m_memory, &MemoryPanel::estimateChanged, this, &TrainingPage::onMemoryChanged);
    // The train split's lengths (measured with the model's tokenizer off the GUI thread) feed the max length warning
    // and the run time estimate.
    connect(m_preview, &SamplePreview::exampleLengthsChanged, this,
            [this](const std::shared_ptr<const std::vector<ts::SftExampleLength>>& lengths) {
                m_settings->setExampleLengths(lengths);
                m_runTime->setExampleLengths(lengths);
            });
    connect(m_memory, &MemoryPanel::suggestionApplied, this,
            [this](const ts::TrainConfig& config) { m_settings->setConfig(config); });
    connect(m_feed, &MetricsFeed::runsListed, this, &TrainingPage::onRunsListed);
    connect(m_feed, &MetricsFeed::metricsArrived, this,
            [this](qint64 runId, const std::vector<ts::MetricPoint>& points, bool replace) {
                for (MetricsPlot* plot : {m_lossPlot, m_lrPlot, m_gradNormPlot, m_throughputPlot})
                    plot->addPoints(runId, points, replace);
            });
    connect(m_feed, &MetricsFeed::pollError, this, [this](const QString& message) {
        m_pollError->setText(message.isEmpty() ? QString() : tr("Cannot read the runs: %1").arg(message));
        m_pollError->setVisible(!message.isEmpty());
    });
    connect(m_runs, &RunsModel::checkedChanged, this, &TrainingPage::onRunChecked);
    connect(m_runList->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TrainingPage::updateActions);
    connect(&m_jobs, &JobController::progress, this, &TrainingPage::onJobProgress);
    connect(&m_jobs, &JobController::finished, this, &TrainingPage::onJobFinished);
    connect(&m_jobs, &JobController::jobsChanged, this, &TrainingPage::onJobsChanged);

    onSettingsChanged();
    onModelChanged();
    setProject(nullptr);
}

TrainingPage::~TrainingPage()
{
    // The job reports into m_steps (shared) and the controller outlives the page only in tests: stop it here.
    if (m_job)
        m_jobs.cancelAndWait(m_jobId);
}

void TrainingPage::buildActions()
{
    m_startAction = new QAction(tr("&Start Training"), this);
    m_startAction->setObjectName(QStringLiteral("startTrainingAction"));
    m_startAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_startAction->setToolTip(tr("Start a new training run with these settings (Ctrl+Return)"));
    connect(m_startAction, &QAction::triggered, this, &TrainingPage::startTraining);
    addAction(m_startAction);

    m_cancelAction = new QAction(tr("&Cancel Training"), this);
    m_cancelAction->setObjectName(QStringLiteral("cancelTrainingAction"));
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setToolTip(tr("Stop the run after the current step and save a checkpoint (Esc)"));
    // A bare Esc can be pressed by accident: it asks first (the Cancel button does not).
    connect(m_cancelAction, &QAction::triggered, this, [this] {
        if (!m_job || m_cancelRequested)
            return;
        const auto answer = Dialogs::question(
            this, tr("Cancel Training"),
            tr("Cancel the training run? It stops after the current step and keeps a checkpoint, so Resume continues "
               "from there."),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer == QMessageBox::Yes)
            cancelTraining();
    });
    addAction(m_cancelAction);

    m_resumeAction = new QAction(tr("&Resume Run"), this);
    m_resumeAction->setObjectName(QStringLiteral("resumeTrainingAction"));
    m_resumeAction->setToolTip(
        tr("Continue the selected cancelled or failed run from its newest checkpoint, with its own settings"));
    connect(m_resumeAction, &QAction::triggered, this, &TrainingPage::resumeSelectedRun);
    addAction(m_resumeAction);
}

void TrainingPage::buildLayout()
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(6);

    m_model = new ModelPicker(this);
    layout->addWidget(m_model);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("trainingMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setMargin(6);
    m_message->setVisible(false);
    layout->addWidget(m_message);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("trainingSplitter"));
    m_splitter->setChildrenCollapsible(false);

    auto* scroll = new QScrollArea(m_splitter);
    scroll->setObjectName(QStringLiteral("trainSettingsScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_settings = new TrainSettingsForm(scroll);
    scroll->setWidget(m_settings);
    // Its natural width when there is room (the splitter starts it at its size hint); on a small screen it narrows
    // and scrolls sideways rather than holding the window open.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    scroll->setMinimumWidth(300);
    m_splitter->addWidget(scroll);

    m_tabs = new QTabWidget(m_splitter);
    m_tabs->setObjectName(QStringLiteral("trainingTabs"));
    m_tabs->setDocumentMode(true);

    // Charts: four plots over the run list.
    auto* charts = new QSplitter(Qt::Vertical, m_tabs);
    charts->setObjectName(QStringLiteral("chartsSplitter"));
    charts->setChildrenCollapsible(false);
    auto* grid = new QWidget(charts);
    auto* gridLayout = new QGridLayout(grid);
    gridLayout->setContentsMargins(0, 4, 0, 0);
    gridLayout->setSpacing(4);
    m_lossPlot = new MetricsPlot(tr("Loss (solid: train, dashed: eval)"), tr("loss"),
                                 {{QStringLiteral("train/loss"), Qt::SolidLine, false, tr("train")},
                                  {QStringLiteral("eval/loss"), Qt::DashLine, true, tr("eval"), false}},
                                 grid);
    m_lossPlot->setObjectName(QStringLiteral("lossPlot"));
    m_lrPlot = new MetricsPlot(tr("Learning rate"), tr("learning rate"),
                               {{QStringLiteral("lr"), Qt::SolidLine, false, {}, false}}, grid);
    m_lrPlot->setObjectName(QStringLiteral("learningRatePlot"));
    m_gradNormPlot = new MetricsPlot(tr("Gradient norm (before clipping)"), tr("grad norm"),
                                     {{QStringLiteral("grad_norm")}}, grid);
    m_gradNormPlot->setObjectName(QStringLiteral("gradNormPlot"));
    m_throughputPlot
        = new MetricsPlot(tr("Throughput"), tr("tokens per second"), {{QStringLiteral("tokens_per_s")}}, grid);
    m_throughputPlot->setObjectName(QStringLiteral("throughputPlot"));
    const QString plotTip = tr("Drag to pan, wheel to zoom, double-click to follow the data again.");
    for (MetricsPlot* plot : {m_lossPlot, m_lrPlot, m_gradNormPlot, m_throughputPlot})
        plot->setToolTip(plotTip);
    m_plotControls = new PlotControls({m_lossPlot, m_lrPlot, m_gradNormPlot, m_throughputPlot}, grid);
    gridLayout->addWidget(m_plotControls, 0, 0, 1, 2);
    gridLayout->addWidget(m_lossPlot, 1, 0);
    gridLayout->addWidget(m_lrPlot, 1, 1);
    gridLayout->addWidget(m_gradNormPlot, 2, 0);
    gridLayout->addWidget(m_throughputPlot, 2, 1);
    gridLayout->setRowStretch(1, 1); // the charts take the height, not the controls over them
    gridLayout->setRowStretch(2, 1);
    charts->addWidget(grid);

    auto* runsBox = new QWidget(charts);
    auto* runsLayout = new QVBoxLayout(runsBox);
    runsLayout->setContentsMargins(0, 0, 0, 0);
    runsLayout->setSpacing(2);
    auto* runsLabel = new QLabel(tr("Runs — check a run to plot it; each run has its own colour:"), runsBox);
    runsLayout->addWidget(runsLabel);
    m_runList = new QTreeView(runsBox);
    m_runList->setObjectName(QStringLiteral("runList"));
    m_runList->setModel(m_runs);
    m_runList->setRootIsDecorated(false);
    m_runList->setUniformRowHeights(true);
    m_runList->setAlternatingRowColors(true);
    m_runList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runList->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runList->header()->setSectionResizeMode(RunsModel::NameColumn, QHeaderView::Stretch);
    m_runList->header()->setSectionResizeMode(RunsModel::StatusColumn, QHeaderView::ResizeToContents);
    m_runList->header()->setSectionResizeMode(RunsModel::StartedColumn, QHeaderView::ResizeToContents);
    m_runList->header()->setStretchLastSection(false);
    runsLabel->setBuddy(m_runList);
    runsLayout->addWidget(m_runList, 1);
    auto* runButtons = new QHBoxLayout();
    runButtons->addStretch(1);
    m_copySettingsButton = new QPushButton(tr("&Use Its Settings"), runsBox);
    m_copySettingsButton->setObjectName(QStringLiteral("copySettingsButton"));
    m_copySettingsButton->setToolTip(tr("Fill the settings and the base model with those of the selected run, to "
                                        "start a variation of it"));
    connect(m_copySettingsButton, &QPushButton::clicked, this, &TrainingPage::useSettingsOfSelectedRun);
    runButtons->addWidget(m_copySettingsButton);
    m_runList->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_runList, &QTreeView::customContextMenuRequested, this, &TrainingPage::showRunMenu);
    runsLayout->addLayout(runButtons);
    m_pollError = new QLabel(runsBox);
    m_pollError->setObjectName(QStringLiteral("runsPollError"));
    m_pollError->setWordWrap(true);
    m_pollError->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_pollError->setVisible(false);
    runsLayout->addWidget(m_pollError);
    charts->addWidget(runsBox);
    charts->setStretchFactor(0, 3);
    charts->setStretchFactor(1, 1);
    m_tabs->addTab(charts, tr("C&harts"));

    m_memory = new MemoryPanel(m_tabs);
    m_tabs->addTab(m_memory, tr("&Memory"));
    m_preview = new SamplePreview(m_tabs);
    m_tabs->addTab(m_preview, tr("Sa&mple"));
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({m_settings->sizeHint().width() + 24, 10000}); // the settings at their natural width
    layout->addWidget(m_splitter, 1);

    // Footer: progress on the left, memory verdict and the buttons on the right.
    auto* footer = new QHBoxLayout();
    m_progress = new TrainProgress(this);
    footer->addWidget(m_progress, 1);
    m_memorySummary = new QLabel(this);
    m_memorySummary->setObjectName(QStringLiteral("memorySummary"));
    m_memorySummary->setTextFormat(Qt::RichText);
    m_memorySummary->setToolTip(tr("Estimated memory for training with these settings; click for the breakdown"));
    connect(m_memorySummary, &QLabel::linkActivated, this, [this] { m_tabs->setCurrentIndex(MemoryTab); });
    footer->addWidget(m_memorySummary);
    m_runTime = new RunTimeLabel(this);
    footer->addWidget(m_runTime);
    m_runName = new QLineEdit(this);
    m_runName->setObjectName(QStringLiteral("runNameEdit"));
    m_runName->setPlaceholderText(tr("Run name (optional)"));
    m_runName->setToolTip(tr("A name for the new run in the run list"));
    m_runName->setMinimumWidth(150);
    m_runName->setMaximumWidth(220);
    footer->addWidget(m_runName);
    m_copyCommandButton = new QPushButton(tr("Copy as Co&mmand"), this);
    m_copyCommandButton->setObjectName(QStringLiteral("copyTrainCommandButton"));
    m_copyCommandButton->setToolTip(tr("Copy the tunesmith-cli command that trains with these settings headless"));
    connect(m_copyCommandButton, &QPushButton::clicked, this, &TrainingPage::copyFormCommand);
    footer->addWidget(m_copyCommandButton);
    m_resumeButton = new QPushButton(tr("&Resume"), this);
    m_resumeButton->setObjectName(QStringLiteral("resumeButton"));
    m_resumeButton->setToolTip(m_resumeAction->toolTip());
    connect(m_resumeButton, &QPushButton::clicked, this, &TrainingPage::resumeSelectedRun);
    footer->addWidget(m_resumeButton);
    m_cancelButton = new QPushButton(tr("&Cancel"), this);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_cancelButton->setToolTip(m_cancelAction->toolTip());
    connect(m_cancelButton, &QPushButton::clicked, this, &TrainingPage::cancelTraining);
    footer->addWidget(m_cancelButton);
    m_startButton = new QPushButton(tr("&Start Training"), this);
    m_startButton->setObjectName(QStringLiteral("startButton"));
    m_startButton->setToolTip(m_startAction->toolTip());
    m_startButton->setIcon(style()->standardIcon(QStyle::SP_MediaPlay, nullptr, this));
    connect(m_startButton, &QPushButton::clicked, this, &TrainingPage::startTraining);
    footer->addWidget(m_startButton);
    layout->addLayout(footer);
}

void TrainingPage::setProject(ts::Project* project)
{
    // MainWindow stops a running job before it changes projects; its end, still queued, belongs to the old one.
    m_job.reset();
    m_jobId = 0;
    m_steps.reset();
    m_uiTimer.stop();
    m_cancelRequested = false;
    m_activeRunId = 0;
    m_project = project;
    m_firstListing = true;
    m_runs->clear();
    for (MetricsPlot* plot : {m_lossPlot, m_lrPlot, m_gradNormPlot, m_throughputPlot}) {
        plot->clearRuns();
        plot->followData(); // a zoom or pan of the last project's charts does not carry over
    }
    // Every project starts from fresh settings and an empty name (issue 12, defect 10).
    m_givenRunNames.clear();
    m_runName->clear();
    m_settings->resetToDefaults();
    m_tabs->setCurrentIndex(ChartsTab);
    m_feed->setProject(project);
    m_preview->setProject(project);
    m_runTime->setProject(project);
    m_progress->reset();
    clearMessage();
    QString modelDir;
    if (auto reader = project ? project->viewReader() : ts::Expected<ts::Database*>(ts::Error {"no project"}); reader) {
        auto stored = ts::Project::readMeta(**reader, kModelDirMetaKey);
        if (stored)
            modelDir = fromStd(*stored);
    }
    m_model->setModelDir(modelDir);
    setEnabled(project != nullptr);
    updateActions();
}

void TrainingPage::setPageActive(bool active)
{
    m_active = active;
    // Nothing to show while another page is current; a job of this page still reports through its own callback.
    m_feed->setPaused(!active);
    updateActions();
}

QString TrainingPage::messageText() const
{
    return m_message->isVisible() ? m_message->text() : QString();
}

void TrainingPage::showMessage(const QString& text, MessageKind kind)
{
    m_messageKind = kind;
    showBanner(m_message, text,
               kind == MessageKind::Error         ? BannerKind::Error
                   : kind == MessageKind::Success ? BannerKind::Success
                                                  : BannerKind::Info);
}

void TrainingPage::clearMessage()
{
    m_message->clear();
    m_message->setVisible(false);
}

void TrainingPage::updateActions()
{
    const bool open = m_project != nullptr;
    const bool training = isTraining();
    const bool busy = training; // other jobs (A/B tests, imports) run alongside; a second run would queue
    const ts::Run* run = selectedRun();
    // An interrupted run (its process died) resumes at once; one that another live process runs is refused with
    // its owner named; a pending one asks first.
    const bool resumable = run && run->status != ts::RunStatus::Succeeded && !(training && run->id == m_activeRunId);
    const bool canStart = open && !busy;
    const bool canCancel = training && !m_cancelRequested;
    const bool canResume = open && !busy && resumable;
    m_startButton->setEnabled(canStart);
    m_cancelButton->setEnabled(canCancel);
    m_resumeButton->setEnabled(canResume);
    m_copySettingsButton->setEnabled(open && !training && run != nullptr);
    m_startAction->setEnabled(m_active && canStart);
    m_cancelAction->setEnabled(m_active && canCancel);
    m_resumeAction->setEnabled(m_active && canResume);
    m_settings->setEnabled(!training);
    m_model->setEnabled(!training);
    m_runName->setEnabled(!training);
}

void TrainingPage::onModelChanged()
{
    const bool usable = m_model->modelConfig().has_value();
    m_memory->setModel(m_model->modelConfig());
    m_preview->setModelDir(usable ? m_model->modelDir() : QString());
    m_runTime->setModel(m_model->modelDir(), m_model->modelConfig());
    if (usable)
        m_settings->suggestPresetForModel(ts::parameterCount(*m_model->modelConfig()));
    if (m_project && (usable || m_model->modelDir().isEmpty())) {
        // Remembered with the project, so reopening it brings the same base model back.
        auto lock = m_project->writeLock();
        const auto saved = m_project->setMeta(kModelDirMetaKey, m_model->modelDir().toStdString());
        if (!saved)
            emit statusMessage(
                tr("The model folder could not be saved with the project: %1").arg(fromStd(saved.error().message)));
    }
    if (m_messageKind == MessageKind::Error)
        clearMessage(); // a start error about the model is out of date now
}

void TrainingPage::onSettingsChanged()
{
    const auto config = m_settings->config();
    m_memory->setTrainConfig(config);
    m_runTime->setTrainConfig(config);
    if (config)
        m_preview->setMaxSeqLen(config->maxSeqLen);
}

void TrainingPage::onMemoryChanged()
{
    const QString summary = m_memory->summary();
    if (summary.isEmpty()) {
        m_memorySummary->clear();
        return;
    }
    const QString link = QStringLiteral("<a href=\"#memory\">%1</a>").arg(summary.toHtmlEscaped());
    if (m_memory->fits())
        m_memorySummary->setText(link);
    else
        m_memorySummary->setText(QStringLiteral("<span style=\"color:#c0392b; font-weight:bold\">⚠ %1</span>")
                                     .arg(tr("%1 — does not fit").arg(link)));
}

const ts::Run* TrainingPage::selectedRun() const
{
    const QModelIndexList rows = m_runList->selectionModel()->selectedRows();
    return rows.isEmpty() ? nullptr : m_runs->runAt(rows.first().row());
}

void TrainingPage::onRunsListed(const std::vector<ts::Run>& runs)
{
    const bool first = m_firstListing;
    m_firstListing = false;
    const ts::Run* selected = selectedRun();
    const qint64 selectedId = selected ? selected->id : 0;
    const QList<qint64> added = m_runs->setRuns(runs);
    for (const ts::Run& run : runs)
        for (MetricsPlot* plot : {m_lossPlot, m_lrPlot, m_gradNormPlot, m_throughputPlot})
            plot->setRunName(run.id, run.name.empty() ? tr("run %1").arg(run.id) : fromStd(run.name));
    if (first) {
        // Opening a project shows its newest run.
        if (!runs.empty()) {
            m_runs->setChecked(runs.front().id, true);
            m_runList->setCurrentIndex(m_runs->index(0, RunsModel::NameColumn));
        }
    } else {
        // A run that appears while the page watches (this page's, or a CLI's on the same project) is plotted.
        for (qint64 id : added)
            m_runs->setChecked(id, true);
    }
    if (selectedId && !selectedRun()) {
        const int row = m_runs->rowOf(selectedId);
        if (row >= 0)
            m_runList->setCurrentIndex(m_runs->index(row, RunsModel::NameColumn));
    }
    updateActions();
}

void TrainingPage::onRunChecked(qint64 runId, bool checked)
{
    for (MetricsPlot* plot : {m_lossPlot, m_lrPlot, m_gradNormPlot, m_throughputPlot})
        plot->setRunVisible(runId, checked);
    m_feed->setWatched(m_runs->checkedIds());
}

bool TrainingPage::startTraining()
{
    if (!m_project) {
        showMessage(tr("Open a project first."), MessageKind::Error);
        return false;
    }
    if (isTraining()) {
        showMessage(tr("\"%1\" is still running. Wait for it to end or cancel it first.").arg(m_jobs.title(m_jobId)),
                    MessageKind::Error);
        return false;
    }
    if (m_model->modelDir().isEmpty()) {
        showMessage(tr("Choose a base model first: a Hugging Face model folder with config.json, the *.safetensors "
                       "weights and tokenizer.json."),
                    MessageKind::Error);
        return false;
    }
    if (!m_model->modelConfig()) {
        showMessage(m_model->errorText(), MessageKind::Error);
        return false;
    }
    QString error;
    const auto config = m_settings->config(&error);
    if (!config) {
        showMessage(tr("The settings are not valid. %1").arg(error), MessageKind::Error);
        return false;
    }
    if (!m_memory->fits()) {
        const auto& estimate = *m_memory->estimate();
        const auto answer = Dialogs::question(
            this, tr("Not Enough Memory"),
            tr("Training needs about %1 but %2 is available, so it will probably fail or make the computer swap.\n\n"
               "Start anyway?")
                .arg(formatMemory(estimate.total), formatMemory(estimate.available.value_or(0))),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes) {
            showMessage(tr("Not started: the estimate does not fit in memory. See the Memory tab for a suggestion."),
                        MessageKind::Error);
            m_tabs->setCurrentIndex(MemoryTab);
            return false;
        }
    }
    ts::TrainJobParams params;
    params.project = m_project;
    params.modelDir = toPath(m_model->modelDir());
    params.config = *config;
    const QString name = nextRunName();
    params.runName = name.toStdString();
    if (!launch(std::move(params), config->maxSteps, tr("Training")))
        return false;
    m_givenRunNames << name;
    return true;
}

QStringList TrainingPage::takenRunNames() const
{
    QStringList taken = m_givenRunNames;
    for (int row = 0; row < m_runs->rowCount(); ++row)
        taken << fromStd(m_runs->runAt(row)->name);
    return taken;
}

QString TrainingPage::nextRunName() const
{
    const QString preset = m_settings->presetName();
    return newRunName(m_runName->text(), QStringLiteral("run"), preset.isEmpty() ? tr("custom") : preset,
                      m_runs->rowCount(), takenRunNames());
}

QString TrainingPage::copyFormCommand()
{
    if (!m_project) {
        showMessage(tr("Open a project first."), MessageKind::Error);
        return {};
    }
    if (m_model->modelDir().isEmpty()) {
        showMessage(tr("Choose a base model first: the command names its folder."), MessageKind::Error);
        return {};
    }
    QString error;
    const auto config = m_settings->config(&error);
    if (!config) {
        showMessage(tr("The settings are not valid. %1").arg(error), MessageKind::Error);
        return {};
    }
    const QString command = trainCommandLine(fromPath(m_project->path()), m_model->modelDir(), *config, nextRunName());
    QApplication::clipboard()->setText(command);
    emit statusMessage(tr("Copied the training command to the clipboard."));
    return command;
}

QString TrainingPage::copyRunCommand(qint64 runId, bool resume)
{
    const ts::Run* run = m_runs->runById(runId);
    if (!m_project || !run) {
        showMessage(tr("Select a run in the run list first."), MessageKind::Error);
        return {};
    }
    QString command;
    if (resume) {
        command = trainResumeCommandLine(fromPath(m_project->path()), run->id);
    } else {
        QString error;
        const auto config = configOfRun(*run, &error);
        const QString modelDir = modelDirOfRun(*run);
        if (!config || modelDir.isEmpty()) {
            showMessage(tr("This run's settings cannot be read: %1").arg(config ? tr("it names no base model") : error),
                        MessageKind::Error);
            return {};
        }
        command = trainCommandLine(fromPath(m_project->path()), modelDir, *config,
                                   uniqueRunName(fromStd(run->name), takenRunNames()));
    }
    QApplication::clipboard()->setText(command);
    emit statusMessage(
        resume ? tr("Copied the command that resumes \"%1\" to the clipboard.").arg(fromStd(run->name))
               : tr("Copied the command that trains \"%1\" again to the clipboard.").arg(fromStd(run->name)));
    return command;
}

void TrainingPage::showRunMenu(const QPoint& position)
{
    const QModelIndex index = m_runList->indexAt(position);
    const ts::Run* run = index.isValid() ? m_runs->runAt(index.row()) : nullptr;
    if (!run)
        return;
    const qint64 runId = run->id;
    QMenu menu(this);
    QAction* copy = menu.addAction(tr("Copy as Command"), this, [this, runId] { copyRunCommand(runId); });
    copy->setObjectName(QStringLiteral("copyRunCommandAction"));
    if (run->status != ts::RunStatus::Succeeded) {
        QAction* resume
            = menu.addAction(tr("Copy Resume Command"), this, [this, runId] { copyRunCommand(runId, true); });
        resume->setObjectName(QStringLiteral("copyResumeCommandAction"));
    }
    menu.exec(m_runList->viewport()->mapToGlobal(position));
}

bool TrainingPage::resumeSelectedRun()
{
    if (!m_project || !selectedRun()) {
        showMessage(tr("Select the run to resume in the run list."), MessageKind::Error);
        return false;
    }
    const ts::Run run = *selectedRun(); // a copy: the list may change while a question is open
    if (isTraining()) {
        showMessage(tr("\"%1\" is still running. Wait for it to end or cancel it first.").arg(m_jobs.title(m_jobId)),
                    MessageKind::Error);
        return false;
    }
    if (run.status == ts::RunStatus::Succeeded) {
        showMessage(tr("This run has finished all its steps; there is nothing to resume."), MessageKind::Error);
        return false;
    }
    if (run.status == ts::RunStatus::Running && run.lease) { // its process is alive (an interrupted one is not)
        showMessage(tr("\"%1\" is being trained by process %2 on %3. Cancel it there first.")
                        .arg(fromStd(run.name), QString::number(run.lease->pid), fromStd(run.lease->host)),
                    MessageKind::Error);
        return false;
    }
    if (run.status == ts::RunStatus::Pending) {
        const auto answer = Dialogs::question(
            this, tr("Resume Run"),
            tr("\"%1\" is marked as %2. Resume it only if nothing is training it any more (for example, Tunesmith "
               "was closed while it ran); a command-line run that is still going would be disturbed.\n\nResume it?")
                .arg(fromStd(run.name), RunsModel::statusText(run.status)),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return false;
    }
    // A run whose checkpoint files are gone (a copy made without them, files deleted) would start again from step 0:
    // that is asked, never done silently. A few rows on the page's own reader and a file check per checkpoint.
    auto reader = m_project->viewReader();
    auto point = reader ? ts::findResumePoint(**reader, m_project->path(), run.id)
                        : ts::Expected<ts::ResumePoint>(reader.error());
    if (!point) {
        showMessage(
            tr("Cannot read the checkpoints of \"%1\": %2").arg(fromStd(run.name), fromStd(point.error().message)),
            MessageKind::Error);
        return false;
    }
    if (!point->checkpointDir) {
        const QString name = run.name.empty() ? tr("Run %1").arg(run.id) : tr("Run '%1'").arg(fromStd(run.name));
        const QString why = point->recordedCheckpoints > 0
            ? tr("%1 has no checkpoint to resume from (its files are not in %2).")
                  .arg(name, QDir::toNativeSeparators(fromPath(point->expectedFolder.parent_path())))
            : tr("%1 has no checkpoint to resume from (it stopped before saving its first one).").arg(name);
        const auto answer = Dialogs::question(this, tr("Resume Run"), tr("%1 Start it again from step 0?").arg(why),
                                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel,
                                              {{QMessageBox::Yes, tr("Start Again")}});
        if (answer != QMessageBox::Yes) {
            showMessage(tr("Not resumed: %1").arg(why), MessageKind::Info);
            return false;
        }
    }
    ts::TrainJobParams params;
    params.project = m_project;
    params.restartWithoutCheckpoint = !point->checkpointDir;
    QString modelDir = modelDirOfRun(run);
    if (modelDir.isEmpty())
        modelDir = m_model->modelDir();
    params.modelDir = toPath(modelDir);
    // The run's stored settings win over these (TrainJobParams::resumeRunId).
    QString error;
    const auto stored = configOfRun(run, &error);
    params.config = stored.value_or(m_settings->config().value_or(ts::TrainConfig {}));
    params.runName = run.name;
    params.resumeRunId = run.id;
    const bool restart = params.restartWithoutCheckpoint;
    const bool started = launch(std::move(params), stored ? stored->maxSteps : 0,
                                restart ? tr("Starting again from step 0") : tr("Resuming"));
    if (started) {
        m_activeRunId = run.id;
        m_runs->setChecked(run.id, true);
    }
    return started;
}

bool TrainingPage::launch(ts::TrainJobParams params, int64_t totalSteps, const QString& what)
{
    auto steps = std::make_shared<StepShared>();
    params.onStep = [steps](const ts::TrainStepLog& log) {
        std::lock_guard<std::mutex> lock(steps->mutex);
        steps->latest = log;
        steps->fresh = true;
    };
    auto job = std::make_shared<ts::TrainJob>(std::move(params));
    const quint64 jobId = m_jobs.start(job);
    if (!jobId) {
        showMessage(tr("The training job could not be started."), MessageKind::Error);
        return false;
    }
    m_job = job;
    m_jobId = jobId;
    m_steps = steps;
    m_cancelRequested = false;
    m_activeRunId = 0;
    m_progress->start(totalSteps);
    showMessage(tr("%1… The charts follow the run as it writes its metrics.").arg(what), MessageKind::Info);
    m_tabs->setCurrentIndex(ChartsTab);
    m_uiTimer.start();
    updateActions();
    emit statusMessage(tr("Training started."));
    return true;
}

bool TrainingPage::useSettingsOfSelectedRun()
{
    const ts::Run* run = selectedRun();
    if (!run || isTraining())
        return false;
    QString error;
    const auto config = configOfRun(*run, &error);
    if (!config) {
        showMessage(tr("The settings of \"%1\" cannot be used: %2").arg(fromStd(run->name), error), MessageKind::Error);
        return false;
    }
    const QString name = fromStd(run->name);
    const QString modelDir = modelDirOfRun(*run);
    m_settings->setConfig(*config);
    if (!modelDir.isEmpty())
        m_model->setModelDir(modelDir);
    showMessage(tr("Loaded the settings of \"%1\".").arg(name), MessageKind::Info);
    return true;
}

void TrainingPage::cancelTraining()
{
    if (!m_job || m_cancelRequested)
        return;
    m_cancelRequested = true;
    m_jobs.cancel(m_jobId);
    showMessage(tr("Cancelling after the current step; a checkpoint is saved so the run can be resumed."),
                MessageKind::Info);
    updateActions();
}

void TrainingPage::onUiTick()
{
    if (!m_job)
        return;
    const qint64 runId = m_job->runId();
    if (runId != 0 && runId != m_activeRunId) {
        // The run exists now: plot it at once (before the next listing shows it) and select it.
        m_activeRunId = runId;
        m_runs->setChecked(runId, true);
        const int row = m_runs->rowOf(runId);
        if (row >= 0)
            m_runList->setCurrentIndex(m_runs->index(row, RunsModel::NameColumn));
        m_feed->pollNow();
    }
    std::optional<ts::TrainStepLog> log;
    {
        std::lock_guard<std::mutex> lock(m_steps->mutex);
        if (m_steps->fresh) {
            log = m_steps->latest;
            m_steps->fresh = false;
        }
    }
    if (log)
        m_progress->update(*log);
}

void TrainingPage::onJobProgress(quint64 jobId, qint64 done, qint64 total, const QString& message)
{
    if (!m_job || jobId != m_jobId)
        return;
    m_progress->setPhase(message);
    m_progress->setJobProgress(done, total);
}

void TrainingPage::onJobsChanged()
{
    if (!m_job)
        return;
    if (auto view = m_jobs.job(m_jobId); view && view->state == ts::JobState::Queued)
        m_progress->setPhase(tr("Waiting for %1, which another job is using…").arg(view->waitingFor));
}

void TrainingPage::onJobFinished(quint64 jobId, bool ok, const QString& error, bool cancelled)
{
    if (!m_job || jobId != m_jobId)
        return; // another job
    onUiTick();
    auto job = std::move(m_job);
    m_jobId = 0;
    m_uiTimer.stop();
    const ts::TrainJobResult& result = job->result();
    const qint64 runId = job->runId() ? job->runId() : result.runId;
    if (runId)
        m_activeRunId = runId;
    const QLocale locale;
    QString text;
    QString shortText; // the footer's line; the banner above has the details
    if (ok && !result.cancelled) {
        text = tr("Training finished: %1 steps, final loss %2.")
                   .arg(locale.toString(qlonglong(result.steps)), locale.toString(result.finalLoss, 'f', 4));
        shortText = text;
        if (!result.outputDir.empty())
            text += QLatin1Char(' ') + tr("Saved to %1.").arg(QDir::toNativeSeparators(fromPath(result.outputDir)));
        showMessage(text, MessageKind::Success);
    } else if (cancelled || result.cancelled) {
        text = tr("Training cancelled after step %1. Select the run and press Resume to continue from its checkpoint.")
                   .arg(locale.toString(qlonglong(result.steps)));
        shortText = tr("Cancelled after step %1.").arg(locale.toString(qlonglong(result.steps)));
        showMessage(text, MessageKind::Info);
    } else {
        text = tr("Training failed: %1").arg(error);
        showMessage(text, MessageKind::Error);
        shortText = tr("Training failed.");
    }
    m_progress->finish(shortText);
    m_runTime->refreshMeasured(); // this run measured the machine
    m_cancelRequested = false;
    m_feed->pollNow();
    updateActions();
    emit statusMessage(text);
    emit trainingFinished(ok && !result.cancelled, cancelled || result.cancelled, runId);
}

} // namespace ts::ui
