// ExamplesPage: the "Golden examples" page: filter row, examples table, side editor, import/export.
#pragma once

#include <QTimer>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTableView;
class QToolBar;
class QUndoCommand;
class QUndoStack;

namespace ts {
class Project;
}

namespace ts::ui {

class DatasetOverviewDialog;
class ExampleEditor;
class ExamplesModel;
class ExportDialog;
class ImportDialog;
class JobController;

class ExamplesPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExamplesPage)

public:
    static constexpr int kSearchDebounceMs = 200;
    static constexpr int kDeletedNoticeMs = 12000;

    ExamplesPage(QUndoStack& undoStack, JobController& jobs, QWidget* parent = nullptr);
    ~ExamplesPage() override;

    // The examples load in the background: the page says "Loading examples…" until loaded().
    void setProject(ts::Project* project);
    bool isLoading() const;
    ExamplesModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    ExampleEditor* editor() const { return m_editor; }
    QSplitter* splitter() const { return m_splitter; }
    // Actions for the Edit menu (separators are null entries).
    QList<QAction*> editActions() const;
    QAction* importAction() const { return m_importAction; }
    QAction* exportAction() const { return m_exportAction; }
    // Window-wide shortcuts of this page only fire while it is the current page.
    void setPageActive(bool active);

    // Pushes the side panel's pending text to the undo stack (before undo/redo, close, ...).
    void commitPendingEdits();
    // Import: asks for a file through the Dialogs seam when `file` is empty; returns the open
    // (window-modal) dialog, or nullptr when the user cancelled.
    ImportDialog* showImportDialog(const QString& file = {});
    ExportDialog* showExportDialog();
    // The dataset overview (splits, tags, token lengths, duplicates) of the whole project; it computes in the
    // background. Clicking a duplicate group there selects its rows here (filters are cleared first).
    DatasetOverviewDialog* showOverview();

    // What stands in the table's place when there is nothing to show ("" while the table is shown).
    QString emptyHintText() const;
    // "2 examples deleted — Undo": shown after a delete until the next change of the undo stack or a timeout.
    QString deletedNoticeText() const;

    // The rows that are selected in the view, ascending.
    std::vector<int> selectedRows() const;
    void selectIds(const std::vector<int64_t>& ids);

public slots:
    void addExample();
    void duplicateSelected();
    void deleteSelected();
    void setSplitOfSelected(int split); // ts::Split as int
    void addTagsToSelected();
    void applyFilter();

signals:
    // The project set by setProject() is shown: rows, counts, tags, and the first row selected.
    void loaded();
    void countsChanged(qint64 total, int shown);
    void statusMessage(const QString& message);

public:
    // Read-only while a job started outside this page (the demo's import) fills the examples; jobs that only
    // read them (training, A/B tests) leave the page editable.
    void setBusy(bool busy);

protected:
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildActions();
    void buildLayout();
    void updateActions();
    void updateCounts();
    void refreshTagFilter();
    void onCurrentRowChanged();
    void onLoaded();
    void updateEmptyHint();
    void showDeletedNotice(int count, const QUndoCommand* command);
    void hideDeletedNotice();
    void resetFilterWidgets(); // no search, all splits, all tags; without applying
    void clearFilters(); // resetFilterWidgets(), then the rows again

    QUndoStack& m_undoStack;
    JobController& m_jobs;
    ts::Project* m_project = nullptr;
    ExamplesModel* m_model = nullptr;
    bool m_busy = false;
    bool m_active = true;
    bool m_columnsFitted = false;

    QToolBar* m_toolBar = nullptr;
    QLineEdit* m_search = nullptr;
    QComboBox* m_splitFilter = nullptr;
    QComboBox* m_tagFilter = nullptr;
    QLabel* m_countLabel = nullptr;
    QTableView* m_view = nullptr;
    QStackedWidget* m_tableStack = nullptr; // the table, or the hint in its place
    QWidget* m_emptyHint = nullptr;
    QLabel* m_emptyTitle = nullptr;
    QLabel* m_emptyText = nullptr;
    QPushButton* m_emptyAddButton = nullptr;
    QPushButton* m_emptyImportButton = nullptr;
    QPushButton* m_emptyClearButton = nullptr;
    QWidget* m_deletedBar = nullptr;
    QLabel* m_deletedLabel = nullptr;
    const QUndoCommand* m_deletedCommand = nullptr; // the delete the bar offers to undo
    QTimer m_deletedTimer;
    ExampleEditor* m_editor = nullptr;
    QSplitter* m_splitter = nullptr;
    QTimer m_searchTimer;

    QAction* m_addAction = nullptr;
    QAction* m_duplicateAction = nullptr;
    QAction* m_deleteAction = nullptr;
    QMenu* m_splitMenu = nullptr;
    QAction* m_splitMenuAction = nullptr;
    QList<QAction*> m_splitActions;
    QAction* m_tagAction = nullptr;
    QAction* m_importAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_findAction = nullptr;
    QAction* m_overviewAction = nullptr;
};

} // namespace ts::ui
