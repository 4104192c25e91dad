// MainWindow: menus, the sidebar of pages, the welcome page and the open project's lifetime.
#pragma once

#include <memory>

#include <QMainWindow>

#include "bridge/project_closer.h"

class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QToolButton;
class QStackedWidget;
class QToolButton;
class QUndoStack;

namespace ts {
class Project;
} // namespace ts

namespace ts::ui {

class ExamplesPage;
class FileTask;
class FirstRunChecklist;
class JobController;
class JobsPanel;
class PromptLabPage;
class SyntheticPage;
class TrainingPage;
class WelcomePage;

// Every edit is saved as it is made (there is no Save and no unsaved state); Save As copies
// the project to a new file and continues in the copy.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum Page {
        ExamplesPageIndex,
        PromptLabPageIndex,
        DecisionPage,
        SyntheticPageIndex,
        TrainingPageIndex,
        EvaluationPage,
        ExportPage
    };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Errors (missing file, newer schema, corrupt file) are reported through the Dialogs seam. Opening and
    // Save As run on a pool thread (fileTask()) while the window stays responsive with its project actions
    // disabled; they return when done: false when they failed or were cancelled.
    bool openProject(const QString& path);
    bool createProject(const QString& path);
    bool saveProjectAs(const QString& path);
    // false when the user chose to keep a running job going.
    bool closeProject();

    ts::Project* project() const { return m_project.get(); }
    // The pages read the project just opened in the background (see ExamplesPage, PromptLabPage): true until they
    // show it.
    bool pagesLoading() const;
    ExamplesPage* examplesPage() const { return m_examples; }
    PromptLabPage* promptLabPage() const { return m_promptLab; }
    SyntheticPage* syntheticPage() const { return m_synthetic; }
    TrainingPage* trainingPage() const { return m_training; }
    QUndoStack* undoStack() const { return m_undoStack; }
    JobController* jobController() const { return m_jobs; }
    FileTask* fileTask() const { return m_fileTask; }
    QListWidget* sidebar() const { return m_sidebar; }
    QStackedWidget* pages() const { return m_pages; }
    WelcomePage* welcomePage() const { return m_welcome; }
    QMenu* recentMenu() const { return m_recentMenu; }
    // The folder "Open demo" builds the demo from (claims.jsonl, base-model/); defaults to $TUNESMITH_DEMO_DIR, the
    // installed copy, then the source tree's resources/demo (ts::demo::demoAssetFolders).
    void setDemoAssetsFolder(const QString& path) { m_demoAssetsFolder = path; }
    FirstRunChecklist* checklist() const { return m_checklist; }
    // View ▸ the pages in sidebar order, Ctrl+1 … Ctrl+7.
    const QList<QAction*>& pageActions() const { return m_pageActions; }
    // Where "Open demo" keeps its project; defaults to $TUNESMITH_DEMO_PROJECT (packaging/setup.sh sets it to the
    // demo it opens), else the application data folder.
    void setDemoProjectFile(const QString& path) { m_demoProjectFile = path; }

public slots:
    void newProject();
    void openProjectDialog();
    void saveAs();
    void openDemo();
    void showAbout();
    // Help ▸ Keyboard Shortcuts: every shortcut of the window, read from its actions when it opens.
    void showShortcuts();
    // Help ▸ Read the README: the installed (or source tree's) README in the desktop's viewer.
    void openReadme();
    // File ▸ Check Project Integrity: SQLite's full check in the background, its verdict in a dialog.
    void checkProjectIntegrity();
    void undo();
    void redo();

signals:
    void projectChanged();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void buildCentral();
    QString pageTitleOf(const QWidget* widget) const; // the sidebar title of the page holding `widget`, or ""
    void setProject(std::unique_ptr<ts::Project> project);
    void updateTitle();
    void updateActions();
    void refreshRecent();
    void rebuildRecentMenu();
    void onCountsChanged(qint64 total, int shown);
    void updateJobsStatus(); // the status bar's jobs button and progress bar
    void onJobFinished(quint64 jobId, bool ok, const QString& error, bool cancelled);
    bool stopRunningJobs(); // asks, then cancels every job and waits for them (the window keeps painting)
    QString normalizedProjectPath(const QString& path) const;
    void buildFileTaskStatus();
    void setFileTaskActive(bool active);

    ProjectCloser m_closer; // before m_project: destroyed after it, waiting for the closes in flight
    std::unique_ptr<ts::Project> m_project;
    QUndoStack* m_undoStack = nullptr;
    JobController* m_jobs = nullptr;

    QStackedWidget* m_root = nullptr;
    WelcomePage* m_welcome = nullptr;
    QWidget* m_workspace = nullptr;
    QListWidget* m_sidebar = nullptr;
    FirstRunChecklist* m_checklist = nullptr;
    QList<QAction*> m_pageActions;
    QStackedWidget* m_pages = nullptr;
    ExamplesPage* m_examples = nullptr;
    PromptLabPage* m_promptLab = nullptr;
    SyntheticPage* m_synthetic = nullptr;
    TrainingPage* m_training = nullptr;

    QMenu* m_recentMenu = nullptr;
    QAction* m_saveAsAction = nullptr;
    QAction* m_closeAction = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    QLabel* m_countLabel = nullptr;
    QToolButton* m_jobsButton = nullptr;
    QProgressBar* m_jobProgress = nullptr;
    JobsPanel* m_jobsPanel = nullptr;

    FileTask* m_fileTask = nullptr;
    QAction* m_checkIntegrityAction = nullptr;
    QProgressBar* m_fileTaskProgress = nullptr;
    QToolButton* m_fileTaskCancel = nullptr;
    QString m_fileTaskTitle;
    bool m_closeAfterFileTask = false;
    bool m_fileTaskLocksPages = true;
    bool m_fileTaskChained = false;

    QString m_demoAssetsFolder;
    QString m_demoProjectFile;
};

} // namespace ts::ui
