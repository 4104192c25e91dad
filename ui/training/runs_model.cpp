// RunsModel: merge of polled run lists into stable rows, check state per run id, colours and status texts.
#include "training/runs_model.h"

#include <QDateTime>
#include <QHash>
#include <QIcon>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

#include <nlohmann/json.hpp>

#include "bridge/path_conversion.h"

namespace ts::ui {

namespace {

// The run's colour as a small square with a dark rim, visible on a selected (highlighted) row too.
QIcon swatch(qint64 runId)
{
    static QHash<qint64, QIcon> cache;
    auto it = cache.find(runId);
    if (it != cache.end())
        return *it;
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(QColor(0, 0, 0, 150), 1));
    painter.setBrush(RunsModel::colorFor(runId));
    painter.drawRoundedRect(QRectF(1.5, 1.5, 11, 11), 2, 2);
    painter.end();
    return *cache.insert(runId, QIcon(pixmap));
}

QString startedText(const ts::Run& run, QLocale::FormatType format)
{
    const int64_t ms = run.startedAt.value_or(run.createdAt);
    if (ms <= 0)
        return {};
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), format);
}

// The full start time, and the resumes a training run lists in its config JSON ("resumes": [{"at", "from_step"}]).
QString startedToolTip(const ts::Run& run)
{
    QString tip = RunsModel::tr("Started %1").arg(startedText(run, QLocale::LongFormat));
    const auto config = nlohmann::json::parse(run.config, nullptr, false);
    const auto resumes = config.is_object() ? config.find("resumes") : config.end();
    if (!config.is_object() || resumes == config.end() || !resumes->is_array() || resumes->empty())
        return tip;
    const nlohmann::json& last = resumes->back();
    const int64_t at = last.value("at", int64_t(0));
    const int64_t step = last.value("from_step", int64_t(0));
    const QString when = QLocale().toString(QDateTime::fromMSecsSinceEpoch(at), QLocale::LongFormat);
    const QString from = QLocale().toString(qlonglong(step));
    if (resumes->size() == 1)
        tip += QLatin1Char('\n') + RunsModel::tr("Resumed once, on %1, from step %2").arg(when, from);
    else
        tip += QLatin1Char('\n')
            + RunsModel::tr("Resumed %1 times, last on %2, from step %3")
                  .arg(QLocale().toString(qlonglong(resumes->size())), when, from);
    return tip;
}

} // namespace

RunsModel::RunsModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

int RunsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int RunsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QColor RunsModel::colorFor(qint64 runId)
{
    // Tableau 10, ordered so that runs next to each other differ in hue and lightness (its own order puts orange next
    // to red and teal next to green, which read as one colour in thin lines): blue, orange, green, purple, red,
    // teal, brown, yellow, pink, grey.
    static const QColor palette[] = {
        QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0x59, 0xa1, 0x4f), QColor(0xb0, 0x7a, 0xa1),
        QColor(0xe1, 0x57, 0x59), QColor(0x76, 0xb7, 0xb2), QColor(0x9c, 0x75, 0x5f), QColor(0xed, 0xc9, 0x48),
        QColor(0xff, 0x9d, 0xa7), QColor(0xba, 0xb0, 0xac),
    };
    constexpr qint64 count = sizeof(palette) / sizeof(palette[0]);
    const qint64 slot = ((runId - 1) % count + count) % count;
    return palette[slot];
}

QString RunsModel::statusText(ts::RunStatus status)
{
    switch (status) {
    case ts::RunStatus::Pending:
        return tr("pending");
    case ts::RunStatus::Running:
        return tr("running");
    case ts::RunStatus::Succeeded:
        return tr("finished");
    case ts::RunStatus::Failed:
        return tr("failed");
    case ts::RunStatus::Cancelled:
        return tr("cancelled");
    case ts::RunStatus::Interrupted:
        return tr("interrupted");
    }
    return {};
}

QVariant RunsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const ts::Run& run = m_runs[size_t(index.row())];
    if (role == RunIdRole)
        return QVariant::fromValue<qint64>(run.id);
    switch (index.column()) {
    case NameColumn:
        if (role == Qt::DisplayRole)
            return run.name.empty() ? tr("Run %1").arg(run.id) : fromStd(run.name);
        if (role == Qt::CheckStateRole)
            return m_checked.contains(run.id) ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::DecorationRole)
            return swatch(run.id);
        if (role == Qt::ToolTipRole)
            return tr("Run %1. Check it to plot its metrics; the line colour is the square's.").arg(run.id);
        break;
    case StatusColumn:
        if (role == Qt::DisplayRole)
            return statusText(run.status);
        if (role == Qt::ToolTipRole && !run.error.empty())
            return fromStd(run.error);
        if (role == Qt::ToolTipRole && run.status == ts::RunStatus::Interrupted)
            return tr("The process that ran it ended before it finished (closed, crashed or killed). Resume it to "
                      "continue from its last checkpoint.");
        if (role == Qt::ForegroundRole && run.status == ts::RunStatus::Failed)
            return QColor(0xc0, 0x39, 0x2b);
        break;
    case StartedColumn:
        if (role == Qt::DisplayRole)
            return startedText(run, QLocale::ShortFormat);
        if (role == Qt::ToolTipRole && !startedText(run, QLocale::ShortFormat).isEmpty())
            return startedToolTip(run);
        break;
    default:
        break;
    }
    return {};
}

bool RunsModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.column() != NameColumn || role != Qt::CheckStateRole)
        return false;
    const qint64 id = m_runs[size_t(index.row())].id;
    setChecked(id, value.value<Qt::CheckState>() == Qt::Checked);
    return true;
}

Qt::ItemFlags RunsModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == NameColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Run");
    case StatusColumn:
        return tr("Status");
    case StartedColumn:
        return tr("Started");
    default:
        return {};
    }
}

QList<qint64> RunsModel::setRuns(const std::vector<ts::Run>& runs)
{
    QSet<qint64> before;
    for (const ts::Run& run : m_runs)
        before.insert(run.id);
    QList<qint64> added;
    for (const ts::Run& run : runs)
        if (!before.contains(run.id))
            added.append(run.id);

    // The usual change: new runs on top of the same list (newest first), statuses updated.
    const size_t fresh = size_t(added.size());
    bool prepended = runs.size() == m_runs.size() + fresh;
    for (size_t i = 0; prepended && i < m_runs.size(); ++i)
        prepended = runs[fresh + i].id == m_runs[i].id;
    for (size_t i = 0; prepended && i < fresh; ++i)
        prepended = !before.contains(runs[i].id);

    if (prepended) {
        if (fresh > 0) {
            beginInsertRows({}, 0, int(fresh) - 1);
            m_runs.insert(m_runs.begin(), runs.begin(), runs.begin() + std::ptrdiff_t(fresh));
            endInsertRows();
        }
        for (size_t i = fresh; i < runs.size(); ++i) {
            ts::Run& row = m_runs[i];
            const ts::Run& now = runs[i];
            if (row.status != now.status || row.name != now.name || row.error != now.error
                || row.startedAt != now.startedAt || row.finishedAt != now.finishedAt || row.config != now.config) {
                row = now;
                emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
            }
        }
    } else {
        beginResetModel();
        m_runs = runs;
        endResetModel();
    }
    // Checked ids of runs not listed yet stay checked: a run this page starts is checked before a poll sees it.
    return added;
}

void RunsModel::clear()
{
    beginResetModel();
    m_runs.clear();
    m_checked.clear();
    endResetModel();
}

const ts::Run* RunsModel::runAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    return &m_runs[size_t(row)];
}

const ts::Run* RunsModel::runById(qint64 id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_runs[size_t(row)];
}

int RunsModel::rowOf(qint64 id) const
{
    for (size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].id == id)
            return int(i);
    return -1;
}

void RunsModel::setChecked(qint64 id, bool checked)
{
    if (checked == m_checked.contains(id))
        return;
    if (checked)
        m_checked.insert(id);
    else
        m_checked.remove(id);
    const int row = rowOf(id);
    if (row >= 0)
        emit dataChanged(index(row, NameColumn), index(row, NameColumn), {Qt::CheckStateRole});
    emit checkedChanged(id, checked);
}

} // namespace ts::ui
