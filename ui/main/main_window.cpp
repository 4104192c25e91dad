// MainWindow: File/Edit/Help menus, sidebar + page stack, welcome page, status bar, project open/create/save-as.
#include "main/main_window.h"

#include <filesystem>
#include <utility>
#include <vector>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>

#include "bridge/file_task.h"
#include "bridge/job_controller.h"
#include "bridge/path_conversion.h"
#include "demo/demo_project.h"
#include "dialogs/dialogs.h"
#include "examples/examples_model.h"
#include "examples/examples_page.h"
#include "main/first_run_checklist.h"
#include "main/jobs_panel.h"
#include "main/page_icons.h"
#include "main/readme_link.h"
#include "main/recent_projects.h"
#include "main/shortcuts_dialog.h"
#include "main/welcome_page.h"
#include "promptlab/prompt_lab_page.h"
#include "store/project.h"
#include "synth/synthetic_page.h"
#include "training/training_page.h"
#include "widgets/unbuilt_page.h"
#include "widgets/wheel_guard.h"

namespace ts::ui {

namespace {

const QString kProjectSuffix = QStringLiteral("tunesmith");

QString projectFilter()
{
    return MainWindow::tr("Tunesmith projects (*.tunesmith);;All files (*)");
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    WheelGuard::install(); // before the pages' fields are made and polished
    m_undoStack = new QUndoStack(this);
    m_jobs = new JobController(this);
    m_fileTask = new FileTask(this);
    buildCentral();
    buildActions();

    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("statusCount"));
    m_jobsButton = new QToolButton(this);
    m_jobsButton->setObjectName(QStringLiteral("jobsButton"));
    m_jobsButton->setAutoRaise(true);
    m_jobsButton->setToolTip(tr("Running and recent jobs (Ctrl+J)"));
    m_jobsButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    m_jobsPanel = new JobsPanel(*m_jobs, this);
    connect(m_jobsButton, &QToolButton::clicked, this, [this] { m_jobsPanel->popUpAbove(m_jobsButton); });
    m_jobProgress = new QProgressBar(this);
    m_jobProgress->setObjectName(QStringLiteral("jobProgress"));
    m_jobProgress->setMaximumWidth(180);
    m_jobProgress->setMaximumHeight(16);
    m_jobProgress->setTextVisible(false);
    statusBar()->addPermanentWidget(m_jobsButton);
    statusBar()->addPermanentWidget(m_jobProgress);
    statusBar()->addPermanentWidget(m_countLabel);
    m_jobsButton->setVisible(false);
    m_jobProgress->setVisible(false);
    buildFileTaskStatus();

    connect(m_examples, &ExamplesPage::countsChanged, this, &MainWindow::onCountsChanged);
    connect(m_examples, &ExamplesPage::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, 8000); });
    connect(m_training, &TrainingPage::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, 8000); });
    connect(m_promptLab, &PromptLabPage::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, 8000); });
    connect(m_synthetic, &SyntheticPage::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, 8000); });
    // Synthetic rows promoted to the training set (or the promotion undone): the Golden examples reload.
    connect(m_synthetic, &SyntheticPage::examplesChanged, this, [this] { m_examples->model()->reload(); });
    connect(m_jobs, &JobController::jobsChanged, this, &MainWindow::updateJobsStatus);
    connect(m_jobs, &JobController::progress, this, &MainWindow::updateJobsStatus);
    connect(m_jobs, &JobController::activeCountChanged, this, &MainWindow::updateActions);
    connect(m_jobs, &JobController::finished, this, &MainWindow::onJobFinished);

    resize(1280, 800);
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    m_examples->splitter()->restoreState(settings.value(QStringLiteral("examples/splitter")).toByteArray());
    setProject(nullptr);
}

MainWindow::~MainWindow()
{
    // No job may outlive the project it writes to, and no command the model it edits.
    m_jobs->cancelAllAndWait();
    m_undoStack->clear();
    m_examples->setProject(nullptr);
    m_promptLab->setProject(nullptr);
    m_synthetic->setProject(nullptr);
    m_training->setProject(nullptr);
    m_closer.close(std::move(m_project));
    m_closer.waitForClosed(); // callers may remove the file right after
    RecentProjects::waitForWrites();
}

bool MainWindow::pagesLoading() const
{
    return m_examples->isLoading() || m_promptLab->isLoading();
}

void MainWindow::buildCentral()
{
    m_root = new QStackedWidget(this);
    m_root->setObjectName(QStringLiteral("rootStack"));
    m_welcome = new WelcomePage(m_root);
    m_root->addWidget(m_welcome);

    m_workspace = new QWidget(m_root);
    m_workspace->setObjectName(QStringLiteral("workspace"));
    auto* layout = new QHBoxLayout(m_workspace);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_sidebar = new QListWidget(m_workspace);
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setSpacing(2);
    m_sidebar->setAutoFillBackground(true);
    m_sidebar->setBackgroundRole(QPalette::AlternateBase);

    m_pages = new QStackedWidget(m_workspace);
    m_pages->setObjectName(QStringLiteral("pageStack"));
    m_examples = new ExamplesPage(*m_undoStack, *m_jobs, m_pages);
    m_promptLab = new PromptLabPage(*m_jobs, m_pages);
    m_synthetic = new SyntheticPage(*m_jobs, *m_undoStack, m_pages);
    m_training = new TrainingPage(*m_jobs, m_pages);

    struct PageInfo
    {
        QString title;
        PageIcon icon;
        QString description;
    };
    const PageInfo pages[] = {
        {tr("Golden examples"), PageIcon::Examples, {}},
        {tr("Prompt lab"), PageIcon::PromptLab,
         tr("Run prompt variants (system prompt, few-shot picks, output format) against the eval split on one or "
            "more models, and compare their outputs side by side with scores, confidence intervals, latency, "
            "tokens and cost.")},
        {tr("Decision"), PageIcon::Decision,
         tr("Compare the monthly cost and measured quality of the best prompt on a frontier model with a "
            "fine-tuned small model, and show the break-even volume.")},
        {tr("Synthetic data"), PageIcon::Synthetic,
         tr("Grow the train split with Evol-Instruct using a teacher model, filter and de-duplicate the new rows, "
            "and let you review them before they join the training set.")},
        {tr("Training"), PageIcon::Training,
         tr("Fine-tune a local base model with QLoRA, with live loss, learning-rate and throughput plots, "
            "checkpoints, cancel and resume.")},
        {tr("Evaluation"), PageIcon::Evaluation,
         tr("Score the base model with the best prompt, the fine-tuned checkpoints and remote models on the test "
            "split, with deterministic metrics and judge scores per checkpoint.")},
        {tr("Export"), PageIcon::Export,
         tr("Export the adapter (PEFT or GGUF), a merged model and an Ollama Modelfile, and check the export "
            "against the engine.")},
    };
    for (const PageInfo& page : pages) {
        auto* item = new QListWidgetItem(pageIcon(page.icon, m_sidebar->palette()), page.title, m_sidebar);
        item->setSizeHint(QSize(0, 30));
        if (page.description.isEmpty())
            m_pages->addWidget(m_examples);
        else if (m_pages->count() == PromptLabPageIndex)
            m_pages->addWidget(m_promptLab);
        else if (m_pages->count() == SyntheticPageIndex)
            m_pages->addWidget(m_synthetic);
        else if (m_pages->count() == TrainingPageIndex)
            m_pages->addWidget(m_training);
        else
            m_pages->addWidget(new UnbuiltPage(page.title, page.description, m_pages));
    }
    // Below the pages: the first-run checklist, its steps linked to their pages.
    auto* sidebarColumn = new QWidget(m_workspace);
    sidebarColumn->setObjectName(QStringLiteral("sidebarColumn"));
    sidebarColumn->setAutoFillBackground(true);
    sidebarColumn->setBackgroundRole(QPalette::AlternateBase);
    auto* columnLayout = new QVBoxLayout(sidebarColumn);
    columnLayout->setContentsMargins(0, 0, 0, 6);
    columnLayout->setSpacing(6);
    columnLayout->addWidget(m_sidebar, 1);
    m_checklist = new FirstRunChecklist(
        {ExamplesPageIndex, PromptLabPageIndex, TrainingPageIndex, PromptLabPageIndex, DecisionPage}, sidebarColumn);
    columnLayout->addWidget(m_checklist);
    connect(m_checklist, &FirstRunChecklist::pageRequested, m_sidebar,
            [this](int page) { m_sidebar->setCurrentRow(page); });
    const int sidebarWidth = m_sidebar->sizeHintForColumn(0) + 24;
    sidebarColumn->setFixedWidth(std::max(sidebarWidth, 170));

    auto* line = new QFrame(m_workspace);
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Sunken);
    layout->addWidget(sidebarColumn);
    layout->addWidget(line);
    layout->addWidget(m_pages, 1);
    m_root->addWidget(m_workspace);
    setCentralWidget(m_root);

    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0)
            return;
        m_examples->commitPendingEdits();
        m_pages->setCurrentIndex(row);
        m_examples->setPageActive(row == ExamplesPageIndex);
        m_promptLab->setPageActive(row == PromptLabPageIndex);
        m_synthetic->setPageActive(row == SyntheticPageIndex);
        m_training->setPageActive(row == TrainingPageIndex);
        m_checklist->refresh();
    });
    m_sidebar->setCurrentRow(ExamplesPageIndex);

    connect(m_welcome, &WelcomePage::newRequested, this, &MainWindow::newProject);
    connect(m_welcome, &WelcomePage::openRequested, this, &MainWindow::openProjectDialog);
    connect(m_welcome, &WelcomePage::openDemoRequested, this, &MainWindow::openDemo);
    connect(m_welcome, &WelcomePage::openRecentRequested, this, &MainWindow::openProject);
}

void MainWindow::buildActions()
{
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* newAction = fileMenu->addAction(tr("&New Project…"), this, &MainWindow::newProject);
    newAction->setObjectName(QStringLiteral("newAction"));
    newAction->setShortcut(QKeySequence::New);
    QAction* openAction = fileMenu->addAction(tr("&Open Project…"), this, &MainWindow::openProjectDialog);
    openAction->setObjectName(QStringLiteral("openAction"));
    openAction->setShortcut(QKeySequence::Open);
    m_recentMenu = fileMenu->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    QAction* demoAction = fileMenu->addAction(tr("Open &Demo Project"), this, &MainWindow::openDemo);
    demoAction->setObjectName(QStringLiteral("demoAction"));
    fileMenu->addSeparator();
    m_saveAsAction = fileMenu->addAction(tr("Save &As…"), this, &MainWindow::saveAs);
    m_saveAsAction->setObjectName(QStringLiteral("saveAsAction"));
    m_saveAsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_checkIntegrityAction
        = fileMenu->addAction(tr("Check Project &Integrity…"), this, &MainWindow::checkProjectIntegrity);
    m_checkIntegrityAction->setObjectName(QStringLiteral("checkIntegrityAction"));
    connect(this, &MainWindow::projectChanged, this,
            [this] { m_checkIntegrityAction->setEnabled(m_project && !m_fileTask->isRunning()); });
    m_closeAction = fileMenu->addAction(tr("&Close Project"), this, &MainWindow::closeProject);
    m_closeAction->setObjectName(QStringLiteral("closeAction"));
    m_closeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
    fileMenu->addSeparator();
    QAction* quitAction = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quitAction->setObjectName(QStringLiteral("quitAction"));
    quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quitAction->setMenuRole(QAction::QuitRole);

    QMenu* editMenu = menuBar()->addMenu(tr("&Edit"));
    m_undoAction = editMenu->addAction(tr("&Undo"), this, &MainWindow::undo);
    m_undoAction->setObjectName(QStringLiteral("undoAction"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction = editMenu->addAction(tr("&Redo"), this, &MainWindow::redo);
    m_redoAction->setObjectName(QStringLiteral("redoAction"));
    // Ctrl+Shift+Z and Ctrl+Y on every platform, each once: QKeySequence::Redo is Ctrl+Shift+Z on Linux, and the
    // same sequence twice is an ambiguous shortcut that triggers nothing.
    QList<QKeySequence> redoKeys {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)};
    for (const QKeySequence& platform : QKeySequence::keyBindings(QKeySequence::Redo))
        if (!redoKeys.contains(platform))
            redoKeys << platform;
    m_redoAction->setShortcuts(redoKeys);
    connect(m_undoStack, &QUndoStack::undoTextChanged, this, [this](const QString& text) {
        m_undoAction->setText(text.isEmpty() ? tr("&Undo") : tr("&Undo %1").arg(text));
    });
    connect(m_undoStack, &QUndoStack::redoTextChanged, this, [this](const QString& text) {
        m_redoAction->setText(text.isEmpty() ? tr("&Redo") : tr("&Redo %1").arg(text));
    });
    connect(m_undoStack, &QUndoStack::canUndoChanged, this, &MainWindow::updateActions);
    connect(m_undoStack, &QUndoStack::canRedoChanged, this, &MainWindow::updateActions);
    editMenu->addSeparator();
    for (QAction* action : m_examples->editActions()) {
        if (action)
            editMenu->addAction(action);
        else
            editMenu->addSeparator();
    }

    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->setObjectName(QStringLiteral("viewMenu"));
    for (int row = 0; row < m_sidebar->count(); ++row) {
        QAction* action = viewMenu->addAction(m_sidebar->item(row)->icon(), m_sidebar->item(row)->text(), this,
                                              [this, row] { m_sidebar->setCurrentRow(row); });
        action->setObjectName(QStringLiteral("showPage%1Action").arg(row + 1));
        if (row < 9)
            action->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + row)));
        m_pageActions << action;
    }

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction* shortcutsAction = helpMenu->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    shortcutsAction->setObjectName(QStringLiteral("shortcutsAction"));
    shortcutsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    QAction* readmeAction = helpMenu->addAction(tr("Read the &README"), this, &MainWindow::openReadme);
    readmeAction->setObjectName(QStringLiteral("readmeAction"));
    helpMenu->addSeparator();
    QAction* aboutAction = helpMenu->addAction(tr("&About Tunesmith"), this, &MainWindow::showAbout);
    aboutAction->setObjectName(QStringLiteral("aboutAction"));
    aboutAction->setMenuRole(QAction::AboutRole);
}

void MainWindow::updateTitle()
{
    if (m_project)
        setWindowTitle(tr("%1 — Tunesmith").arg(QFileInfo(fromPath(m_project->path())).fileName()));
    else
        setWindowTitle(tr("Tunesmith"));
}

void MainWindow::updateActions()
{
    // Jobs run alongside editing: undo, redo and Save As stay available while they run.
    const bool open = m_project != nullptr;
    m_saveAsAction->setEnabled(open);
    m_closeAction->setEnabled(open);
    m_undoAction->setEnabled(open && m_undoStack->canUndo());
    for (QAction* action : m_pageActions)
        action->setEnabled(open);
    m_redoAction->setEnabled(open && m_undoStack->canRedo());
}

void MainWindow::refreshRecent()
{
    m_welcome->setRecentProjects(RecentProjects::list());
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList paths = RecentProjects::list();
    const QStringList labels = RecentProjects::labels(paths);
    for (int i = 0; i < paths.size(); ++i) {
        const QString path = paths[i];
        QAction* action = m_recentMenu->addAction(labels[i], this, [this, path] { openProject(path); });
        action->setToolTip(QDir::toNativeSeparators(path));
        action->setStatusTip(QDir::toNativeSeparators(path));
    }
    if (paths.isEmpty())
        m_recentMenu->addAction(tr("No recent projects"))->setEnabled(false);
    m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("&Clear List"), this, [this] {
        RecentProjects::clear();
        refreshRecent();
    });
    clear->setObjectName(QStringLiteral("clearRecentAction"));
    clear->setEnabled(!paths.isEmpty());
}

void MainWindow::setProject(std::unique_ptr<ts::Project> project)
{
    m_examples->commitPendingEdits();
    m_undoStack->clear();
    m_examples->setProject(nullptr);
    m_promptLab->setProject(nullptr);
    m_synthetic->setProject(nullptr);
    m_training->setProject(nullptr);
    m_checklist->setProject(nullptr);
    // Nothing uses the old project any more: its close (a WAL checkpoint) runs on the closer's thread.
    m_closer.close(std::exchange(m_project, std::move(project)));
    m_examples->setProject(m_project.get());
    m_promptLab->setProject(m_project.get());
    m_synthetic->setProject(m_project.get());
    m_training->setProject(m_project.get());
    m_checklist->setProject(m_project.get());
    m_root->setCurrentWidget(m_project ? m_workspace : m_welcome);
    if (m_project) {
        RecentProjects::add(fromPath(m_project->path()));
        m_sidebar->setCurrentRow(ExamplesPageIndex);
        m_examples->view()->setFocus();
    } else {
        m_countLabel->clear();
    }
    refreshRecent();
    updateTitle();
    updateActions();
    emit projectChanged();
}

QString MainWindow::normalizedProjectPath(const QString& path) const
{
    QFileInfo info(path);
    if (info.suffix().isEmpty())
        return info.absoluteFilePath() + QLatin1Char('.') + kProjectSuffix;
    return info.absoluteFilePath();
}

bool MainWindow::stopRunningJobs()
{
    const QStringList titles = m_jobs->activeTitles();
    if (titles.isEmpty())
        return true;
    const QString question = titles.size() == 1 ? tr("\"%1\" is still running. Cancel it?").arg(titles.front())
                                                : tr("%1 jobs are still running:\n\n%2\n\nCancel them?")
                                                      .arg(titles.size())
                                                      .arg(QStringLiteral("• ") + titles.join(QStringLiteral("\n• ")));
    const auto answer = Dialogs::question(this, titles.size() == 1 ? tr("Job Running") : tr("Jobs Running"), question,
                                          QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes)
        return false;
    // Jobs check for cancellation at every step (a training run saves a checkpoint, an import rolls back); the
    // window keeps painting while they stop.
    statusBar()->showMessage(titles.size() == 1 ? tr("Stopping \"%1\"…").arg(titles.front())
                                                : tr("Stopping %1 jobs…").arg(titles.size()));
    m_jobs->stopAll();
    statusBar()->clearMessage();
    return true;
}

bool MainWindow::openProject(const QString& path)
{
    if (path.isEmpty())
        return false;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (m_project && QFileInfo(fromPath(m_project->path())).absoluteFilePath() == absolute)
        return true;
    if (!QFileInfo::exists(absolute)) {
        Dialogs::critical(this, tr("Cannot Open Project"),
                          tr("%1 does not exist.").arg(QDir::toNativeSeparators(absolute)));
        RecentProjects::remove(absolute);
        refreshRecent();
        return false;
    }
    if (m_fileTask->isRunning() || !stopRunningJobs())
        return false;
    // The quick check, a migration's backup copy and the migration read the whole file: off the GUI thread.
    auto opened = std::make_shared<ts::Expected<std::unique_ptr<ts::Project>>>(ts::Error {"the open did not run"});
    m_fileTask->runAndWait(tr("Opening %1…").arg(QFileInfo(absolute).fileName()),
                           [file = toPath(absolute), opened, closer = &m_closer](const ts::CancelToken& cancel,
                                                                                 ts::ProgressSink& progress) {
                               closer->waitForClosed(); // a project being closed may be this very file
                               *opened = ts::Project::open(file, cancel, progress);
                           });
    if (!*opened && opened->error().kind == ts::ErrorKind::Cancelled) {
        statusBar()->showMessage(tr("Opening %1 was cancelled.").arg(QFileInfo(absolute).fileName()), 8000);
        return false;
    }
    if (!*opened) {
        Dialogs::critical(this, tr("Cannot Open Project"),
                          tr("Tunesmith could not open %1.\n\n%2")
                              .arg(QDir::toNativeSeparators(absolute), fromStd(opened->error().message)));
        return false;
    }
    std::unique_ptr<ts::Project> project = std::move(**opened);
    const QString backup = fromPath(project->migrationBackup());
    setProject(std::move(project));
    if (!backup.isEmpty())
        statusBar()->showMessage(
            tr("The project was upgraded to the current format; the old file was kept as %1.").arg(backup));
    return true;
}

bool MainWindow::createProject(const QString& path)
{
    const QString target = normalizedProjectPath(path);
    if (QFileInfo::exists(target)) {
        Dialogs::warning(this, tr("New Project"),
                         tr("%1 already exists. Choose another name, or open it with File ▸ Open Project.")
                             .arg(QDir::toNativeSeparators(target)));
        return false;
    }
    if (!stopRunningJobs())
        return false;
    auto created = ts::Project::create(toPath(target));
    if (!created) {
        Dialogs::critical(this, tr("New Project"),
                          tr("Tunesmith could not create %1.\n\n%2")
                              .arg(QDir::toNativeSeparators(target), fromStd(created.error().message)));
        return false;
    }
    setProject(std::move(*created));
    return true;
}

bool MainWindow::saveProjectAs(const QString& path)
{
    if (!m_project)
        return false;
    const QString target = normalizedProjectPath(path);
    if (QFileInfo(target) == QFileInfo(fromPath(m_project->path())))
        return true;
    if (QFileInfo::exists(target)) {
        Dialogs::warning(this, tr("Save Project As"),
                         tr("%1 already exists. Choose another name.").arg(QDir::toNativeSeparators(target)));
        return false;
    }
    if (m_fileTask->isRunning())
        return false;
    m_examples->commitPendingEdits();
    // The copy reads a snapshot on a connection of its own, on a pool thread; the project stays open meanwhile
    // (its actions are disabled until the copy is done).
    auto saved = std::make_shared<ts::Status>(ts::Error {"the copy did not run"});
    m_fileTaskChained = true;
    m_fileTask->runAndWait(tr("Saving a copy as %1…").arg(QFileInfo(target).fileName()),
                           [project = m_project.get(), file = toPath(target), saved](const ts::CancelToken& cancel,
                                                                                     ts::ProgressSink& progress) {
                               *saved = project->saveAs(file, cancel, progress);
                           });
    m_fileTaskChained = false;
    if (!*saved) {
        // No open follows: finish the task's status as its end would have.
        m_fileTaskProgress->setVisible(false);
        m_fileTaskCancel->setVisible(false);
        setFileTaskActive(false);
    }
    if (!*saved && saved->error().kind == ts::ErrorKind::Cancelled) {
        statusBar()->showMessage(tr("Save As was cancelled; no copy was made."), 8000);
        return false;
    }
    if (!*saved) {
        Dialogs::critical(this, tr("Save Project As"),
                          tr("Tunesmith could not save a copy to %1.\n\n%2")
                              .arg(QDir::toNativeSeparators(target), fromStd(saved->error().message)));
        return false;
    }
    RecentProjects::add(target);
    refreshRecent();
    if (m_jobs->activeCount() > 0) {
        // Moving to the copy would stop the jobs (they write to this file): stay, and say where the copy is.
        m_fileTaskProgress->setVisible(false);
        m_fileTaskCancel->setVisible(false);
        setFileTaskActive(false);
        statusBar()->showMessage(tr("Saved a copy as %1. Jobs are running here, so you stay in this project; open the "
                                    "copy from File ▸ Open Recent.")
                                     .arg(QFileInfo(target).fileName()),
                                 15000);
        return true;
    }
    if (!openProject(target))
        return false;
    statusBar()->showMessage(
        tr("Saved a copy as %1; you are now working in the copy.").arg(QFileInfo(target).fileName()), 8000);
    return true;
}

bool MainWindow::closeProject()
{
    if (!m_project)
        return true;
    if (!stopRunningJobs())
        return false;
    setProject(nullptr);
    return true;
}

void MainWindow::newProject()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = Dialogs::getSaveFileName(this, tr("New Project"),
                                                  dir + QStringLiteral("/untitled.") + kProjectSuffix, projectFilter());
    if (!path.isEmpty())
        createProject(path);
}

void MainWindow::openProjectDialog()
{
    const QString dir = m_project ? QFileInfo(fromPath(m_project->path())).absolutePath()
                                  : QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = Dialogs::getOpenFileName(this, tr("Open Project"), dir, projectFilter());
    if (!path.isEmpty())
        openProject(path);
}

void MainWindow::saveAs()
{
    if (!m_project)
        return;
    const QFileInfo current(fromPath(m_project->path()));
    const QString path = Dialogs::getSaveFileName(this, tr("Save Project As"),
                                                  current.absolutePath() + QLatin1Char('/') + current.completeBaseName()
                                                      + tr("-copy") + QLatin1Char('.') + kProjectSuffix,
                                                  projectFilter());
    if (!path.isEmpty())
        saveProjectAs(path);
}

void MainWindow::openDemo()
{
    QString projectFile = m_demoProjectFile;
    if (projectFile.isEmpty())
        projectFile = qEnvironmentVariable("TUNESMITH_DEMO_PROJECT");
    if (projectFile.isEmpty())
        projectFile = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QLatin1Char('/')
            + fromStd(std::string(ts::demo::kDemoProjectFileName));
    projectFile = QFileInfo(projectFile).absoluteFilePath();
    if (m_project && QFileInfo(fromPath(m_project->path())).absoluteFilePath() == projectFile)
        return;
    if (m_fileTask->isRunning() || !stopRunningJobs())
        return;
    std::vector<std::filesystem::path> folders;
    if (!m_demoAssetsFolder.isEmpty())
        folders.push_back(toPath(m_demoAssetsFolder));
    else
        folders = ts::demo::demoAssetFolders(toPath(QCoreApplication::applicationDirPath()), TUNESMITH_SOURCE_DEMO_DIR);
    // The same builder as `tunesmith-cli demo` (examples, base model, local-demo endpoint, starter variants), off the
    // GUI thread; an existing demo keeps its edits and only gets what it lacks.
    auto built = std::make_shared<ts::Expected<ts::demo::DemoProjectReport>>(ts::Error {"the demo was not built"});
    m_fileTask->runAndWait(tr("Preparing the demo project…"),
                           [file = toPath(projectFile), folders, built,
                            closer = &m_closer](const ts::CancelToken& cancel, ts::ProgressSink& progress) {
                               closer->waitForClosed(); // a project being closed may be the demo itself
                               auto assets = ts::demo::findDemoAssets(folders);
                               if (!assets) {
                                   *built = assets.error();
                                   return;
                               }
                               *built = ts::demo::ensureDemoProject(file, *assets, cancel, progress);
                           });
    if (!*built) {
        if (built->error().kind == ts::ErrorKind::Cancelled)
            statusBar()->showMessage(tr("Making the demo project was cancelled."), 8000);
        else
            Dialogs::critical(this, tr("Open Demo"),
                              tr("The demo project could not be made.\n\n%1").arg(fromStd(built->error().message)));
        return;
    }
    if (openProject(projectFile))
        statusBar()->showMessage(
            (*built)->created ? tr("Made and opened the demo project.") : tr("Opened the demo project."), 8000);
}

void MainWindow::onJobFinished(quint64 jobId, bool ok, const QString& error, bool cancelled)
{
    // A job whose page is not in view says how it ended here too.
    if (!ok && !cancelled)
        statusBar()->showMessage(tr("\"%1\" failed: %2").arg(m_jobs->title(jobId), error), 15000);
}

void MainWindow::updateJobsStatus()
{
    const QList<JobView> jobs = m_jobs->jobs();
    QList<JobView> active;
    for (const JobView& job : jobs)
        if (ts::isActive(job.state))
            active << job;
    m_jobsButton->setVisible(!jobs.isEmpty());
    m_jobProgress->setVisible(!active.isEmpty());
    if (active.isEmpty()) {
        m_jobsButton->setText(tr("Jobs"));
        return;
    }
    if (active.size() == 1) {
        const JobView& job = active.front();
        m_jobsButton->setText(job.state == ts::JobState::Queued ? tr("%1 (waiting)").arg(job.title) : job.title);
    } else {
        m_jobsButton->setText(tr("%1 jobs running").arg(active.size()));
    }
    // One bar for all: the mean of the fractions known; busy (no fraction) while none is known.
    double sum = 0;
    int known = 0;
    for (const JobView& job : active)
        if (job.state == ts::JobState::Running && job.total > 0) {
            sum += static_cast<double>(job.done) / static_cast<double>(job.total);
            ++known;
        }
    if (known == 0) {
        m_jobProgress->setRange(0, 0);
    } else {
        m_jobProgress->setRange(0, 1000);
        m_jobProgress->setValue(static_cast<int>(1000 * sum / known));
    }
}

void MainWindow::onCountsChanged(qint64 total, int shown)
{
    if (!m_project) {
        m_countLabel->clear();
        return;
    }
    const QLocale locale;
    if (total == shown)
        m_countLabel->setText(total == 1 ? tr("1 example") : tr("%1 examples").arg(locale.toString(total)));
    else
        m_countLabel->setText(tr("%1 examples (%2 shown)").arg(locale.toString(total), locale.toString(shown)));
}

void MainWindow::undo()
{
    m_examples->commitPendingEdits();
    m_undoStack->undo();
}

void MainWindow::redo()
{
    m_examples->commitPendingEdits();
    m_undoStack->redo();
}

void MainWindow::buildFileTaskStatus()
{
    m_fileTaskProgress = new QProgressBar(this);
    m_fileTaskProgress->setObjectName(QStringLiteral("fileTaskProgress"));
    m_fileTaskProgress->setMaximumWidth(180);
    m_fileTaskProgress->setMaximumHeight(16);
    m_fileTaskCancel = new QToolButton(this);
    m_fileTaskCancel->setObjectName(QStringLiteral("fileTaskCancel"));
    m_fileTaskCancel->setText(tr("Cancel"));
    m_fileTaskCancel->setAutoRaise(true);
    statusBar()->addPermanentWidget(m_fileTaskProgress);
    statusBar()->addPermanentWidget(m_fileTaskCancel);
    m_fileTaskProgress->setVisible(false);
    m_fileTaskCancel->setVisible(false);
    connect(m_fileTaskCancel, &QToolButton::clicked, m_fileTask, &FileTask::cancel);
    connect(m_fileTask, &FileTask::started, this, [this](const QString& title) {
        m_fileTaskProgress->setRange(0, 0);
        m_fileTaskProgress->setVisible(true);
        m_fileTaskCancel->setVisible(true);
        m_fileTaskTitle = title;
        statusBar()->showMessage(title);
        setFileTaskActive(true);
    });
    connect(m_fileTask, &FileTask::progress, this, [this](qint64 done, qint64 total, const QString& message) {
        if (total > 0) {
            m_fileTaskProgress->setRange(0, 1000);
            m_fileTaskProgress->setValue(static_cast<int>(1000 * done / total));
            statusBar()->showMessage(tr("%1 %2: %3%").arg(m_fileTaskTitle, message).arg(100 * done / total));
        } else {
            m_fileTaskProgress->setRange(0, 0);
            statusBar()->showMessage(tr("%1 %2…").arg(m_fileTaskTitle, message));
        }
    });
    connect(m_fileTask, &FileTask::finished, this, [this] {
        if (m_fileTaskChained)
            return; // another task follows at once (Save As, then open the copy): stay as we are
        m_fileTaskProgress->setVisible(false);
        m_fileTaskCancel->setVisible(false);
        statusBar()->clearMessage();
        setFileTaskActive(false);
        if (m_closeAfterFileTask)
            QTimer::singleShot(0, this, &QWidget::close);
    });
}

void MainWindow::setFileTaskActive(bool active)
{
    // While a file task runs, nothing may switch, copy, close or edit the project.
    for (const char* name : {"newAction", "openAction", "demoAction"})
        if (auto* action = findChild<QAction*>(QLatin1String(name)))
            action->setEnabled(!active);
    m_recentMenu->setEnabled(!active);
    m_welcome->setEnabled(!active);
    // An open or a copy switches projects at its end: edits made meanwhile would be lost, so the pages wait.
    // The integrity check reads a snapshot and leaves the pages usable.
    m_workspace->setEnabled(!active || !m_fileTaskLocksPages);
    if (active) {
        for (QAction* action : {m_saveAsAction, m_closeAction, m_undoAction, m_redoAction, m_checkIntegrityAction})
            action->setEnabled(false);
        return;
    }
    updateActions();
    m_checkIntegrityAction->setEnabled(m_project != nullptr);
}

void MainWindow::checkProjectIntegrity()
{
    if (!m_project || m_fileTask->isRunning())
        return;
    const QString name = QFileInfo(fromPath(m_project->path())).fileName();
    m_fileTaskLocksPages = false;
    auto report = std::make_shared<ts::Expected<ts::IntegrityReport>>(ts::Error {"the check did not run"});
    m_fileTask->runAndWait(
        tr("Checking the integrity of %1…").arg(name),
        [file = m_project->path(), report](const ts::CancelToken& cancel, ts::ProgressSink& progress) {
            *report = ts::Project::checkIntegrity(file, cancel, progress);
        });
    m_fileTaskLocksPages = true;
    const QString title = tr("Check Project Integrity");
    if (!*report && report->error().kind == ts::ErrorKind::Cancelled) {
        statusBar()->showMessage(tr("The integrity check of %1 was cancelled.").arg(name), 8000);
        return;
    }
    if (!*report) {
        Dialogs::critical(this, title,
                          tr("Tunesmith could not check %1.\n\n%2").arg(name, fromStd(report->error().message)));
        return;
    }
    if ((*report)->ok()) {
        Dialogs::information(this, title,
                             tr("%1 passed SQLite's full integrity check: every page and every index is sound.")
                                 .arg(QDir::toNativeSeparators(fromPath(m_project->path()))));
        return;
    }
    Dialogs::critical(
        this, title,
        tr("%1\n\nKeep a copy of the file as it is before you change it further.").arg(fromStd((*report)->summary())));
}

void MainWindow::showAbout()
{
    Dialogs::about(
        this, tr("About Tunesmith"),
        tr("<h3>Tunesmith %1</h3>"
           "<p>A workbench for deciding between a better prompt and a fine-tuned model: curate golden examples, "
           "compare prompt variants, fine-tune small models with QLoRA and evaluate them with measured "
           "numbers.</p>")
            .arg(QApplication::applicationVersion()));
}

QString MainWindow::pageTitleOf(const QWidget* widget) const
{
    for (const QWidget* w = widget; w; w = w->parentWidget()) {
        const int index = m_pages->indexOf(const_cast<QWidget*>(w));
        if (w->parentWidget() == m_pages && index >= 0)
            return m_sidebar->item(index)->text();
    }
    return {};
}

void MainWindow::showShortcuts()
{
    auto* dialog = new ShortcutsDialog(
        collectShortcuts(this, [this](const QWidget* widget) { return pageTitleOf(widget); }), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::openReadme()
{
    const QString path = readmePath();
    if (path.isEmpty()) {
        Dialogs::information(this, tr("Read the README"),
                             tr("The README is not installed with this copy of Tunesmith. It is README.md at the top "
                                "of the source tree."));
        return;
    }
    if (!openExternalUrl(QUrl::fromLocalFile(path)))
        Dialogs::warning(this, tr("Read the README"),
                         tr("No application opened %1. Open it with a text editor or a Markdown viewer.")
                             .arg(QDir::toNativeSeparators(path)));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_fileTask->isRunning()) {
        // Stop the open / copy / check first (a partial copy is removed); the window closes when it has.
        m_closeAfterFileTask = true;
        m_fileTask->cancel();
        event->ignore();
        return;
    }
    if (!stopRunningJobs()) {
        event->ignore();
        return;
    }
    m_examples->commitPendingEdits();
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("examples/splitter"), m_examples->splitter()->saveState());
    event->accept();
}

} // namespace ts::ui
