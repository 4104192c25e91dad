// ResultsModel: an A/B test run as a grid — one row per (example, repeat), columns for the input, the reference
// answer and each variant's output with its scores. Rows stay ordered by example and repeat; cells that arrive
// while the run goes are added in place (rows inserted, cells changed), so a view keeps its selection and scroll. With
// the diff on, the outputs of two chosen variants carry their word-level differences (promptlab::diffWords).
// ResultsFilter hides rows: "only where A and B differ", "only failures".
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
    };
    static constexpr int kMaxShownChars = 4000; // longer outputs are cut in the grid (the tooltip says so)

    explicit ResultsModel(QObject* parent = nullptr);

    using RowKey = std::pair<int64_t, int>; // example id, repeat

    // `variantOrder`: the run's variant labels, baseline first (variants only seen in cells are appended).
    void setRun(const std::vector<ts::Cell>& cells, const std::vector<ts::Example>& examples,
                const QStringList& variantOrder);
    // Adds cells of the run shown (new rows are inserted where they belong, a new variant adds a column) and
    // replaces cells it holds at the same (variant, example, repeat). Returns the rows added or changed.
    std::vector<RowKey> addCells(const std::vector<ts::Cell>& cells, const std::vector<ts::Example>& examples);
    void clear();
    RowKey rowKey(int row) const;
    static QString exampleLabel(const RowKey& key); // "#12", "#12 (repeat 2)": the example column's text
    QStringList variants() const { return m_variants; }
    // Word diff between the outputs of variants a and b (labels); off when either is empty or unknown.
    void setDiff(const QString& a, const QString& b);
    bool diffOn() const { return m_diffA >= 0 && m_diffB >= 0; }

    const ts::Cell* cellAt(int row, int variant) const;
    bool rowHasFailure(int row) const;
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
        std::vector<int> cells; // index into m_cells per variant, -1 when not there yet
        std::optional<ts::promptlab::WordDiff> diff; // with the diff on, when both cells answered
    };
    void rememberExamples(const std::vector<ts::Example>& examples);
    Row newRow(const RowKey& key) const;
    int rowOf(const RowKey& key) const; // -1: none
    int variantColumn(const std::string& variant, bool notify); // adds the variant when new
    void placeCell(Row& row, const ts::Cell& cell, int variant);
    void computeDiff(Row& row) const;
    void computeDiffs();
    QString cellHtml(const Row& row, int variant) const;
    static QString scoresLine(const ts::Cell& cell);

    std::vector<ts::Cell> m_cells;
    std::vector<Row> m_rows; // ordered by key
    QStringList m_variants;
    std::map<int64_t, std::pair<QString, QString>> m_examples; // id → input, reference (as shown)
    int m_diffA = -1, m_diffB = -1;
};

class ResultsFilter final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsFilter)

public:
    explicit ResultsFilter(QObject* parent = nullptr);
    void setOnlyDiffering(bool on, const QString& a = {}, const QString& b = {});
    void setOnlyFailures(bool on);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool m_onlyDiffering = false;
    bool m_onlyFailures = false;
    QString m_a, m_b;
};

} // namespace ts::ui
