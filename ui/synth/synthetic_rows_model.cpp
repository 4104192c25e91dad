// SyntheticRowsModel: the run's rows by id, updated in place (see synthetic_rows_model.h).
#include "synth/synthetic_rows_model.h"

#include <QLocale>

#include "bridge/path_conversion.h"

namespace ts::ui {

using ts::synth::SyntheticReview;
using ts::synth::SyntheticRow;
using ts::synth::SyntheticStage;

namespace {

constexpr qsizetype kShownChars = 160; // the cell shows the start of a long text; the tooltip all of it

// One line, cut short: the table stays one row high per example.
QString elided(const std::string& text)
{
    QString line = fromStd(text).simplified();
    if (line.size() > kShownChars)
        line = line.left(kShownChars - 1) + QChar(0x2026);
    return line;
}

// User columns: what the reviewer owns, kept while the reviewer's writes are in flight.
void keepUserColumns(SyntheticRow& incoming, const SyntheticRow& local)
{
    incoming.review = local.review;
    incoming.instruction = local.instruction;
    incoming.output = local.output;
    incoming.edited = local.edited;
    incoming.promotedExampleId = local.promotedExampleId;
}

bool sameRow(const SyntheticRow& a, const SyntheticRow& b)
{
    return a.updatedAt == b.updatedAt && a.stage == b.stage && a.review == b.review && a.edited == b.edited
        && a.promotedExampleId == b.promotedExampleId && a.instruction == b.instruction && a.output == b.output
        && a.quality == b.quality && a.reason == b.reason;
}

} // namespace

QString syntheticStageText(SyntheticStage stage)
{
    switch (stage) {
    case SyntheticStage::Failed:
        return SyntheticRowsModel::tr("Failed");
    case SyntheticStage::Eliminated:
        return SyntheticRowsModel::tr("Eliminated");
    case SyntheticStage::Generated:
        return SyntheticRowsModel::tr("Waiting for dedupe");
    case SyntheticStage::Duplicate:
        return SyntheticRowsModel::tr("Duplicate");
    case SyntheticStage::Leak:
        return SyntheticRowsModel::tr("Leak");
    case SyntheticStage::Unique:
        return SyntheticRowsModel::tr("Waiting for the judge");
    case SyntheticStage::JudgeFailed:
        return SyntheticRowsModel::tr("Judge failed");
    case SyntheticStage::LowQuality:
        return SyntheticRowsModel::tr("Low quality");
    case SyntheticStage::Passed:
        return SyntheticRowsModel::tr("Passed");
    }
    return {};
}

QString syntheticReviewText(const SyntheticRow& row)
{
    QString text;
    switch (row.review) {
    case SyntheticReview::Pending:
        break;
    case SyntheticReview::Accepted:
        text
            = row.promotedExampleId ? SyntheticRowsModel::tr("Accepted, promoted") : SyntheticRowsModel::tr("Accepted");
        break;
    case SyntheticReview::Rejected:
        text = SyntheticRowsModel::tr("Rejected");
        break;
    }
    if (row.edited)
        text = text.isEmpty() ? SyntheticRowsModel::tr("Edited") : SyntheticRowsModel::tr("%1, edited").arg(text);
    return text;
}

SyntheticRowsModel::SyntheticRowsModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

int SyntheticRowsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SyntheticRowsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SyntheticRowsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Number:
        return tr("#");
    case Instruction:
        return tr("Input");
    case Output:
        return tr("Output");
    case Operation:
        return tr("Operation");
    case Round:
        return tr("Round");
    case Parent:
        return tr("Parent");
    case Quality:
        return tr("Quality");
    case Stage:
        return tr("Stage");
    case Reason:
        return tr("Reason");
    case Review:
        return tr("Review");
    default:
        return {};
    }
}

Qt::ItemFlags SyntheticRowsModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && (index.column() == Instruction || index.column() == Output))
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant SyntheticRowsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const SyntheticRow& row = rowAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, index.column());
    case Qt::EditRole:
        if (index.column() == Instruction)
            return fromStd(row.instruction);
        if (index.column() == Output)
            return fromStd(row.output);
        return displayText(row, index.column());
    case Qt::ToolTipRole:
        return toolTip(row, index.column());
    case SortRole:
        return sortKey(row, index.column());
    case IdRole:
        return QVariant::fromValue<qint64>(row.id);
    case Qt::TextAlignmentRole:
        if (index.column() == Number || index.column() == Round || index.column() == Quality)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant SyntheticRowsModel::displayText(const SyntheticRow& row, int column) const
{
    switch (column) {
    case Number:
        return QLocale().toString(static_cast<qint64>(row.slot + 1));
    case Instruction:
        return elided(row.instruction);
    case Output:
        return elided(row.output);
    case Operation:
        return fromStd(row.operation).replace(QLatin1Char('_'), QLatin1Char(' '));
    case Round:
        return row.round;
    case Parent:
        if (row.parentRowId) {
            if (const SyntheticRow* parent = rowById(*row.parentRowId))
                return tr("row #%1").arg(parent->slot + 1);
            return tr("row id %1").arg(*row.parentRowId);
        }
        if (row.seedExampleId)
            return tr("seed #%1").arg(*row.seedExampleId);
        return QString();
    case Quality:
        return row.quality ? QLocale().toString(*row.quality, 'f', 1) : QString();
    case Stage:
        return syntheticStageText(row.stage);
    case Reason:
        return elided(row.reason);
    case Review:
        return syntheticReviewText(row);
    default:
        return {};
    }
}

QVariant SyntheticRowsModel::toolTip(const SyntheticRow& row, int column) const
{
    switch (column) {
    case Instruction:
        return fromStd(row.instruction);
    case Output:
        return fromStd(row.output);
    case Reason:
        return fromStd(row.reason);
    case Parent:
        if (row.parentRowId)
            return tr("Evolved from synthetic row id %1 (seed example #%2)")
                .arg(*row.parentRowId)
                .arg(row.seedExampleId ? QString::number(*row.seedExampleId) : tr("unknown"));
        if (row.seedExampleId)
            return tr("Evolved from golden example #%1").arg(*row.seedExampleId);
        return {};
    case Quality:
        return row.judgeReply.empty() ? QVariant() : QVariant(fromStd(row.judgeReply));
    default:
        return {};
    }
}

QVariant SyntheticRowsModel::sortKey(const SyntheticRow& row, int column) const
{
    switch (column) {
    case Number:
        return static_cast<qlonglong>(row.slot);
    case Round:
        return row.round;
    case Quality:
        return row.quality ? *row.quality : -1.0;
    case Parent:
        return static_cast<qlonglong>(row.parentRowId ? *row.parentRowId : 0);
    case Stage:
        return static_cast<int>(row.stage);
    case Instruction:
        return fromStd(row.instruction);
    case Output:
        return fromStd(row.output);
    default:
        return displayText(row, column);
    }
}

bool SyntheticRowsModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.row() >= rowCount())
        return false;
    const SyntheticRow& row = rowAt(index.row());
    const QString text = value.toString();
    QString instruction = fromStd(row.instruction);
    QString output = fromStd(row.output);
    if (index.column() == Instruction)
        instruction = text;
    else if (index.column() == Output)
        output = text;
    else
        return false;
    if (instruction == fromStd(row.instruction) && output == fromStd(row.output))
        return false;
    emit textEditRequested(row.id, instruction, output);
    return true;
}

void SyntheticRowsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rowOfId.clear();
    m_heldWrites.clear();
    endResetModel();
}

void SyntheticRowsModel::applyRows(const std::vector<SyntheticRow>& rows)
{
    std::vector<SyntheticRow> added;
    int firstChanged = -1;
    int lastChanged = -1;
    for (const SyntheticRow& incoming : rows) {
        auto known = m_rowOfId.find(incoming.id);
        if (known == m_rowOfId.end()) {
            added.push_back(incoming);
            continue;
        }
        SyntheticRow& local = m_rows[static_cast<size_t>(known->second)];
        SyntheticRow next = incoming;
        if (m_heldWrites.count(incoming.id))
            keepUserColumns(next, local);
        if (sameRow(next, local))
            continue;
        local = std::move(next);
        firstChanged = firstChanged < 0 ? known->second : std::min(firstChanged, known->second);
        lastChanged = std::max(lastChanged, known->second);
    }
    if (firstChanged >= 0)
        emit dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    if (added.empty())
        return;
    // Rows may name a parent that arrives in the same batch: the Parent column of earlier rows can change too.
    const int first = rowCount();
    beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
    for (auto& row : added) {
        m_rowOfId[row.id] = static_cast<int>(m_rows.size());
        m_rows.push_back(std::move(row));
    }
    endInsertRows();
    if (first > 0)
        emit dataChanged(index(0, Parent), index(first - 1, Parent));
}

void SyntheticRowsModel::holdUserColumns(const std::vector<int64_t>& ids)
{
    for (int64_t id : ids)
        ++m_heldWrites[id];
}

void SyntheticRowsModel::releaseUserColumns(const std::vector<int64_t>& ids)
{
    for (int64_t id : ids) {
        auto it = m_heldWrites.find(id);
        if (it != m_heldWrites.end() && --it->second <= 0)
            m_heldWrites.erase(it);
    }
}

void SyntheticRowsModel::setReviewLocally(int64_t id, SyntheticReview review)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    m_rows[static_cast<size_t>(row)].review = review;
    rowChanged(row);
}

void SyntheticRowsModel::setTextLocally(int64_t id, const std::string& instruction, const std::string& output,
                                        bool edited)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    SyntheticRow& r = m_rows[static_cast<size_t>(row)];
    r.instruction = instruction;
    r.output = output;
    r.edited = edited;
    rowChanged(row);
}

const SyntheticRow* SyntheticRowsModel::rowById(int64_t id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_rows[static_cast<size_t>(row)];
}

int SyntheticRowsModel::rowOf(int64_t id) const
{
    auto it = m_rowOfId.find(id);
    return it == m_rowOfId.end() ? -1 : it->second;
}

void SyntheticRowsModel::rowChanged(int row)
{
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

} // namespace ts::ui
