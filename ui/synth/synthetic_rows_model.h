// SyntheticRowsModel: the rows of one evolve run as a table (number, instruction, output, operation, round, parent,
// quality, stage, reason, review). Rows are matched by id: applyRows() updates the rows it knows in place and
// appends the new ones, so views keep their selection and scroll position while a run feeds rows in. Rows with a
// write of the user in flight keep the user's columns (review, text, promotion) until the write has landed.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include <QAbstractTableModel>

#include "synth/synthetic_row.h"

namespace ts::ui {

class SyntheticRowsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Number, Instruction, Output, Operation, Round, Parent, Quality, Stage, Reason, Review, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1; // numbers sort as numbers
    static constexpr int IdRole = Qt::UserRole + 2; // the row's id (qint64)

    explicit SyntheticRowsModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    // An edit of the instruction or output is not stored here: it becomes textEditRequested (an undoable command).
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;

    void clear();
    // New rows are appended, known ones (by id) updated in place.
    void applyRows(const std::vector<ts::synth::SyntheticRow>& rows);

    // The user's changes, shown at once while their write runs: holdUserColumns() before, releaseUserColumns()
    // once the write has ended (then applyRows() with the stored rows makes the table exact again).
    void holdUserColumns(const std::vector<int64_t>& ids);
    void releaseUserColumns(const std::vector<int64_t>& ids);
    void setReviewLocally(int64_t id, ts::synth::SyntheticReview review);
    void setTextLocally(int64_t id, const std::string& instruction, const std::string& output, bool edited);

    const std::vector<ts::synth::SyntheticRow>& rows() const { return m_rows; }
    const ts::synth::SyntheticRow& rowAt(int row) const { return m_rows[static_cast<size_t>(row)]; }
    const ts::synth::SyntheticRow* rowById(int64_t id) const;
    int rowOf(int64_t id) const; // -1 when absent

signals:
    void textEditRequested(qint64 id, const QString& instruction, const QString& output);

private:
    QVariant displayText(const ts::synth::SyntheticRow& row, int column) const;
    QVariant toolTip(const ts::synth::SyntheticRow& row, int column) const;
    QVariant sortKey(const ts::synth::SyntheticRow& row, int column) const;
    void rowChanged(int row);

    std::vector<ts::synth::SyntheticRow> m_rows;
    std::unordered_map<int64_t, int> m_rowOfId;
    std::unordered_map<int64_t, int> m_heldWrites; // id → writes in flight
};

// Plain words for a stage and a review, as the table shows them.
QString syntheticStageText(ts::synth::SyntheticStage stage);
QString syntheticReviewText(const ts::synth::SyntheticRow& row);

} // namespace ts::ui
