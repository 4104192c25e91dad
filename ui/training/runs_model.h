// RunsModel: the project's training runs as a table (name with a check box and the run's colour, status, started),
// for the Training page's run list; the checked runs are the ones plotted.
#pragma once

#include <optional>
#include <vector>

#include <QAbstractTableModel>
#include <QColor>
#include <QSet>

#include "store/run_repository.h"

namespace ts::ui {

class RunsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunsModel)

public:
    enum Column { NameColumn, StatusColumn, StartedColumn, ColumnCount };
    enum Role { RunIdRole = Qt::UserRole + 1 };

    explicit RunsModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Newest first, as RunRepository::list() gives them. Rows of runs already shown are updated in place; new
    // runs are inserted. Returns the ids that were not in the model before.
    QList<qint64> setRuns(const std::vector<ts::Run>& runs);
    void clear(); // forgets the runs and which are checked

    const ts::Run* runAt(int row) const;
    const ts::Run* runById(qint64 id) const;
    int rowOf(qint64 id) const; // -1 when absent

    bool isChecked(qint64 id) const { return m_checked.contains(id); }
    void setChecked(qint64 id, bool checked);
    QSet<qint64> checkedIds() const { return m_checked; }

    // A fixed colour per run id (the same in every session and every chart).
    static QColor colorFor(qint64 runId);
    static QString statusText(ts::RunStatus status);

signals:
    void checkedChanged(qint64 runId, bool checked);

private:
    std::vector<ts::Run> m_runs;
    QSet<qint64> m_checked;
};

} // namespace ts::ui
