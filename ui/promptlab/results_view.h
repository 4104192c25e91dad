// ResultsView: what an A/B test run produced, live — the outputs grid (examples × variants, side by side, with
// a word diff between two chosen variants, filters, repeats grouped, sorting by a header click, the input and
// reference columns shown or hidden, export as CSV / JSON Lines written off the GUI thread), the summary table with the
// plain-language verdicts, and the bar chart of mean scores with confidence intervals for a chosen scorer. Updates add
// to the grid (it keeps its selection and scroll); a grid row gets its height from its contents when it is first on
// screen, so a large run costs the GUI thread only the rows in view.
#pragma once

#include <memory>
#include <set>

#include <QWidget>

#include "promptlab/ab_feed.h"

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QToolButton;
class QTableView;
class QTabWidget;

namespace ts::ui {

class ResultsFilter;
class ResultsModel;
class ScoreChart;
class SummaryTable;

class ResultsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsView)

public:
    enum Tab { OutputsTab, SummaryTab };

    explicit ResultsView(QWidget* parent = nullptr);

    void applyUpdate(const AbUpdate& update);
    void clearResults();

    ResultsModel* model() const { return m_model; }
    ResultsFilter* filter() const { return m_filter; }
    QTableView* grid() const { return m_grid; }
    QCheckBox* diffCheck() const { return m_diff; }
    QComboBox* diffACombo() const { return m_diffA; }
    QComboBox* diffBCombo() const { return m_diffB; }
    QCheckBox* onlyDifferingCheck() const { return m_onlyDiffering; }
    // All rows, any failure, only failed checks, only call errors.
    QComboBox* failureFilterCombo() const { return m_failures; }
    QCheckBox* groupRepeatsCheck() const { return m_groupRepeats; }
    QAction* showInputAction() const { return m_showInput; }
    QAction* showReferenceAction() const { return m_showReference; }
    QPushButton* exportButton() const { return m_export; }
    QLabel* exportStatusLabel() const { return m_exportStatus; }
    QLabel* gridCountLabel() const { return m_gridCount; }
    // Asks for a file (.csv or .jsonl) and writes every cell of the run there off the GUI thread; exportFinished
    // follows. False when there is nothing to export or the user cancels.
    bool exportResults();
    SummaryTable* summaryTable() const { return m_summary; }
    QLabel* verdictLabel() const { return m_verdicts; }
    // The summary shown (null: none yet).
    std::shared_ptr<const ts::promptlab::AbSummary> summary() const { return m_lastSummary; }
    QLabel* summaryStateLabel() const { return m_summaryState; } // "Live estimate …" while the run goes
    QLabel* spendLabel() const { return m_spend; } // the run's spend by role
    ScoreChart* chart() const { return m_chart; }
    QComboBox* scorerCombo() const { return m_scorer; }
    QTabWidget* tabs() const { return m_tabs; }

signals:
    void exportFinished(const QString& path, const QString& error); // error "" when written

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void applyDiff();
    void updateChart();
    void updateVariantCombos();
    void applySummary(const AbUpdate& update);
    void sizeVisibleRows(); // rows in view that have not been sized to their contents yet
    // Shares the grid's width out so that every variant's column is in view: input and reference narrower, the
    // variants alike. Stops once the user drags a column edge (until the columns change).
    void fitColumns();
    void applyFailureFilter();
    void applyGrouping();
    void updateCount();
    std::shared_ptr<const ts::promptlab::AbSummary> m_lastSummary;
    ResultsModel* m_model = nullptr;
    ResultsFilter* m_filter = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTableView* m_grid = nullptr;
    bool m_fittingColumns = false;
    bool m_userSizedColumns = false;
    QCheckBox* m_diff = nullptr;
    QComboBox* m_diffA = nullptr;
    QComboBox* m_diffB = nullptr;
    QCheckBox* m_onlyDiffering = nullptr;
    QComboBox* m_failures = nullptr;
    QCheckBox* m_groupRepeats = nullptr;
    QToolButton* m_columns = nullptr;
    QAction* m_showInput = nullptr;
    QAction* m_showReference = nullptr;
    QPushButton* m_export = nullptr;
    QLabel* m_exportStatus = nullptr;
    QLabel* m_gridCount = nullptr;
    SummaryTable* m_summary = nullptr;
    QLabel* m_verdicts = nullptr;
    QLabel* m_summaryState = nullptr;
    std::set<std::pair<int64_t, int>> m_unsized; // ResultsModel::RowKey of rows not sized since they changed
    QLabel* m_spend = nullptr;
    ScoreChart* m_chart = nullptr;
    QComboBox* m_scorer = nullptr;
};

} // namespace ts::ui
