// ResultsView: an HTML delegate for the grid cells, the diff / filter controls, and the summary tab.
#include "promptlab/results_view.h"

#include <algorithm>
#include <filesystem>

#include <QAbstractTextDocumentLayout>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "bridge/background_task.h"
#include "bridge/path_conversion.h"
#include "dialogs/dialogs.h"
#include "promptlab/results_export.h"
#include "promptlab/results_model.h"
#include "promptlab/score_chart.h"
#include "promptlab/summary_table.h"

namespace ts::ui {

namespace {

// Paints ResultsModel::HtmlRole as rich text; rows grow to fit up to kMaxHeight.
class HtmlDelegate final : public QStyledItemDelegate
{
public:
    static constexpr int kMaxHeight = 220;

    HtmlDelegate(QTableView* view)
        : QStyledItemDelegate(view)
        , m_view(view)
    { }

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString html = index.data(ResultsModel::HtmlRole).toString();
        opt.text.clear();
        opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
        if (html.isEmpty()) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QTextDocument doc;
        doc.setDefaultFont(opt.font);
        doc.setHtml(html);
        doc.setTextWidth(opt.rect.width() - 6);
        painter->save();
        painter->translate(opt.rect.topLeft() + QPoint(3, 2));
        painter->setClipRect(QRect(0, 0, opt.rect.width() - 6, opt.rect.height() - 4));
        QAbstractTextDocumentLayout::PaintContext context;
        context.palette = opt.palette;
        if (opt.state & QStyle::State_Selected)
            context.palette.setColor(QPalette::Text, opt.palette.color(QPalette::HighlightedText));
        doc.documentLayout()->draw(painter, context);
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const QString html = index.data(ResultsModel::HtmlRole).toString();
        if (html.isEmpty())
            return QStyledItemDelegate::sizeHint(option, index);
        QTextDocument doc;
        doc.setDefaultFont(option.font);
        doc.setHtml(html);
        doc.setTextWidth(std::max(60, m_view->columnWidth(index.column()) - 6));
        return QSize(static_cast<int>(doc.idealWidth()) + 6,
                     std::min(kMaxHeight, static_cast<int>(doc.size().height()) + 4));
    }

private:
    QTableView* m_view;
};

// "Spent $0.4200: variants $0.3000 · judge $0.0800 · pairwise $0.0400", roles without spend left out; "Cost
// unknown …" when no call had a price (not "$0.0000").
QString spendByRoleText(const ts::promptlab::AbSummary& summary)
{
    const ts::promptlab::SpendByRole& spend = summary.spend;
    const bool priced = spend.total() > 0
        || std::any_of(summary.variants.begin(), summary.variants.end(),
                       [](const ts::promptlab::VariantSummary& v) { return v.costTotal.has_value(); });
    if (!priced)
        return QCoreApplication::translate("ResultsView",
                                           "Cost unknown: the endpoints of this run have no price per token");
    const QLocale locale;
    const auto usd = [&](double v) { return QStringLiteral("$") + locale.toString(v, 'f', v < 10 ? 4 : 2); };
    QStringList parts;
    if (spend.variant > 0)
        parts << QCoreApplication::translate("ResultsView", "variants %1").arg(usd(spend.variant));
    if (spend.judge > 0)
        parts << QCoreApplication::translate("ResultsView", "judge %1").arg(usd(spend.judge));
    if (spend.pairwise > 0)
        parts << QCoreApplication::translate("ResultsView", "pairwise %1").arg(usd(spend.pairwise));
    const QString total = QCoreApplication::translate("ResultsView", "Spent %1").arg(usd(spend.total()));
    return parts.isEmpty() ? total : total + QStringLiteral(": ") + parts.join(QStringLiteral(" · "));
}

} // namespace

ResultsView::ResultsView(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("resultsView"));
    m_model = new ResultsModel(this);
    m_filter = new ResultsFilter(this);
    m_filter->setSourceModel(m_model);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("resultsTabs"));
    m_tabs->setDocumentMode(true);
    layout->addWidget(m_tabs);

    // Outputs.
    auto* outputs = new QWidget(m_tabs);
    auto* outLayout = new QVBoxLayout(outputs);
    outLayout->setContentsMargins(0, 4, 0, 0);
    auto* controls = new QHBoxLayout();
    m_diff = new QCheckBox(tr("&Diff"), outputs);
    m_diff->setObjectName(QStringLiteral("diffCheck"));
    m_diff->setToolTip(tr("Mark the words in which the two chosen variants' outputs differ (red: only in the first, "
                          "green: only in the second)"));
    m_diffA = new QComboBox(outputs);
    m_diffA->setObjectName(QStringLiteral("diffACombo"));
    m_diffB = new QComboBox(outputs);
    m_diffB->setObjectName(QStringLiteral("diffBCombo"));
    m_onlyDiffering = new QCheckBox(tr("Only &differences"), outputs);
    m_onlyDiffering->setObjectName(QStringLiteral("onlyDifferingCheck"));
    m_onlyDiffering->setToolTip(tr("Hide the examples on which the two chosen variants answered alike"));
    m_failures = new QComboBox(outputs);
    m_failures->setObjectName(QStringLiteral("failureFilterCombo"));
    m_failures->addItem(tr("All rows"));
    m_failures->addItem(tr("Only failures (checks or calls)"));
    m_failures->addItem(tr("Only failed checks"));
    m_failures->addItem(tr("Only call errors"));
    m_failures->setToolTip(tr("Failed checks: the model answered but a pass/fail scorer failed it. Call errors: the "
                              "request itself failed (no answer)."));
    m_failures->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_failures->setMinimumContentsLength(14);
    m_gridCount = new QLabel(outputs);
    m_gridCount->setObjectName(QStringLiteral("gridCountLabel"));
    // Variant names do not widen the window (a small screen has room for about 1024 px).
    for (QComboBox* combo : {m_diffA, m_diffB}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(8);
    }
    controls->addWidget(m_diff);
    controls->addWidget(m_diffA);
    controls->addWidget(new QLabel(tr("vs"), outputs));
    controls->addWidget(m_diffB);
    controls->addWidget(m_onlyDiffering);
    controls->addStretch(1);
    controls->addWidget(m_gridCount);
    outLayout->addLayout(controls);

    auto* viewRow = new QHBoxLayout();
    m_groupRepeats = new QCheckBox(tr("&Group repeats"), outputs);
    m_groupRepeats->setObjectName(QStringLiteral("groupRepeatsCheck"));
    m_groupRepeats->setChecked(m_model->groupRepeats());
    m_groupRepeats->setToolTip(tr("One row per example, its repeats together (\"2/3 pass\", mean scores; each "
                                  "repeat in the tooltip), or one row per repeat"));
    m_columns = new QToolButton(outputs);
    m_columns->setObjectName(QStringLiteral("resultsColumnsButton"));
    m_columns->setText(tr("&Columns"));
    m_columns->setPopupMode(QToolButton::InstantPopup);
    m_columns->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto* columnsMenu = new QMenu(m_columns);
    m_showInput = columnsMenu->addAction(tr("Input"));
    m_showInput->setObjectName(QStringLiteral("showInputAction"));
    m_showReference = columnsMenu->addAction(tr("Reference"));
    m_showReference->setObjectName(QStringLiteral("showReferenceAction"));
    for (QAction* action : {m_showInput, m_showReference}) {
        action->setCheckable(true);
        action->setChecked(true);
    }
    m_columns->setMenu(columnsMenu);
    m_columns->setToolTip(tr("Show or hide the input and reference columns"));
    m_export = new QPushButton(tr("E&xport…"), outputs);
    m_export->setObjectName(QStringLiteral("exportResultsButton"));
    m_export->setToolTip(tr("Save every result of this run (all rows, whatever the filter) as CSV or JSON Lines"));
    m_exportStatus = new QLabel(outputs);
    m_exportStatus->setObjectName(QStringLiteral("exportStatusLabel"));
    m_exportStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_exportStatus->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // a long path never widens
    viewRow->addWidget(m_failures);
    viewRow->addWidget(m_groupRepeats);
    viewRow->addWidget(m_columns);
    viewRow->addWidget(m_export);
    viewRow->addWidget(m_exportStatus, 1);
    outLayout->addLayout(viewRow);
    m_grid = new QTableView(outputs);
    m_grid->setObjectName(QStringLiteral("resultsGrid"));
    m_grid->setModel(m_filter);
    m_grid->setItemDelegate(new HtmlDelegate(m_grid));
    m_grid->setWordWrap(true);
    m_grid->setAlternatingRowColors(true);
    m_grid->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_grid->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_grid->verticalHeader()->setVisible(false);
    // Not ResizeToContents: that measures every row (rich text, per column) whenever rows are added; rows are
    // sized as they come into view instead (sizeVisibleRows).
    m_grid->verticalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_grid->horizontalHeader()->setDefaultSectionSize(240);
    m_grid->horizontalHeader()->setMinimumSectionSize(50);
    // Unsorted (the model's order: example, repeat) until a header is clicked.
    m_grid->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_grid->setSortingEnabled(true);
    outLayout->addWidget(m_grid, 1);
    m_tabs->addTab(outputs, tr("&Outputs"));

    // Summary.
    auto* summary = new QSplitter(Qt::Vertical, m_tabs);
    summary->setObjectName(QStringLiteral("summarySplitter"));
    auto* top = new QWidget(summary);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 4, 0, 0);
    m_summary = new SummaryTable(top);
    topLayout->addWidget(m_summary, 1);
    m_summaryState = new QLabel(top);
    m_summaryState->setObjectName(QStringLiteral("summaryStateLabel"));
    m_summaryState->setWordWrap(true);
    topLayout->insertWidget(0, m_summaryState);
    m_verdicts = new QLabel(top);
    m_verdicts->setObjectName(QStringLiteral("verdictLabel"));
    m_verdicts->setWordWrap(true);
    m_verdicts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    topLayout->addWidget(m_verdicts);
    m_spend = new QLabel(top);
    m_spend->setObjectName(QStringLiteral("summarySpendLabel"));
    m_spend->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_spend->setToolTip(tr("What the whole run spent (every session), by the role of the calls: the variants' "
                           "answers, the judge's gradings and the pairwise judgements. Calls without a price "
                           "are not counted."));
    topLayout->addWidget(m_spend);
    summary->addWidget(top);
    auto* chartBox = new QWidget(summary);
    auto* chartLayout = new QVBoxLayout(chartBox);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    auto* scorerRow = new QHBoxLayout();
    auto* scorerLabel = new QLabel(tr("Sc&orer:"), chartBox);
    m_scorer = new QComboBox(chartBox);
    m_scorer->setObjectName(QStringLiteral("chartScorerCombo"));
    scorerLabel->setBuddy(m_scorer);
    scorerRow->addWidget(scorerLabel);
    scorerRow->addWidget(m_scorer);
    scorerRow->addStretch(1);
    chartLayout->addLayout(scorerRow);
    m_chart = new ScoreChart(chartBox);
    chartLayout->addWidget(m_chart, 1);
    summary->addWidget(chartBox);
    m_tabs->addTab(summary, tr("S&ummary"));

    connect(m_diff, &QCheckBox::toggled, this, &ResultsView::applyDiff);
    connect(m_diffA, &QComboBox::currentIndexChanged, this, &ResultsView::applyDiff);
    connect(m_diffB, &QComboBox::currentIndexChanged, this, &ResultsView::applyDiff);
    connect(m_onlyDiffering, &QCheckBox::toggled, this, &ResultsView::applyDiff);
    connect(m_failures, &QComboBox::currentIndexChanged, this, &ResultsView::applyFailureFilter);
    connect(m_groupRepeats, &QCheckBox::toggled, this, &ResultsView::applyGrouping);
    connect(m_showInput, &QAction::toggled, this,
            [this](bool on) { m_grid->setColumnHidden(ResultsModel::InputColumn, !on); });
    connect(m_showReference, &QAction::toggled, this,
            [this](bool on) { m_grid->setColumnHidden(ResultsModel::ReferenceColumn, !on); });
    connect(m_export, &QPushButton::clicked, this, &ResultsView::exportResults);
    connect(m_scorer, &QComboBox::currentIndexChanged, this, &ResultsView::updateChart);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &ResultsView::updateCount);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &ResultsView::updateCount);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &ResultsView::updateCount);
    // Rows that come into view get their height: scrolling, filtering, resizing, showing the tab.
    auto sizeSoon = [this] { QTimer::singleShot(0, this, &ResultsView::sizeVisibleRows); };
    connect(m_grid->verticalScrollBar(), &QScrollBar::valueChanged, this, &ResultsView::sizeVisibleRows);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, sizeSoon);
    connect(m_filter, &QAbstractItemModel::modelReset, this, sizeSoon);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, sizeSoon);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, sizeSoon);
    connect(m_tabs, &QTabWidget::currentChanged, this, sizeSoon);
    m_grid->viewport()->installEventFilter(this);
    connect(m_grid->horizontalHeader(), &QHeaderView::sectionResized, this, [this] {
        if (!m_fittingColumns)
            m_userSizedColumns = true;
    });
    auto columnsChanged = [this] {
        m_userSizedColumns = false;
        QTimer::singleShot(0, this, &ResultsView::fitColumns);
    };
    connect(m_filter, &QAbstractItemModel::columnsInserted, this, columnsChanged);
    connect(m_filter, &QAbstractItemModel::columnsRemoved, this, columnsChanged);
    connect(m_filter, &QAbstractItemModel::modelReset, this, columnsChanged);
    clearResults();
}

void ResultsView::fitColumns()
{
    if (m_userSizedColumns)
        return;
    QHeaderView* header = m_grid->horizontalHeader();
    const int columns = m_filter->columnCount();
    const int variants = columns - ResultsModel::FirstVariantColumn;
    const int available = m_grid->viewport()->width() - m_grid->columnWidth(ResultsModel::ExampleColumn);
    if (variants <= 0 || available <= 0)
        return;
    m_fittingColumns = true;
    // Input and reference take up to a fifth of the width each (at least 120 px), the variants share the rest
    // (at least 160 px each: below that a horizontal scroll bar is the better choice).
    int context = 0;
    for (int column : {int(ResultsModel::InputColumn), int(ResultsModel::ReferenceColumn)}) {
        if (header->isSectionHidden(column))
            continue;
        const int width = std::clamp(available / 5, 120, 320);
        m_grid->setColumnWidth(column, width);
        context += width;
    }
    const int share = std::max(160, (available - context) / variants);
    for (int column = ResultsModel::FirstVariantColumn; column < columns; ++column)
        m_grid->setColumnWidth(column, share);
    m_fittingColumns = false;
    for (int r = 0; r < m_model->rowCount(); ++r) // row heights follow the new widths
        m_unsized.insert(m_model->rowKey(r));
    sizeVisibleRows();
}

void ResultsView::updateCount()
{
    const int shown = m_filter->rowCount(), all = m_model->rowCount();
    m_gridCount->setText(all == 1 ? tr("%1 of 1 row").arg(shown) : tr("%1 of %2 rows").arg(shown).arg(all));
    m_export->setEnabled(m_model->cellCount() > 0);
}

void ResultsView::applyFailureFilter()
{
    switch (m_failures->currentIndex()) {
    case 1:
        m_filter->setOnlyFailures(ResultsModel::Failures::Any);
        break;
    case 2:
        m_filter->setOnlyFailures(ResultsModel::Failures::FailedChecks);
        break;
    case 3:
        m_filter->setOnlyFailures(ResultsModel::Failures::CallErrors);
        break;
    default:
        m_filter->setOnlyFailures(std::nullopt);
        break;
    }
}

void ResultsView::applyGrouping()
{
    m_model->setGroupRepeats(m_groupRepeats->isChecked());
    for (int r = 0; r < m_model->rowCount(); ++r)
        m_unsized.insert(m_model->rowKey(r));
    m_grid->resizeColumnToContents(ResultsModel::ExampleColumn);
    sizeVisibleRows();
}

bool ResultsView::exportResults()
{
    if (m_model->cellCount() == 0)
        return false;
    QString path
        = Dialogs::getSaveFileName(this, tr("Export results"), QString(), tr("CSV (*.csv);;JSON Lines (*.jsonl)"));
    if (path.isEmpty())
        return false;
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("csv") && suffix != QLatin1String("jsonl"))
        path += QStringLiteral(".csv");
    const auto format = path.endsWith(QLatin1String(".jsonl"), Qt::CaseInsensitive)
        ? ts::promptlab::ResultsFormat::Jsonl
        : ts::promptlab::ResultsFormat::Csv;
    // A copy for the worker: the model keeps changing while a run goes.
    auto cells = std::make_shared<const std::vector<ts::Cell>>(m_model->cellsInRowOrder());
    auto examples = std::make_shared<std::map<int64_t, ts::promptlab::ExampleText>>();
    for (const auto& [id, texts] : m_model->exampleTexts())
        (*examples)[id] = {texts.first, texts.second};
    const std::filesystem::path file = toPath(path);
    m_export->setEnabled(false);
    m_exportStatus->setText(tr("Exporting %1 results…").arg(QLocale().toString(qlonglong(cells->size()))));
    runInBackground<QString>(
        this,
        [file, format, cells, examples] {
            const ts::Status status = ts::promptlab::writeResults(file, format, *cells, *examples);
            return status.ok() ? QString() : fromStd(status.error().message);
        },
        [this, path, count = cells->size()](const QString& error) {
            m_export->setEnabled(m_model->cellCount() > 0);
            if (error.isEmpty())
                m_exportStatus->setText(
                    count == 1 ? tr("Exported 1 result to %1").arg(QDir::toNativeSeparators(path))
                               : tr("Exported %1 results to %2")
                                     .arg(QLocale().toString(qlonglong(count)), QDir::toNativeSeparators(path)));
            else
                m_exportStatus->setText(tr("Export failed: %1").arg(error));
            emit exportFinished(path, error);
        });
    return true;
}

void ResultsView::clearResults()
{
    m_model->clear();
    m_exportStatus->clear();
    m_lastSummary.reset();
    m_unsized.clear();
    m_summaryState->clear();
    m_summary->clearSummary();
    m_verdicts->clear();
    m_spend->clear();
    m_chart->clearChart();
    QSignalBlocker a(m_diffA), b(m_diffB), s(m_scorer);
    m_diffA->clear();
    m_diffB->clear();
    m_scorer->clear();
}

void ResultsView::applyUpdate(const AbUpdate& update)
{
    std::vector<ResultsModel::RowKey> touched;
    if (update.replace) {
        m_model->setRun(update.added, update.examples, update.variantOrder);
        for (int r = 0; r < m_model->rowCount(); ++r)
            touched.push_back(m_model->rowKey(r));
        m_grid->resizeColumnToContents(ResultsModel::ExampleColumn);
    } else {
        std::vector<ts::Cell> cells = update.added;
        cells.insert(cells.end(), update.changed.begin(), update.changed.end());
        touched = m_model->addCells(cells, update.examples);
        // The example column fits its longest label ("#123 (repeat 2)"), measured without asking the delegate.
        const QFontMetrics metrics(m_grid->font());
        int width = m_grid->columnWidth(ResultsModel::ExampleColumn);
        for (const ResultsModel::RowKey& key : touched) {
            width = std::max(width, metrics.horizontalAdvance(ResultsModel::exampleLabel(key)) + 16);
        }
        if (width != m_grid->columnWidth(ResultsModel::ExampleColumn))
            m_grid->setColumnWidth(ResultsModel::ExampleColumn, width);
    }
    m_unsized.insert(touched.begin(), touched.end());
    sizeVisibleRows();
    updateVariantCombos();
    if (update.summaryChanged)
        applySummary(update);
}

void ResultsView::updateVariantCombos()
{
    const QStringList variants = m_model->variants();
    QStringList shown;
    for (int i = 0; i < m_diffA->count(); ++i)
        shown.append(m_diffA->itemText(i));
    if (shown == variants)
        return;
    {
        QSignalBlocker a(m_diffA), b(m_diffB);
        const QString oldA = m_diffA->currentText(), oldB = m_diffB->currentText();
        m_diffA->clear();
        m_diffB->clear();
        m_diffA->addItems(variants);
        m_diffB->addItems(variants);
        m_diffA->setCurrentIndex(std::max<qsizetype>(0, variants.indexOf(oldA)));
        const int b0 = variants.indexOf(oldB);
        m_diffB->setCurrentIndex(b0 >= 0 ? b0 : std::min<int>(1, static_cast<int>(variants.size()) - 1));
    }
    applyDiff();
}

void ResultsView::applySummary(const AbUpdate& update)
{
    const QLocale locale;
    m_summaryState->setText(
        update.summaryLive ? tr("Live estimate (%1 bootstrap resamples); the final numbers come when the run ends.")
                                 .arg(locale.toString(update.resamples))
                           : tr("Final: %1 bootstrap resamples.").arg(locale.toString(update.resamples)));
    m_summaryState->setProperty("live", update.summaryLive);
    m_lastSummary = update.summary;
    if (!update.summary) {
        m_summary->clearSummary();
        m_verdicts->setText(update.summaryError);
        m_spend->clear();
        m_chart->clearChart();
        return;
    }
    m_summary->setSummary(*update.summary);
    m_spend->setText(spendByRoleText(*update.summary));
    QStringList lines;
    for (const auto& pair : update.summary->pairs)
        lines.append(QStringLiteral("• ") + fromStd(pair.verdict));
    m_verdicts->setText(lines.isEmpty() ? tr("Verdicts appear once two variants have answered the same examples.")
                                        : lines.join(QLatin1Char('\n')));
    {
        QSignalBlocker s(m_scorer);
        const QString old = m_scorer->currentText();
        m_scorer->clear();
        m_scorer->addItems(m_summary->scorers());
        const int i = m_summary->scorers().indexOf(old);
        m_scorer->setCurrentIndex(i >= 0 ? i : 0);
    }
    updateChart();
}

void ResultsView::sizeVisibleRows()
{
    if (m_unsized.empty() || !m_grid->isVisible())
        return;
    const int height = m_grid->viewport()->height();
    for (int r = std::max(0, m_grid->rowAt(0)); r < m_filter->rowCount(); ++r) {
        if (m_grid->rowViewportPosition(r) >= height)
            break;
        const int source = m_filter->mapToSource(m_filter->index(r, 0)).row();
        if (source >= 0 && m_unsized.erase(m_model->rowKey(source)))
            m_grid->resizeRowToContents(r);
    }
}

bool ResultsView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_grid->viewport() && (event->type() == QEvent::Resize || event->type() == QEvent::Show)) {
        QTimer::singleShot(0, this, &ResultsView::fitColumns);
        QTimer::singleShot(0, this, &ResultsView::sizeVisibleRows);
    }
    return QWidget::eventFilter(watched, event);
}

void ResultsView::applyDiff()
{
    const QString a = m_diffA->currentText(), b = m_diffB->currentText();
    if (m_diff->isChecked())
        m_model->setDiff(a, b);
    else
        m_model->setDiff({}, {});
    m_filter->setOnlyDiffering(m_onlyDiffering->isChecked(), a, b);
}

void ResultsView::updateChart()
{
    if (!m_lastSummary || m_scorer->currentText().isEmpty()) {
        m_chart->clearChart();
        return;
    }
    m_chart->setSummary(*m_lastSummary, m_scorer->currentText());
}

} // namespace ts::ui
