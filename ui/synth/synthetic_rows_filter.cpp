// SyntheticRowsFilter: stage/review and text filters over the run's rows (see synthetic_rows_filter.h).
#include "synth/synthetic_rows_filter.h"

#include "synth/synthetic_rows_model.h"

namespace ts::ui {

using ts::synth::SyntheticReview;
using ts::synth::SyntheticRow;
using ts::synth::SyntheticStage;

namespace {

bool shows(SyntheticRowsFilter::Show show, const SyntheticRow& row)
{
    using Show = SyntheticRowsFilter::Show;
    switch (show) {
    case Show::All:
        return true;
    case Show::Passed:
        return row.stage == SyntheticStage::Passed;
    case Show::LowQuality:
        return row.stage == SyntheticStage::LowQuality;
    case Show::Duplicate:
        return row.stage == SyntheticStage::Duplicate;
    case Show::Leak:
        return row.stage == SyntheticStage::Leak;
    case Show::Eliminated:
        return row.stage == SyntheticStage::Eliminated;
    case Show::Failed: // a teacher call or the judge call failed
        return row.stage == SyntheticStage::Failed || row.stage == SyntheticStage::JudgeFailed;
    case Show::Waiting:
        return row.stage == SyntheticStage::Generated || row.stage == SyntheticStage::Unique;
    case Show::Accepted:
        return row.review == SyntheticReview::Accepted;
    case Show::Rejected:
        return row.review == SyntheticReview::Rejected;
    }
    return true;
}

bool contains(const std::string& text, const QString& needle)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())).contains(needle, Qt::CaseInsensitive);
}

} // namespace

SyntheticRowsFilter::SyntheticRowsFilter(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(SyntheticRowsModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void SyntheticRowsFilter::setShow(Show show)
{
    if (show == m_show)
        return;
    m_show = show;
    invalidateRowsFilter();
}

void SyntheticRowsFilter::setSearch(const QString& text)
{
    const QString search = text.trimmed();
    if (search == m_search)
        return;
    m_search = search;
    invalidateRowsFilter();
}

bool SyntheticRowsFilter::filterAcceptsRow(int sourceRow, const QModelIndex&) const
{
    const auto* model = static_cast<const SyntheticRowsModel*>(sourceModel());
    const SyntheticRow& row = model->rowAt(sourceRow);
    if (!shows(m_show, row))
        return false;
    if (m_search.isEmpty())
        return true;
    return contains(row.instruction, m_search) || contains(row.output, m_search) || contains(row.operation, m_search)
        || contains(row.reason, m_search);
}

} // namespace ts::ui
