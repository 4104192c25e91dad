// SyntheticReviewPanel: the run's rows with filters, review actions as undo commands, promotion and the lineage of
// the selected row (see synthetic_review_panel.h). Reads go through ProjectLoad, writes through
// SyntheticReviewWriter: the GUI thread never waits on the project file.
#include "synth/synthetic_review_panel.h"

#include <algorithm>
#include <iterator>
#include <optional>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

#include "bridge/path_conversion.h"
#include "bridge/project_load.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "synth/lineage_view.h"
#include "synth/reason_kind.h"
#include "synth/synthetic_review_commands.h"
#include "synth/synthetic_review_writer.h"
#include "synth/synthetic_row_repository.h"
#include "synth/synthetic_rows_filter.h"
#include "synth/synthetic_rows_model.h"

namespace ts::ui {

using ts::synth::SyntheticReview;
using ts::synth::SyntheticRow;
using ts::synth::SyntheticStage;

namespace {

QString rowsText(qsizetype count)
{
    return count == 1 ? SyntheticReviewPanel::tr("1 row")
                      : SyntheticReviewPanel::tr("%1 rows").arg(QLocale().toString(static_cast<qint64>(count)));
}

// What a lineage read brings back: the steps and the seed example at their root.
struct Lineage
{
    int64_t rowId = 0;
    std::vector<SyntheticRow> steps;
    std::optional<ts::Example> seed;
};

} // namespace

class SyntheticReviewPanel::Private
{
public:
    Private(SyntheticReviewPanel* q, QUndoStack& undoStack)
        : q(q)
        , undoStack(undoStack)
        , model(new SyntheticRowsModel(q))
        , filter(new SyntheticRowsFilter(q))
        , writer(new SyntheticReviewWriter(*model, q))
        , lineageLoad(q)
    { }

    void build();
    void connectAll();

    std::vector<int64_t> selectedIds() const;
    const SyntheticRow* currentRow() const;
    void reviewSelected(SyntheticReview review);
    void pushReview(const std::vector<int64_t>& ids, SyntheticReview review, const QString& text);
    std::vector<int64_t> acceptAboveIds() const;
    std::vector<int64_t> likeThisIds() const;
    qsizetype promotableCount() const;
    void acceptAbove();
    void rejectLikeThis();
    void promote();
    void editText(int64_t id, const std::string& instruction, const std::string& output);
    void saveEditor();
    void loadEditor();
    bool editorChanged() const; // the editor's text differs from the text it was loaded with
    void loadLineage();
    void updateActions();
    void scheduleUpdate();
    void setMessage(const QString& text, bool error);

    SyntheticReviewPanel* q;
    QUndoStack& undoStack;
    ts::Project* project = nullptr;
    qint64 runId = 0;

    SyntheticRowsModel* model;
    SyntheticRowsFilter* filter;
    SyntheticReviewWriter* writer;
    ProjectLoad lineageLoad;
    QTimer* updateTimer = nullptr;

    QComboBox* stageFilter = nullptr;
    QLineEdit* search = nullptr;
    QLabel* shownCount = nullptr;
    QTableView* table = nullptr;
    QPushButton* acceptButton = nullptr;
    QPushButton* rejectButton = nullptr;
    QPushButton* rejectLikeThisButton = nullptr;
    QDoubleSpinBox* threshold = nullptr;
    QPushButton* acceptAboveButton = nullptr;
    QPushButton* promoteButton = nullptr;
    QLabel* reviewCounts = nullptr;
    QLabel* message = nullptr;
    QPlainTextEdit* instructionEdit = nullptr;
    QPlainTextEdit* outputEdit = nullptr;
    QPushButton* saveEditButton = nullptr;
    QLabel* editorTitle = nullptr;
    LineageView* lineage = nullptr;
    int64_t editorRowId = 0;
    QString editorInstruction; // as loaded
    QString editorOutput;
    int64_t lineageRowId = 0;
};

void SyntheticReviewPanel::Private::build()
{
    filter->setSourceModel(model);

    stageFilter = new QComboBox(q);
    stageFilter->setObjectName(QStringLiteral("syntheticStageFilter"));
    using Show = SyntheticRowsFilter::Show;
    const std::pair<QString, Show> choices[] = {
        {tr("All"), Show::All},
        {tr("Passed"), Show::Passed},
        {tr("Low quality"), Show::LowQuality},
        {tr("Duplicate"), Show::Duplicate},
        {tr("Leak"), Show::Leak},
        {tr("Eliminated"), Show::Eliminated},
        {tr("Failed"), Show::Failed},
        {tr("Waiting"), Show::Waiting},
        {tr("Accepted"), Show::Accepted},
        {tr("Rejected"), Show::Rejected},
    };
    for (const auto& [label, show] : choices)
        stageFilter->addItem(label, static_cast<int>(show));
    stageFilter->setToolTip(tr("Show the rows of one pipeline stage or review"));

    search = new QLineEdit(q);
    search->setObjectName(QStringLiteral("syntheticSearch"));
    search->setPlaceholderText(tr("Search input, output, operation, reason"));
    search->setClearButtonEnabled(true);
    shownCount = new QLabel(q);
    shownCount->setObjectName(QStringLiteral("syntheticShownCount"));

    auto* filterBar = new QHBoxLayout;
    filterBar->addWidget(new QLabel(tr("Show:"), q));
    filterBar->addWidget(stageFilter);
    filterBar->addWidget(search, 1);
    filterBar->addWidget(shownCount);

    table = new QTableView(q);
    table->setObjectName(QStringLiteral("syntheticRowsTable"));
    table->setModel(filter);
    table->setSortingEnabled(true);
    table->sortByColumn(SyntheticRowsModel::Number, Qt::AscendingOrder);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    table->setWordWrap(false);
    table->setTextElideMode(Qt::ElideRight);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->horizontalHeader()->setStretchLastSection(false);
    table->setColumnWidth(SyntheticRowsModel::Number, 48);
    table->setColumnWidth(SyntheticRowsModel::Instruction, 280);
    table->setColumnWidth(SyntheticRowsModel::Output, 240);
    table->setColumnWidth(SyntheticRowsModel::Operation, 130);
    table->setColumnWidth(SyntheticRowsModel::Round, 56);
    table->setColumnWidth(SyntheticRowsModel::Parent, 90);
    table->setColumnWidth(SyntheticRowsModel::Quality, 64);
    table->setColumnWidth(SyntheticRowsModel::Stage, 110);
    table->setColumnWidth(SyntheticRowsModel::Reason, 240);
    table->setColumnWidth(SyntheticRowsModel::Review, 120);

    acceptButton = new QPushButton(tr("Accept"), q);
    acceptButton->setObjectName(QStringLiteral("acceptRowsButton"));
    acceptButton->setToolTip(tr("Accept the selected rows for the training set (A)"));
    rejectButton = new QPushButton(tr("Reject"), q);
    rejectButton->setObjectName(QStringLiteral("rejectRowsButton"));
    rejectButton->setToolTip(tr("Reject the selected rows (R); they stay in the project with their reason"));
    rejectLikeThisButton = new QPushButton(tr("Reject all like this"), q);
    rejectLikeThisButton->setObjectName(QStringLiteral("rejectLikeThisButton"));
    threshold = new QDoubleSpinBox(q);
    threshold->setObjectName(QStringLiteral("acceptAboveThreshold"));
    threshold->setRange(1.0, 10.0);
    threshold->setDecimals(1);
    threshold->setSingleStep(0.5);
    threshold->setValue(7.0);
    threshold->setToolTip(tr("The lowest quality score (1–10) that \"Accept all ≥\" accepts"));
    acceptAboveButton = new QPushButton(q);
    acceptAboveButton->setObjectName(QStringLiteral("acceptAboveButton"));
    promoteButton = new QPushButton(q);
    promoteButton->setObjectName(QStringLiteral("promoteButton"));
    reviewCounts = new QLabel(q);
    reviewCounts->setObjectName(QStringLiteral("reviewCounts"));

    // Three short rows, so the panel fits next to the settings on a 1024-pixel screen: the selection's actions,
    // the bulk accept, the counts and the promotion.
    auto* actionBar = new QVBoxLayout;
    auto* selectionRow = new QHBoxLayout;
    selectionRow->addWidget(acceptButton);
    selectionRow->addWidget(rejectButton);
    selectionRow->addWidget(rejectLikeThisButton);
    selectionRow->addStretch(1);
    auto* bulkRow = new QHBoxLayout;
    bulkRow->addWidget(new QLabel(tr("Quality ≥"), q));
    bulkRow->addWidget(threshold);
    bulkRow->addWidget(acceptAboveButton);
    bulkRow->addStretch(1);
    auto* promoteRow = new QHBoxLayout;
    reviewCounts->setWordWrap(true);
    promoteRow->addWidget(reviewCounts, 1);
    promoteRow->addWidget(promoteButton);
    actionBar->addLayout(selectionRow);
    actionBar->addLayout(bulkRow);
    actionBar->addLayout(promoteRow);

    message = new QLabel(q);
    message->setObjectName(QStringLiteral("reviewMessage"));
    message->setWordWrap(true);
    message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    message->hide();

    // Below the table: the selected row's text to edit, and its lineage.
    auto* editor = new QWidget(q);
    editorTitle = new QLabel(tr("Select a row to edit its text."), editor);
    instructionEdit = new QPlainTextEdit(editor);
    instructionEdit->setObjectName(QStringLiteral("syntheticInstructionEdit"));
    instructionEdit->setPlaceholderText(tr("Instruction (the user turn)"));
    outputEdit = new QPlainTextEdit(editor);
    outputEdit->setObjectName(QStringLiteral("syntheticOutputEdit"));
    outputEdit->setPlaceholderText(tr("Output (the teacher's answer)"));
    saveEditButton = new QPushButton(tr("Save Edit"), editor);
    saveEditButton->setObjectName(QStringLiteral("saveSyntheticEditButton"));
    saveEditButton->setToolTip(tr("Store the edited instruction and output (Ctrl+Return); undo with Ctrl+Z"));
    auto* editorLayout = new QVBoxLayout(editor);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->addWidget(editorTitle);
    editorLayout->addWidget(new QLabel(tr("Input"), editor));
    editorLayout->addWidget(instructionEdit, 1);
    editorLayout->addWidget(new QLabel(tr("Output"), editor));
    editorLayout->addWidget(outputEdit, 2);
    auto* saveRow = new QHBoxLayout;
    saveRow->addStretch(1);
    saveRow->addWidget(saveEditButton);
    editorLayout->addLayout(saveRow);

    lineage = new LineageView(q);
    lineage->setObjectName(QStringLiteral("lineageView"));
    auto* lineagePane = new QWidget(q);
    auto* lineageLayout = new QVBoxLayout(lineagePane);
    lineageLayout->setContentsMargins(0, 0, 0, 0);
    lineageLayout->addWidget(new QLabel(tr("Lineage"), lineagePane));
    lineageLayout->addWidget(lineage, 1);

    auto* details = new QSplitter(Qt::Horizontal, q);
    details->addWidget(editor);
    details->addWidget(lineagePane);
    details->setStretchFactor(0, 1);
    details->setStretchFactor(1, 1);

    auto* top = new QWidget(q);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(filterBar);
    topLayout->addWidget(table, 1);
    topLayout->addLayout(actionBar);
    topLayout->addWidget(message);

    auto* split = new QSplitter(Qt::Vertical, q);
    split->setObjectName(QStringLiteral("syntheticReviewSplitter"));
    split->addWidget(top);
    split->addWidget(details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(q);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    updateTimer = new QTimer(q);
    updateTimer->setSingleShot(true);
    updateTimer->setInterval(0);
}

void SyntheticReviewPanel::Private::connectAll()
{
    QObject::connect(stageFilter, &QComboBox::currentIndexChanged, q, [this] {
        filter->setShow(static_cast<SyntheticRowsFilter::Show>(stageFilter->currentData().toInt()));
        scheduleUpdate();
    });
    QObject::connect(search, &QLineEdit::textChanged, q, [this](const QString& text) {
        filter->setSearch(text);
        scheduleUpdate();
    });
    auto* find = new QShortcut(QKeySequence::Find, q, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    QObject::connect(find, &QShortcut::activated, q, [this] {
        search->setFocus();
        search->selectAll();
    });

    QObject::connect(acceptButton, &QPushButton::clicked, q, [this] { reviewSelected(SyntheticReview::Accepted); });
    QObject::connect(rejectButton, &QPushButton::clicked, q, [this] { reviewSelected(SyntheticReview::Rejected); });
    // A and R while the table has the focus (its own type-ahead search would otherwise take the letters).
    auto* acceptKey = new QShortcut(QKeySequence(Qt::Key_A), table, nullptr, nullptr, Qt::WidgetShortcut);
    QObject::connect(acceptKey, &QShortcut::activated, q, [this] { reviewSelected(SyntheticReview::Accepted); });
    auto* rejectKey = new QShortcut(QKeySequence(Qt::Key_R), table, nullptr, nullptr, Qt::WidgetShortcut);
    QObject::connect(rejectKey, &QShortcut::activated, q, [this] { reviewSelected(SyntheticReview::Rejected); });
    QObject::connect(rejectLikeThisButton, &QPushButton::clicked, q, [this] { rejectLikeThis(); });
    QObject::connect(acceptAboveButton, &QPushButton::clicked, q, [this] { acceptAbove(); });
    QObject::connect(threshold, &QDoubleSpinBox::valueChanged, q, [this] { scheduleUpdate(); });
    QObject::connect(promoteButton, &QPushButton::clicked, q, [this] { promote(); });
    QObject::connect(saveEditButton, &QPushButton::clicked, q, [this] { saveEditor(); });
    for (QPlainTextEdit* edit : {instructionEdit, outputEdit}) {
        auto* save = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), edit, nullptr, nullptr, Qt::WidgetShortcut);
        QObject::connect(save, &QShortcut::activated, q, [this] { saveEditor(); });
        QObject::connect(edit, &QPlainTextEdit::textChanged, q, [this] { updateActions(); });
    }

    QObject::connect(model, &SyntheticRowsModel::textEditRequested, q,
                     [this](qint64 id, const QString& instruction, const QString& output) {
                         editText(id, instruction.toStdString(), output.toStdString());
                     });
    QObject::connect(model, &QAbstractItemModel::dataChanged, q, [this] { scheduleUpdate(); });
    QObject::connect(model, &QAbstractItemModel::rowsInserted, q, [this] { scheduleUpdate(); });
    QObject::connect(model, &QAbstractItemModel::modelReset, q, [this] { scheduleUpdate(); });
    // What the user does updates the buttons at once; the feed's changes (many rows at a time) once per batch.
    QObject::connect(table->selectionModel(), &QItemSelectionModel::selectionChanged, q, [this] { updateActions(); });
    QObject::connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, q, [this] {
        loadEditor();
        loadLineage();
        updateActions();
    });
    QObject::connect(updateTimer, &QTimer::timeout, q, [this] { updateActions(); });

    QObject::connect(writer, &SyntheticReviewWriter::failed, q,
                     [this](const QString& text) { setMessage(text, true); });
    QObject::connect(writer, &SyntheticReviewWriter::rowsWritten, q, [this] {
        emit q->rowsChanged();
        if (const SyntheticRow* row = currentRow()) {
            if (editorRowId == row->id && !editorChanged())
                loadEditor();
            lineageRowId = 0; // the row's text or review may have changed: read its lineage again
            loadLineage();
        }
    });
    QObject::connect(writer, &SyntheticReviewWriter::examplesChanged, q, [this] { emit q->examplesChanged(); });
    QObject::connect(writer, &SyntheticReviewWriter::busyChanged, q, [this] { scheduleUpdate(); });
}

std::vector<int64_t> SyntheticReviewPanel::Private::selectedIds() const
{
    std::vector<int64_t> ids;
    const QModelIndexList rows = table->selectionModel()->selectedRows();
    ids.reserve(static_cast<size_t>(rows.size()));
    for (const QModelIndex& index : rows)
        ids.push_back(index.data(SyntheticRowsModel::IdRole).toLongLong());
    std::sort(ids.begin(), ids.end());
    return ids;
}

const SyntheticRow* SyntheticReviewPanel::Private::currentRow() const
{
    const QModelIndex current = table->selectionModel()->currentIndex();
    if (!current.isValid())
        return nullptr;
    return model->rowById(current.data(SyntheticRowsModel::IdRole).toLongLong());
}

void SyntheticReviewPanel::Private::pushReview(const std::vector<int64_t>& ids, SyntheticReview review,
                                               const QString& text)
{
    std::vector<std::pair<int64_t, SyntheticReview>> before;
    for (int64_t id : ids)
        if (const SyntheticRow* row = model->rowById(id); row && row->review != review)
            before.emplace_back(id, row->review);
    if (before.empty())
        return;
    setMessage({}, false);
    undoStack.push(new SetSyntheticReviewCommand(*writer, std::move(before), review, text));
}

void SyntheticReviewPanel::Private::reviewSelected(SyntheticReview review)
{
    if (!project || !runId)
        return;
    const std::vector<int64_t> ids = selectedIds();
    if (ids.empty())
        return;
    const QString count = rowsText(static_cast<qsizetype>(ids.size()));
    pushReview(ids, review,
               review == SyntheticReview::Accepted ? tr("Accept %1").arg(count) : tr("Reject %1").arg(count));
}

std::vector<int64_t> SyntheticReviewPanel::Private::acceptAboveIds() const
{
    std::vector<int64_t> ids;
    const double minimum = threshold->value();
    for (const SyntheticRow& row : model->rows())
        if (row.stage == SyntheticStage::Passed && row.review == SyntheticReview::Pending && row.quality
            && *row.quality >= minimum)
            ids.push_back(row.id);
    return ids;
}

std::vector<int64_t> SyntheticReviewPanel::Private::likeThisIds() const
{
    std::vector<int64_t> ids;
    const SyntheticRow* current = currentRow();
    if (!current || current->reason.empty())
        return ids;
    const std::string kind = reasonKind(current->reason);
    for (const SyntheticRow& row : model->rows())
        if (row.review == SyntheticReview::Pending && row.stage == current->stage && reasonKind(row.reason) == kind)
            ids.push_back(row.id);
    return ids;
}

qsizetype SyntheticReviewPanel::Private::promotableCount() const
{
    return std::count_if(model->rows().begin(), model->rows().end(), [](const SyntheticRow& row) {
        return row.review == SyntheticReview::Accepted && !row.promotedExampleId;
    });
}

void SyntheticReviewPanel::Private::acceptAbove()
{
    const std::vector<int64_t> ids = acceptAboveIds();
    if (ids.empty())
        return;
    pushReview(ids, SyntheticReview::Accepted,
               tr("Accept %1 with quality ≥ %2")
                   .arg(rowsText(static_cast<qsizetype>(ids.size())), QLocale().toString(threshold->value(), 'f', 1)));
}

void SyntheticReviewPanel::Private::rejectLikeThis()
{
    const SyntheticRow* current = currentRow();
    const std::vector<int64_t> ids = likeThisIds();
    if (!current || ids.empty())
        return;
    pushReview(ids, SyntheticReview::Rejected,
               tr("Reject %1 like this (%2)")
                   .arg(rowsText(static_cast<qsizetype>(ids.size())), fromStd(reasonKind(current->reason))));
    setMessage(tr("Rejected %1: %2, \"%3\". Undo with Ctrl+Z.")
                   .arg(rowsText(static_cast<qsizetype>(ids.size())), syntheticStageText(current->stage).toLower(),
                        fromStd(reasonKind(current->reason))),
               false);
}

void SyntheticReviewPanel::Private::promote()
{
    const qsizetype count = promotableCount();
    if (!project || !runId || count == 0)
        return;
    setMessage({}, false);
    undoStack.push(new PromoteSyntheticRowsCommand(*writer, runId, count));
}

void SyntheticReviewPanel::Private::editText(int64_t id, const std::string& instruction, const std::string& output)
{
    const SyntheticRow* row = model->rowById(id);
    if (!row || !project || (row->instruction == instruction && row->output == output))
        return;
    setMessage({}, false);
    undoStack.push(new EditSyntheticRowCommand(*writer, id, {row->instruction, row->output, row->edited},
                                               {instruction, output, true}));
}

void SyntheticReviewPanel::Private::saveEditor()
{
    if (!editorRowId)
        return;
    const int64_t id = editorRowId;
    editorInstruction = instructionEdit->toPlainText();
    editorOutput = outputEdit->toPlainText();
    editText(id, editorInstruction.toStdString(), editorOutput.toStdString());
    updateActions();
}

void SyntheticReviewPanel::Private::loadEditor()
{
    const SyntheticRow* row = currentRow();
    editorRowId = row ? row->id : 0;
    instructionEdit->setEnabled(row);
    outputEdit->setEnabled(row);
    editorInstruction = row ? fromStd(row->instruction) : QString();
    editorOutput = row ? fromStd(row->output) : QString();
    instructionEdit->setPlainText(editorInstruction);
    outputEdit->setPlainText(editorOutput);
    editorTitle->setText(row ? tr("Row #%1%2").arg(row->slot + 1).arg(row->edited ? tr(" (edited)") : QString())
                             : tr("Select a row to edit its text."));
}

bool SyntheticReviewPanel::Private::editorChanged() const
{
    return instructionEdit->toPlainText() != editorInstruction || outputEdit->toPlainText() != editorOutput;
}

void SyntheticReviewPanel::Private::loadLineage()
{
    const SyntheticRow* row = currentRow();
    if (!row || !project) {
        lineageLoad.cancel();
        lineageRowId = 0;
        lineage->showNotice(tr("Select a row to see where it came from."));
        return;
    }
    if (row->id == lineageRowId)
        return;
    lineageRowId = row->id;
    if (!lineage->topLevelItemCount() || lineage->topLevelItem(0)->childCount() == 0)
        lineage->showNotice(tr("Reading the lineage…"));
    const int64_t id = row->id;
    lineageLoad.start<Lineage>(
        project->path(),
        [id](ts::Database& reader) -> ts::Expected<Lineage> {
            Lineage result;
            result.rowId = id;
            ts::synth::SyntheticRowRepository rows(reader);
            auto steps = rows.lineage(id);
            if (!steps)
                return steps.error();
            result.steps = std::move(*steps);
            if (!result.steps.empty() && result.steps.front().seedExampleId) {
                ts::ExampleRepository examples(reader);
                auto seed = examples.get(*result.steps.front().seedExampleId);
                if (!seed)
                    return seed.error();
                result.seed = std::move(*seed);
            }
            return result;
        },
        [this](ts::Expected<Lineage>& result) {
            if (!result) {
                lineage->showNotice(tr("The lineage cannot be read: %1").arg(fromStd(result.error().message)));
                return;
            }
            lineage->showLineage(result->seed, result->steps);
        });
}

void SyntheticReviewPanel::Private::updateActions()
{
    const bool open = project && runId;
    const std::vector<int64_t> selected = selectedIds();
    acceptButton->setEnabled(open && !selected.empty());
    rejectButton->setEnabled(open && !selected.empty());

    const std::vector<int64_t> likeThis = open ? likeThisIds() : std::vector<int64_t> {};
    rejectLikeThisButton->setEnabled(!likeThis.empty());
    if (likeThis.empty()) {
        rejectLikeThisButton->setText(tr("Reject All Like This"));
        rejectLikeThisButton->setToolTip(
            tr("Select a row with a reason (eliminated, low quality, duplicate…) to reject every pending row that "
               "failed the same way"));
    } else {
        const SyntheticRow* current = currentRow();
        rejectLikeThisButton->setText(tr("Reject All Like This (%1)").arg(likeThis.size()));
        rejectLikeThisButton->setToolTip(tr("Reject the %1 pending: %2, \"%3\"")
                                             .arg(rowsText(static_cast<qsizetype>(likeThis.size())),
                                                  syntheticStageText(current->stage).toLower(),
                                                  fromStd(reasonKind(current->reason))));
    }

    const qsizetype above = open ? static_cast<qsizetype>(acceptAboveIds().size()) : 0;
    acceptAboveButton->setEnabled(above > 0);
    acceptAboveButton->setText(above == 0       ? tr("Accept Pending Rows")
                                   : above == 1 ? tr("Accept 1 Pending Row")
                                                : tr("Accept %1 Pending Rows").arg(above));
    acceptAboveButton->setToolTip(tr("Accept every passed row still pending review whose quality is at least %1")
                                      .arg(QLocale().toString(threshold->value(), 'f', 1)));

    qsizetype accepted = 0;
    qsizetype promoted = 0;
    qsizetype rejected = 0;
    for (const SyntheticRow& row : model->rows()) {
        accepted += row.review == SyntheticReview::Accepted;
        rejected += row.review == SyntheticReview::Rejected;
        promoted += row.promotedExampleId.has_value();
    }
    const qsizetype promotable = promotableCount();
    promoteButton->setEnabled(open && promotable > 0);
    promoteButton->setText(promotable == 0       ? tr("Promote Accepted Rows to Training")
                               : promotable == 1 ? tr("Promote 1 Accepted Row to Training")
                                                 : tr("Promote %1 Accepted Rows to Training").arg(promotable));
    promoteButton->setToolTip(tr("Add the accepted rows not yet promoted to the training set (split train, source "
                                 "synthetic, parent = their seed example)"));
    reviewCounts->setText(tr("%1 accepted (%2 promoted), %3 rejected")
                              .arg(QLocale().toString(static_cast<qint64>(accepted)),
                                   QLocale().toString(static_cast<qint64>(promoted)),
                                   QLocale().toString(static_cast<qint64>(rejected))));

    const int shown = filter->rowCount();
    const int total = model->rowCount();
    shownCount->setText(shown == total ? rowsText(total) : tr("%1 of %2").arg(shown).arg(rowsText(total)));

    saveEditButton->setEnabled(open && editorRowId && editorChanged());
}

void SyntheticReviewPanel::Private::scheduleUpdate()
{
    if (!updateTimer->isActive())
        updateTimer->start();
}

void SyntheticReviewPanel::Private::setMessage(const QString& text, bool error)
{
    message->setText(text);
    message->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
    message->setVisible(!text.isEmpty());
}

SyntheticReviewPanel::SyntheticReviewPanel(QUndoStack& undoStack, QWidget* parent)
    : QWidget(parent)
    , d(new Private(this, undoStack))
{
    d->build();
    d->connectAll();
    d->updateActions();
}

SyntheticReviewPanel::~SyntheticReviewPanel()
{
    delete d;
}

void SyntheticReviewPanel::setProject(ts::Project* project)
{
    d->writer->setProject(project);
    d->project = project;
    d->runId = 0;
    d->lineageLoad.cancel();
    d->lineageRowId = 0;
    d->model->clear();
    d->setMessage({}, false);
    d->loadEditor();
    d->loadLineage();
    d->updateActions();
}

void SyntheticReviewPanel::showRun(qint64 runId, double qualityThreshold)
{
    d->runId = d->project ? runId : 0;
    d->lineageLoad.cancel();
    d->lineageRowId = 0;
    d->model->clear();
    d->threshold->setValue(qualityThreshold);
    d->setMessage({}, false);
    d->loadEditor();
    d->loadLineage();
    d->updateActions();
}

void SyntheticReviewPanel::applyRows(const std::vector<ts::synth::SyntheticRow>& rows)
{
    if (!d->project || !d->runId)
        return;
    if (std::all_of(rows.begin(), rows.end(), [this](const SyntheticRow& row) { return row.runId == d->runId; })) {
        d->model->applyRows(rows);
        return;
    }
    std::vector<SyntheticRow> ofRun;
    std::copy_if(rows.begin(), rows.end(), std::back_inserter(ofRun),
                 [this](const SyntheticRow& row) { return row.runId == d->runId; });
    d->model->applyRows(ofRun);
}

} // namespace ts::ui
