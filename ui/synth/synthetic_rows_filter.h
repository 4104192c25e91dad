// SyntheticRowsFilter: the review table's filter and sort over SyntheticRowsModel: one stage or review at a time
// (the stage combo's choices) and a text search over instruction, output, operation and reason.
#pragma once

#include <QSortFilterProxyModel>

namespace ts::ui {

class SyntheticRowsFilter final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    // The stage combo's entries, in its order.
    enum class Show { All, Passed, LowQuality, Duplicate, Leak, Eliminated, Failed, Waiting, Accepted, Rejected };

    explicit SyntheticRowsFilter(QObject* parent = nullptr);

    void setShow(Show show);
    void setSearch(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    Show m_show = Show::All;
    QString m_search;
};

} // namespace ts::ui
