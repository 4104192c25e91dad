// ResultsModel: an A/B test run as a grid — one row per example (its repeats grouped: "✓ 2/3 pass", mean scores,
// each repeat in the tooltip) or, with grouping off, per (example, repeat); columns for the input, the reference
// answer and each variant's output with a pass/fail chip (symbol and words, not colour alone) and its scores. Rows
// stay ordered by example and repeat; cells that arrive while the run goes are added in place (rows inserted, cells
// changed), so a view keeps its selection and scroll. With the diff on, the outputs of two chosen variants carry
// their word-level differences (promptlab::diffWords). ResultsFilter hides rows ("only where A and B differ",
// "only failed checks", "only call errors") and sorts them by SortRole (a variant column by its share of passed
// checks).
#pragma once

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QStringList>

#include "promptlab/cell_repository.h"
#include "promptlab/text_diff.h"
#include "store/example.h"

namespace ts::ui {

class ResultsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsModel)

public:
    enum Column { ExampleColumn, InputColumn, ReferenceColumn, FirstVariantColumn };
    enum Role {
        HtmlRole = Qt::UserRole + 1, // the cell as rich text: output (diff marked), then the scores line
        ScoresRole, // "exact_match 1 · contains 1 · …" (variant columns)
        FailedRole, // bool: the call failed (variant columns)
        ChangedWordsRole, // QStringList: the changed segments when the diff is on (its two columns)
        PassRole, // QString: the chip's words, "✓ pass", "✗ fail", "✓ 3/3 pass", "✗ 1/3 pass"; "" without checks
        SortRole, // what a click on the header sorts by (a variant column: the share of checks passed, then score)
        RepeatsRole, // int: the repeats in the cell (variant columns)
    };
    enum class Failures { Any, FailedChecks, CallErrors }; // what "a failure" means to rowHas()
    static constexpr int kMaxShownChars = 4000; // longer outputs are cut in the grid (the tooltip says so)

    explicit ResultsModel(QObject* parent = nullptr);

    using RowKey = std::pair<int64_t, int>; // example id, repeat (0 for a row of grouped repeats)

    // `variantOrder`: the run's variant labels, baseline first (variants only seen in cells are appended).
    void setRun(const std::vector<ts::Cell>& cells, const std::vector<ts::Example>& examples,
                const QStringList& variantOrder);
    // Adds cells of the run shown (new rows are inserted where they belong, a new variant adds a column) and
    // replaces cells it holds at the same (variant, example, repeat). Returns the rows added or changed.
    std::vector<RowKey> addCells(const std::vector<ts::Cell>& cells, const std::vector<ts::Example>& examples);
    void clear();
    RowKey rowKey(int row) const;
    static QString exampleLabel(const RowKey& key); // "#12", "#12 (repeat 2)": the example column's text
    // One row per example with its repeats (the default), or one per (example, repeat).
    void setGroupRepeats(bool on);
    bool groupRepeats() const { return m_groupRepeats; }
    QStringList variants() const { return m_variants; }
    // Word diff between the outputs of variants a and b (labels); off when either is empty or unknown.
    void setDiff(const QString& a, const QString& b);
    bool diffOn() const { return m_diffA >= 0 && m_diffB >= 0; }

    const ts::Cell* cellAt(int row, int variant) const; // the first repeat in the row
    std::vector<const ts::Cell*> cellsAt(int row, int variant) const; // every repeat in the row, in order
    bool rowHas(int row, Failures failures) const;
    // A variant cell's place in a sort by score: the share of its checks (over every repeat) that passed, a failed
    // call counting as failed, then the mean of its first scorer; a cell without checks sorts below one that failed
    // them all, one not answered yet lowest.
    std::pair<double, double> sortKey(int row, int variant) const;
    // Every cell, in row order (example, repeat) and variant order, with the examples' full input and reference:
    // what an export writes.
    std::vector<ts::Cell> cellsInRowOrder() const;
    std::map<int64_t, std::pair<std::string, std::string>> exampleTexts() const { return m_exampleTexts; }
    bool anyCostKnown() const;
    bool rowDiffers(int row, const QString& a, const QString& b) const;
    int cellCount() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        int64_t exampleId = 0;
        int repeat = 0;
        QString input;
        QString reference;
        std::vector<std::vector<int>> cells; // per variant, indexes into m_cells in repeat order (empty: not yet)
        std::optional<ts::promptlab::WordDiff> diff; // with the diff on, when both cells answered
    };
    void rememberExamples(const std::vector<ts::Example>& examples);
    RowKey keyOf(const ts::Cell& cell) const;
    void buildRows(const std::vector<ts::Cell>& cells); // inside a model reset
    Row newRow(const RowKey& key) const;
    int rowOf(const RowKey& key) const; // -1: none
    int variantColumn(const std::string& variant, bool notify); // adds the variant when new
    void placeCell(Row& row, const ts::Cell& cell, int variant);
    void computeDiff(Row& row) const;
    void computeDiffs();
    QString cellHtml(const Row& row, int variant) const;
    QString cellToolTip(const Row& row, int variant) const;
    std::vector<const ts::Cell*> cellsOf(const Row& row, int variant) const;

    bool m_groupRepeats = true;

    std::vector<ts::Cell> m_cells;
    std::vector<Row> m_rows; // ordered by key
    QStringList m_variants;
    std::map<int64_t, std::pair<QString, QString>> m_examples; // id → input, reference (as shown)
    std::map<int64_t, std::pair<std::string, std::string>> m_exampleTexts; // id → input, reference (whole)
    int m_diffA = -1, m_diffB = -1;
};

class ResultsFilter final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsFilter)

public:
    explicit ResultsFilter(QObject* parent = nullptr);
    void setOnlyDiffering(bool on, const QString& a = {}, const QString& b = {});
    // Only rows with a failure of this kind; nullopt: every row.
    void setOnlyFailures(std::optional<ResultsModel::Failures> failures);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    bool m_onlyDiffering = false;
    std::optional<ResultsModel::Failures> m_onlyFailures;
    QString m_a, m_b;
};

} // namespace ts::ui
