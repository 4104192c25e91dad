// ExamplesPage: wires the examples model, view, side editor, filters, undoable actions and import/export.
#include "examples/examples_page.h"

#include <algorithm>

#include <QAction>
#include <QComboBox>
#include <QDate>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QShowEvent>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include "bridge/job_controller.h"
#include "bridge/path_conversion.h"
#include "dialogs/dialogs.h"
#include "examples/dataset_overview_dialog.h"
#include "examples/example_editor.h"
#include "examples/examples_delegate.h"
#include "examples/examples_model.h"
#include "examples/export_dialog.h"
#include "examples/import_dialog.h"
#include "examples/undo/delete_examples_command.h"
#include "examples/undo/import_examples_command.h"
#include "examples/undo/insert_examples_command.h"
#include "examples/undo/set_split_command.h"
#include "examples/undo/set_tags_command.h"
#include "store/project.h"

namespace ts::ui {

namespace {

QIcon themed(const char* name, QStyle::StandardPixmap fallback, const QWidget* widget)
{
    return QIcon::fromTheme(QLatin1String(name), widget->style()->standardIcon(fallback, nullptr, widget));
}

// "Insert or Ctrl+Shift+N": the shortcuts of an action as the user types them.
QString shortcutText(const QAction* action)
{
    QStringList keys;
    for (const QKeySequence& key : action->shortcuts())
        keys << key.toString(QKeySequence::NativeText);
    return keys.join(ExamplesPage::tr(" or "));
}

} // namespace

ExamplesPage::ExamplesPage(QUndoStack& undoStack, JobController& jobs, QWidget* parent)
    : QWidget(parent)
    , m_undoStack(undoStack)
    , m_jobs(jobs)
{
    setObjectName(QStringLiteral("examplesPage"));
    m_model = new ExamplesModel(this);
    m_model->setUndoStack(&m_undoStack);
    buildActions();
    buildLayout();

    m_searchTimer.setSingleShot(true);
    m_searchTimer.setInterval(kSearchDebounceMs);
    connect(&m_searchTimer, &QTimer::timeout, this, &ExamplesPage::applyFilter);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchTimer.start(); });
    connect(m_splitFilter, &QComboBox::currentIndexChanged, this, &ExamplesPage::applyFilter);
    connect(m_tagFilter, &QComboBox::currentIndexChanged, this, &ExamplesPage::applyFilter);

    connect(m_model, &ExamplesModel::countsChanged, this, &ExamplesPage::updateCounts);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ExamplesPage::updateCounts);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ExamplesPage::updateCounts);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ExamplesPage::updateCounts);
    connect(m_model, &ExamplesModel::tagsChanged, this, &ExamplesPage::refreshTagFilter);
    connect(m_model, &ExamplesModel::errorOccurred, this,
            [this](const QString& message) { Dialogs::warning(this, tr("Examples"), message); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ExamplesPage::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ExamplesPage::onCurrentRowChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ExamplesPage::onCurrentRowChanged);
    connect(m_model, &ExamplesModel::loaded, this, &ExamplesPage::onLoaded);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, this, &ExamplesPage::updateEmptyHint);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ExamplesPage::updateEmptyHint);
    connect(m_model, &ExamplesModel::countsChanged, this, &ExamplesPage::updateEmptyHint);

    m_deletedTimer.setSingleShot(true);
    m_deletedTimer.setInterval(kDeletedNoticeMs);
    connect(&m_deletedTimer, &QTimer::timeout, this, &ExamplesPage::hideDeletedNotice);
    // Any other change of the undo stack (a new edit, undo, redo) makes the notice's Undo ambiguous: it goes.
    connect(&m_undoStack, &QUndoStack::indexChanged, this, [this] {
        if (m_deletedCommand
            && (m_undoStack.index() == 0 || m_undoStack.command(m_undoStack.index() - 1) != m_deletedCommand))
            hideDeletedNotice();
    });
    setProject(nullptr);
}

ExamplesPage::~ExamplesPage() = default;

bool ExamplesPage::isLoading() const
{
    return m_model->isLoading();
}

void ExamplesPage::buildActions()
{
    m_addAction = new QAction(themed("list-add", QStyle::SP_FileIcon, this), tr("&Add Example"), this);
    m_addAction->setObjectName(QStringLiteral("addAction"));
    m_addAction->setShortcuts({QKeySequence(Qt::Key_Insert), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N)});
    m_addAction->setToolTip(tr("Add an empty example (Insert)"));
    connect(m_addAction, &QAction::triggered, this, &ExamplesPage::addExample);

    m_duplicateAction
        = new QAction(themed("edit-copy", QStyle::SP_FileDialogContentsView, this), tr("D&uplicate"), this);
    m_duplicateAction->setObjectName(QStringLiteral("duplicateAction"));
    m_duplicateAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_duplicateAction->setToolTip(tr("Duplicate the selected examples (Ctrl+D)"));
    connect(m_duplicateAction, &QAction::triggered, this, &ExamplesPage::duplicateSelected);

    m_deleteAction = new QAction(themed("edit-delete", QStyle::SP_TrashIcon, this), tr("&Delete"), this);
    m_deleteAction->setObjectName(QStringLiteral("deleteAction"));
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setToolTip(tr("Delete the selected examples (Del)"));
    connect(m_deleteAction, &QAction::triggered, this, &ExamplesPage::deleteSelected);

    m_splitMenu = new QMenu(tr("Set &Split"), this);
    m_splitMenu->setObjectName(QStringLiteral("splitMenu"));
    int key = Qt::Key_1;
    for (auto split : {ts::Split::Train, ts::Split::Eval, ts::Split::Test}) {
        QAction* action = m_splitMenu->addAction(fromStd(ts::splitName(split)));
        action->setObjectName(QStringLiteral("split_%1").arg(fromStd(ts::splitName(split))));
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | key++));
        connect(action, &QAction::triggered, this, [this, split] { setSplitOfSelected(static_cast<int>(split)); });
        m_splitActions.append(action);
    }
    m_splitMenuAction = m_splitMenu->menuAction();
    m_splitMenuAction->setIcon(themed("view-split-left-right", QStyle::SP_ArrowRight, this));
    m_splitMenuAction->setToolTip(tr("Move the selected examples to the train, eval or test split"));

    m_tagAction = new QAction(themed("tag", QStyle::SP_FileDialogInfoView, this), tr("Add &Tags…"), this);
    m_tagAction->setObjectName(QStringLiteral("tagAction"));
    m_tagAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_tagAction->setToolTip(tr("Add tags to the selected examples (Ctrl+T)"));
    connect(m_tagAction, &QAction::triggered, this, &ExamplesPage::addTagsToSelected);

    m_importAction = new QAction(themed("document-import", QStyle::SP_DialogOpenButton, this), tr("&Import…"), this);
    m_importAction->setObjectName(QStringLiteral("importAction"));
    m_importAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_importAction->setToolTip(tr("Import examples from a JSONL, JSON or CSV file (Ctrl+I)"));
    connect(m_importAction, &QAction::triggered, this, [this] { showImportDialog(); });

    m_exportAction = new QAction(themed("document-export", QStyle::SP_DialogSaveButton, this), tr("&Export…"), this);
    m_exportAction->setObjectName(QStringLiteral("exportAction"));
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setToolTip(tr("Export examples to a dataset file (Ctrl+E)"));
    connect(m_exportAction, &QAction::triggered, this, [this] { showExportDialog(); });

    m_findAction = new QAction(tr("&Find…"), this);
    m_findAction->setObjectName(QStringLiteral("findAction"));
    m_findAction->setShortcut(QKeySequence::Find);
    connect(m_findAction, &QAction::triggered, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });

    m_overviewAction
        = new QAction(themed("view-statistics", QStyle::SP_FileDialogDetailedView, this), tr("&Overview…"), this);
    m_overviewAction->setObjectName(QStringLiteral("overviewAction"));
    m_overviewAction->setToolTip(
        tr("The whole dataset at a glance: splits, tags, token lengths against the training length, duplicates"));
    connect(m_overviewAction, &QAction::triggered, this, [this] { showOverview(); });
}

void ExamplesPage::buildLayout()
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->setSpacing(4);

    m_toolBar = new QToolBar(tr("Examples"), this);
    m_toolBar->setObjectName(QStringLiteral("examplesToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->setIconSize(QSize(16, 16));
    m_toolBar->addAction(m_addAction);
    m_toolBar->addAction(m_duplicateAction);
    m_toolBar->addAction(m_deleteAction);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_splitMenuAction);
    if (auto* button = qobject_cast<QToolButton*>(m_toolBar->widgetForAction(m_splitMenuAction)))
        button->setPopupMode(QToolButton::InstantPopup);
    m_toolBar->addAction(m_tagAction);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_importAction);
    m_toolBar->addAction(m_exportAction);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_overviewAction);
    layout->addWidget(m_toolBar);

    auto* filterRow = new QHBoxLayout();
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("searchEdit"));
    m_search->setPlaceholderText(tr("Search input and ideal output (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(260);
    m_search->setToolTip(tr("Esc clears the search"));
    m_search->installEventFilter(this);
    filterRow->addWidget(m_search, 2);
    auto* splitLabel = new QLabel(tr("S&plit:"), this);
    m_splitFilter = new QComboBox(this);
    m_splitFilter->setObjectName(QStringLiteral("splitFilter"));
    m_splitFilter->addItem(tr("All"));
    for (auto split : {ts::Split::Train, ts::Split::Eval, ts::Split::Test})
        m_splitFilter->addItem(fromStd(ts::splitName(split)), static_cast<int>(split));
    splitLabel->setBuddy(m_splitFilter);
    filterRow->addSpacing(8);
    filterRow->addWidget(splitLabel);
    filterRow->addWidget(m_splitFilter);
    auto* tagLabel = new QLabel(tr("Ta&g:"), this);
    m_tagFilter = new QComboBox(this);
    m_tagFilter->setObjectName(QStringLiteral("tagFilter"));
    m_tagFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_tagFilter->setMinimumContentsLength(10);
    m_tagFilter->addItem(tr("All"));
    tagLabel->setBuddy(m_tagFilter);
    filterRow->addSpacing(8);
    filterRow->addWidget(tagLabel);
    filterRow->addWidget(m_tagFilter);
    filterRow->addStretch(1);
    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("countLabel"));
    filterRow->addWidget(m_countLabel);
    layout->addLayout(filterRow);

    m_deletedBar = new QWidget(this);
    m_deletedBar->setObjectName(QStringLiteral("deletedBar"));
    m_deletedBar->setAttribute(Qt::WA_StyledBackground);
    m_deletedBar->setStyleSheet(QStringLiteral("#deletedBar { border: 1px solid palette(mid); border-radius: 3px; "
                                               "background: palette(alternate-base); }"));
    auto* deletedRow = new QHBoxLayout(m_deletedBar);
    deletedRow->setContentsMargins(8, 2, 2, 2);
    m_deletedLabel = new QLabel(m_deletedBar);
    m_deletedLabel->setObjectName(QStringLiteral("deletedLabel"));
    auto* undoButton = new QPushButton(tr("&Undo"), m_deletedBar);
    undoButton->setObjectName(QStringLiteral("deletedUndoButton"));
    auto* dismissButton = new QToolButton(m_deletedBar);
    dismissButton->setObjectName(QStringLiteral("deletedDismissButton"));
    dismissButton->setAutoRaise(true);
    dismissButton->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton, nullptr, this));
    dismissButton->setToolTip(tr("Dismiss"));
    deletedRow->addWidget(m_deletedLabel);
    deletedRow->addWidget(undoButton);
    deletedRow->addStretch(1);
    deletedRow->addWidget(dismissButton);
    m_deletedBar->setVisible(false);
    connect(undoButton, &QPushButton::clicked, this, [this] {
        const bool latest = m_deletedCommand && m_undoStack.index() > 0
            && m_undoStack.command(m_undoStack.index() - 1) == m_deletedCommand;
        hideDeletedNotice();
        if (latest) {
            m_editor->commit();
            m_undoStack.undo();
            m_view->setFocus(Qt::OtherFocusReason);
        }
    });
    connect(dismissButton, &QToolButton::clicked, this, &ExamplesPage::hideDeletedNotice);
    layout->addWidget(m_deletedBar);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("examplesView"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(new ExamplesDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                            | QAbstractItemView::AnyKeyPressed);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setCornerButtonEnabled(false);
    m_view->verticalHeader()->setVisible(false);
    // Fixed row height: no resizeRowsToContents, so 100,000 rows cost nothing to lay out.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    QHeaderView* header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(ExamplesModel::OutputColumn, QHeaderView::Stretch);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setSortIndicator(-1, Qt::AscendingOrder);
    header->setSortIndicatorShown(true);
    m_view->setSortingEnabled(true);
    // Narrow columns fit their longest value; Input is sized on first show, Ideal output takes the rest.
    const QFontMetrics metrics = m_view->fontMetrics();
    const auto fit = [&](std::initializer_list<QString> texts) {
        int width = 0;
        for (const QString& text : texts)
            width = std::max(width, metrics.horizontalAdvance(text));
        return width + 3 * metrics.averageCharWidth() + 8;
    };
    const auto title = [this](int column) { return m_model->headerData(column, Qt::Horizontal).toString(); };
    m_view->setColumnWidth(ExamplesModel::InputColumn, 40 * metrics.averageCharWidth());
    m_view->setColumnWidth(ExamplesModel::SplitColumn,
                           fit({title(ExamplesModel::SplitColumn), QStringLiteral("train"), QStringLiteral("eval")}));
    m_view->setColumnWidth(ExamplesModel::TagsColumn, 16 * metrics.averageCharWidth());
    m_view->setColumnWidth(
        ExamplesModel::SourceColumn,
        fit({title(ExamplesModel::SourceColumn), ExamplesModel::sourceLabel(ts::Source::Golden),
             ExamplesModel::sourceLabel(ts::Source::Synthetic), ExamplesModel::sourceLabel(ts::Source::Imported)}));
    m_view->setColumnWidth(
        ExamplesModel::UpdatedColumn,
        fit({title(ExamplesModel::UpdatedColumn), QLocale().toString(QDate(2000, 12, 28), QLocale::ShortFormat)}));
    // Row-level editing shortcuts belong to the table, so they never fight text fields.
    for (QAction* action : {m_addAction, m_duplicateAction, m_deleteAction}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_view->addAction(action);
    }
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addAction(m_splitMenuAction);
    m_view->addAction(m_tagAction);

    m_editor = new ExampleEditor(this);
    m_editor->setModel(m_model);

    // In the table's place while there is nothing to show: what to do next, with the page's real shortcuts.
    m_emptyHint = new QWidget(this);
    m_emptyHint->setObjectName(QStringLiteral("emptyHint"));
    auto* hintLayout = new QVBoxLayout(m_emptyHint);
    hintLayout->addStretch(1);
    m_emptyTitle = new QLabel(m_emptyHint);
    m_emptyTitle->setObjectName(QStringLiteral("emptyHintTitle"));
    m_emptyTitle->setAlignment(Qt::AlignCenter);
    QFont titleFont = m_emptyTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_emptyTitle->setFont(titleFont);
    m_emptyText = new QLabel(m_emptyHint);
    m_emptyText->setObjectName(QStringLiteral("emptyHintText"));
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setWordWrap(true);
    m_emptyText->setMaximumWidth(60 * m_emptyText->fontMetrics().averageCharWidth());
    hintLayout->addWidget(m_emptyTitle);
    hintLayout->addWidget(m_emptyText, 0, Qt::AlignHCenter);
    auto* hintButtons = new QHBoxLayout();
    hintButtons->addStretch(1);
    m_emptyAddButton
        = new QPushButton(m_addAction->icon(), tr("Add an Example (%1)").arg(shortcutText(m_addAction)), m_emptyHint);
    m_emptyAddButton->setObjectName(QStringLiteral("emptyAddButton"));
    m_emptyImportButton
        = new QPushButton(m_importAction->icon(), tr("Import… (%1)").arg(shortcutText(m_importAction)), m_emptyHint);
    m_emptyImportButton->setObjectName(QStringLiteral("emptyImportButton"));
    m_emptyClearButton = new QPushButton(tr("Clear Search and Filters"), m_emptyHint);
    m_emptyClearButton->setObjectName(QStringLiteral("emptyClearButton"));
    for (QPushButton* button : {m_emptyAddButton, m_emptyImportButton, m_emptyClearButton})
        hintButtons->addWidget(button);
    hintButtons->addStretch(1);
    hintLayout->addLayout(hintButtons);
    hintLayout->addStretch(2);
    connect(m_emptyAddButton, &QPushButton::clicked, m_addAction, &QAction::trigger);
    connect(m_emptyImportButton, &QPushButton::clicked, m_importAction, &QAction::trigger);
    connect(m_emptyClearButton, &QPushButton::clicked, this, &ExamplesPage::clearFilters);
    m_emptyHint->addAction(m_addAction);

    m_tableStack = new QStackedWidget(this);
    m_tableStack->setObjectName(QStringLiteral("tableStack"));
    m_tableStack->addWidget(m_view);
    m_tableStack->addWidget(m_emptyHint);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("examplesSplitter"));
    m_splitter->addWidget(m_tableStack);
    m_splitter->addWidget(m_editor);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({800, 340});
    layout->addWidget(m_splitter, 1);

    for (QAction* action : {m_importAction, m_exportAction, m_findAction})
        addAction(action);
    for (QAction* action : m_splitActions)
        addAction(action);
    addAction(m_tagAction);
}

void ExamplesPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_columnsFitted)
        return;
    m_columnsFitted = true;
    // First show: Input takes 45% of what the narrow columns leave; Ideal output stretches over the rest.
    int fixed = 0;
    for (int column : {ExamplesModel::SplitColumn, ExamplesModel::TagsColumn, ExamplesModel::SourceColumn,
                       ExamplesModel::UpdatedColumn})
        fixed += m_view->columnWidth(column);
    const int free = m_view->viewport()->width() - fixed;
    const int minimum = 20 * m_view->fontMetrics().averageCharWidth();
    if (free > 2 * minimum)
        m_view->setColumnWidth(ExamplesModel::InputColumn, free * 45 / 100);
}

QList<QAction*> ExamplesPage::editActions() const
{
    return {m_addAction, m_duplicateAction, m_deleteAction, nullptr,        m_splitMenuAction, m_tagAction,
            nullptr,     m_findAction,      nullptr,        m_importAction, m_exportAction,    m_overviewAction};
}

void ExamplesPage::setPageActive(bool active)
{
    m_active = active;
    updateActions();
}

void ExamplesPage::setProject(ts::Project* project)
{
    m_editor->showExample(0);
    m_project = project;
    resetFilterWidgets();
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    hideDeletedNotice();
    m_model->setProject(project);
    setEnabled(project != nullptr);
    refreshTagFilter();
    updateCounts();
    updateActions();
    updateEmptyHint();
    // The rows arrive in onLoaded().
}

void ExamplesPage::onLoaded()
{
    updateCounts();
    updateActions();
    updateEmptyHint();
    if (!m_view->currentIndex().isValid() && m_model->rowCount() > 0)
        m_view->setCurrentIndex(m_model->index(0, ExamplesModel::InputColumn));
    emit loaded();
}

void ExamplesPage::commitPendingEdits()
{
    m_editor->commit();
}

void ExamplesPage::updateActions()
{
    const bool open = m_project != nullptr && !m_busy && m_active && !m_model->isLoading();
    const bool selection = open && m_view->selectionModel()->hasSelection();
    m_addAction->setEnabled(open);
    m_duplicateAction->setEnabled(selection);
    m_deleteAction->setEnabled(selection);
    m_splitMenuAction->setEnabled(selection);
    for (QAction* action : m_splitActions)
        action->setEnabled(selection);
    m_tagAction->setEnabled(selection);
    m_importAction->setEnabled(open);
    m_exportAction->setEnabled(open);
    m_findAction->setEnabled(m_project != nullptr && m_active);
    m_overviewAction->setEnabled(m_project != nullptr && m_active && !m_model->isLoading());
    m_emptyAddButton->setEnabled(open);
    m_emptyImportButton->setEnabled(open);
}

void ExamplesPage::updateEmptyHint()
{
    const bool loading = m_project == nullptr || m_model->isLoading();
    const bool emptyProject = !loading && m_model->totalCount() == 0;
    const bool nothingShown = !loading && !emptyProject && m_model->rowCount() == 0;
    if (emptyProject) {
        m_emptyTitle->setText(tr("No examples yet"));
        m_emptyText->setText(tr("Golden examples are the inputs and ideal outputs that prompts are tested on and "
                                "models are trained on. Add one by hand (%1) or import a JSONL, JSON or CSV file (%2).")
                                 .arg(shortcutText(m_addAction), shortcutText(m_importAction)));
    } else if (nothingShown) {
        m_emptyTitle->setText(tr("No examples match"));
        const QString search = m_search->text().trimmed();
        m_emptyText->setText(search.isEmpty()
                                 ? tr("No example is in the chosen split and tag.")
                                 : tr("No example in the chosen split and tag contains “%1”.").arg(search));
    }
    m_emptyAddButton->setVisible(emptyProject);
    m_emptyImportButton->setVisible(emptyProject);
    m_emptyClearButton->setVisible(nothingShown);
    const bool hint = emptyProject || nothingShown;
    const bool hadFocus = m_view->hasFocus();
    m_tableStack->setCurrentWidget(hint ? m_emptyHint : m_view);
    if (hadFocus && hint)
        (emptyProject ? m_emptyAddButton : m_emptyClearButton)->setFocus(Qt::OtherFocusReason);
}

QString ExamplesPage::emptyHintText() const
{
    if (m_tableStack->currentWidget() != m_emptyHint)
        return {};
    return m_emptyTitle->text() + QLatin1Char('\n') + m_emptyText->text();
}

void ExamplesPage::resetFilterWidgets()
{
    const QSignalBlocker b1(m_search);
    const QSignalBlocker b2(m_splitFilter);
    const QSignalBlocker b3(m_tagFilter);
    m_search->clear();
    m_splitFilter->setCurrentIndex(0);
    m_tagFilter->setCurrentIndex(0);
}

void ExamplesPage::clearFilters()
{
    resetFilterWidgets();
    applyFilter();
}

bool ExamplesPage::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape
        && static_cast<QKeyEvent*>(event)->modifiers() == Qt::NoModifier) {
        // Esc clears a search and stays in the field; in an empty field it goes back to the table.
        if (!m_search->text().isEmpty()) {
            m_search->clear();
            applyFilter();
        } else if (m_tableStack->currentWidget() == m_view) {
            m_view->setFocus(Qt::ShortcutFocusReason);
        }
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void ExamplesPage::showDeletedNotice(int count, const QUndoCommand* command)
{
    m_deletedCommand = command;
    m_deletedLabel->setText(count == 1 ? tr("1 example deleted.")
                                       : tr("%1 examples deleted.").arg(QLocale().toString(count)));
    m_deletedBar->setVisible(true);
    m_deletedTimer.start();
}

void ExamplesPage::hideDeletedNotice()
{
    m_deletedTimer.stop();
    m_deletedCommand = nullptr;
    m_deletedBar->setVisible(false);
}

QString ExamplesPage::deletedNoticeText() const
{
    return m_deletedBar->isHidden() ? QString() : m_deletedLabel->text();
}

void ExamplesPage::updateCounts()
{
    if (m_model->isLoading()) {
        m_countLabel->setText(tr("Loading examples…"));
        return;
    }
    const qint64 total = m_model->totalCount();
    const int shown = m_model->rowCount();
    const QLocale locale;
    QString text;
    if (total == 1)
        text = shown == 1 ? tr("1 example") : tr("1 example (none shown)");
    else if (shown == total)
        text = tr("%1 examples").arg(locale.toString(total));
    else
        text = tr("%1 examples (%2 shown)").arg(locale.toString(total), locale.toString(shown));
    m_countLabel->setText(text);
    emit countsChanged(total, shown);
}

void ExamplesPage::refreshTagFilter()
{
    const QString current = m_tagFilter->currentIndex() > 0 ? m_tagFilter->currentText() : QString();
    const QStringList tags = m_model->allTags();
    const QSignalBlocker blocker(m_tagFilter);
    m_tagFilter->clear();
    m_tagFilter->addItem(tr("All"));
    for (const QString& tag : tags)
        m_tagFilter->addItem(tag, tag);
    const int index = current.isEmpty() ? 0 : m_tagFilter->findData(current);
    if (index < 0 && !current.isEmpty()) {
        // The filtered tag no longer exists anywhere; keep it selectable so the view stays as it is.
        m_tagFilter->addItem(current, current);
        m_tagFilter->setCurrentIndex(m_tagFilter->count() - 1);
    } else {
        m_tagFilter->setCurrentIndex(std::max(index, 0));
    }
}

void ExamplesPage::applyFilter()
{
    m_searchTimer.stop();
    if (!m_project)
        return;
    m_editor->commit();
    const int64_t currentId = m_editor->exampleId();
    std::optional<ts::Split> split;
    if (m_splitFilter->currentData().isValid())
        split = static_cast<ts::Split>(m_splitFilter->currentData().toInt());
    const QString tag = m_tagFilter->currentData().toString();
    m_model->setFilter(m_search->text(), split, tag);
    if (currentId)
        selectIds({currentId});
    if (!m_view->currentIndex().isValid() && m_model->rowCount() > 0)
        m_view->setCurrentIndex(m_model->index(0, ExamplesModel::InputColumn));
}

void ExamplesPage::onCurrentRowChanged()
{
    const QModelIndex current = m_view->currentIndex();
    m_editor->showExample(current.isValid() ? m_model->idAt(current.row()) : 0);
    updateActions();
}

std::vector<int> ExamplesPage::selectedRows() const
{
    std::vector<int> rows;
    for (const QItemSelectionRange& range : m_view->selectionModel()->selection())
        for (int r = range.top(); r <= range.bottom(); ++r)
            rows.push_back(r);
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

void ExamplesPage::selectIds(const std::vector<int64_t>& ids)
{
    QItemSelection selection;
    int firstRow = -1;
    for (int64_t id : ids) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        selection.select(m_model->index(row, 0), m_model->index(row, ExamplesModel::ColumnCount - 1));
        if (firstRow < 0)
            firstRow = row;
    }
    if (firstRow < 0)
        return;
    m_view->selectionModel()->setCurrentIndex(m_model->index(firstRow, ExamplesModel::InputColumn),
                                              QItemSelectionModel::NoUpdate);
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    m_view->scrollTo(m_model->index(firstRow, ExamplesModel::InputColumn));
}

void ExamplesPage::addExample()
{
    if (!m_project || m_busy)
        return;
    m_editor->commit();
    ts::Example example;
    example.messages = {ts::Message {"user", ""}, ts::Message {"assistant", ""}};
    // A new row joins the split and tag being filtered on, so it belongs where it is shown.
    if (m_splitFilter->currentData().isValid())
        example.split = static_cast<ts::Split>(m_splitFilter->currentData().toInt());
    if (m_tagFilter->currentData().isValid())
        example.tags = {m_tagFilter->currentData().toString().toStdString()};
    auto command = InsertExamplesCommand::add(*m_model, std::move(example));
    InsertExamplesCommand* raw = command.get();
    m_undoStack.push(command.release());
    if (m_undoStack.command(m_undoStack.index() - 1) != raw)
        return; // the write failed and the command was dropped
    selectIds(raw->ids());
    m_editor->focusInput();
}

void ExamplesPage::duplicateSelected()
{
    if (!m_project || m_busy)
        return;
    m_editor->commit();
    const std::vector<ts::Example> originals = m_model->examplesAt(selectedRows());
    if (originals.empty())
        return;
    auto command = InsertExamplesCommand::duplicate(*m_model, originals);
    InsertExamplesCommand* raw = command.get();
    m_undoStack.push(command.release());
    if (m_undoStack.command(m_undoStack.index() - 1) == raw)
        selectIds(raw->ids());
}

void ExamplesPage::deleteSelected()
{
    if (!m_project || m_busy)
        return;
    m_editor->commit();
    const std::vector<int> rows = selectedRows();
    if (rows.empty())
        return;
    std::vector<ts::Example> examples = m_model->examplesAt(rows);
    if (examples.empty())
        return;
    const int count = static_cast<int>(examples.size());
    auto* command = new DeleteExamplesCommand(*m_model, std::move(examples));
    m_undoStack.push(command);
    if (m_undoStack.index() > 0 && m_undoStack.command(m_undoStack.index() - 1) == command)
        showDeletedNotice(count, command);
    const int next = std::min(rows.front(), m_model->rowCount() - 1);
    if (next >= 0)
        m_view->setCurrentIndex(m_model->index(next, ExamplesModel::InputColumn));
}

void ExamplesPage::setSplitOfSelected(int split)
{
    if (!m_project || m_busy)
        return;
    m_editor->commit();
    std::vector<ts::Example> examples = m_model->examplesAt(selectedRows());
    std::erase_if(examples, [split](const ts::Example& e) { return static_cast<int>(e.split) == split; });
    if (examples.empty())
        return;
    m_undoStack.push(new SetSplitCommand(*m_model, std::move(examples), static_cast<ts::Split>(split)));
}

void ExamplesPage::addTagsToSelected()
{
    if (!m_project || m_busy)
        return;
    m_editor->commit();
    const std::vector<int> rows = selectedRows();
    if (rows.empty())
        return;
    bool ok = false;
    const QString text
        = Dialogs::getText(this, tr("Add Tags"), tr("Tags to add to the selected examples, comma-separated:"), {}, &ok);
    if (!ok)
        return;
    std::vector<std::string> tags = ts::parseTagList(text.toStdString());
    if (tags.empty())
        return;
    std::vector<ts::Example> examples = m_model->examplesAt(rows);
    m_undoStack.push(new SetTagsCommand(*m_model, std::move(examples), std::move(tags), SetTagsCommand::Mode::Add));
}

ImportDialog* ExamplesPage::showImportDialog(const QString& file)
{
    if (!m_project || m_busy)
        return nullptr;
    m_editor->commit();
    QString path = file;
    if (path.isEmpty()) {
        path = Dialogs::getOpenFileName(this, tr("Import Examples"),
                                        QFileInfo(fromPath(m_project->path())).absolutePath(),
                                        tr("Datasets (*.jsonl *.json *.csv);;All files (*)"));
        if (path.isEmpty())
            return nullptr;
    }
    auto* dialog = new ImportDialog(*m_project, m_jobs, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportDialog::imported, this, [this](const std::vector<int64_t>& ids, const QString& name) {
        if (ids.empty())
            return;
        m_undoStack.push(new ImportExamplesCommand(*m_model, ids, name));
        selectIds({ids.front()});
        emit statusMessage(tr("Imported %1 examples from %2.").arg(QLocale().toString(qulonglong(ids.size())), name));
    });
    dialog->setFile(path);
    dialog->open();
    return dialog;
}

ExportDialog* ExamplesPage::showExportDialog()
{
    if (!m_project || m_busy)
        return nullptr;
    m_editor->commit();
    std::vector<int64_t> selected;
    for (int row : selectedRows())
        selected.push_back(m_model->idAt(row));
    auto* dialog
        = new ExportDialog(*m_project, m_jobs, std::move(selected), m_model->ids(), m_model->totalCount(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ExportDialog::exportFinished, this, [this](bool ok, const QString& message) {
        if (ok)
            emit statusMessage(message);
    });
    dialog->open();
    return dialog;
}

DatasetOverviewDialog* ExamplesPage::showOverview()
{
    if (!m_project)
        return nullptr;
    m_editor->commit();
    auto* dialog = new DatasetOverviewDialog(*m_project, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DatasetOverviewDialog::showExamplesRequested, this, [this](const std::vector<int64_t>& ids) {
        // The rows of a group may be filtered out: show every example, then select them.
        if (!m_search->text().isEmpty() || m_splitFilter->currentIndex() != 0 || m_tagFilter->currentIndex() != 0)
            clearFilters();
        selectIds(ids);
        m_view->setFocus(Qt::OtherFocusReason);
    });
    dialog->show();
    return dialog;
}

void ExamplesPage::setBusy(bool busy)
{
    m_busy = busy;
    m_model->setEditable(!busy);
    m_editor->setReadOnly(busy);
    updateActions();
}

} // namespace ts::ui
