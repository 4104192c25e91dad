// ResultsModel: rows built from the cells (ordered by example and repeat), HTML for the delegate with the diff
// marked, and the filter over the rows.
#include "promptlab/results_model.h"

#include <algorithm>
#include <set>

#include <QColor>
#include <QLocale>

#include <nlohmann/json.hpp>

#include "bridge/path_conversion.h"

namespace ts::ui {

namespace {

const QColor kFailed(0xc0, 0x39, 0x2b);

// The last user turn of the request that was sent (the example's input as the model saw it).
QString inputOf(const ts::Cell& cell)
{
    const auto messages = nlohmann::json::parse(cell.request, nullptr, false);
    if (!messages.is_array())
        return {};
    for (auto it = messages.rbegin(); it != messages.rend(); ++it)
        if (it->is_object() && it->value("role", "") == "user")
            return fromStd(it->value("content", ""));
    return {};
}

QString shown(const std::string& text)
{
    QString s = fromStd(text);
    if (s.size() > ResultsModel::kMaxShownChars)
        s = s.left(ResultsModel::kMaxShownChars) + QChar(0x2026);
    return s;
}

QString htmlText(const QString& text)
{
    return text.toHtmlEscaped().replace(QLatin1Char('\n'), QLatin1String("<br>"));
}

} // namespace

ResultsModel::ResultsModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void ResultsModel::clear()
{
    beginResetModel();
    m_cells.clear();
    m_rows.clear();
    m_variants.clear();
    m_diffs.clear();
    m_diffA = m_diffB = -1;
    endResetModel();
}

void ResultsModel::setRun(const std::vector<ts::Cell>& cells, const std::vector<ts::Example>& examples,
                          const QStringList& variantOrder)
{
    const QString diffA = m_diffA >= 0 ? m_variants.value(m_diffA) : QString();
    const QString diffB = m_diffB >= 0 ? m_variants.value(m_diffB) : QString();
    beginResetModel();
    m_cells = cells;
    m_variants = variantOrder;
    for (const ts::Cell& c : m_cells)
        if (!m_variants.contains(fromStd(c.variant)))
            m_variants.append(fromStd(c.variant));
    std::map<std::pair<int64_t, int>, size_t> rowOf;
    std::set<std::pair<int64_t, int>> keys;
    for (const ts::Cell& c : m_cells)
        keys.insert({c.exampleId, c.repeat});
    m_rows.clear();
    for (const auto& key : keys) {
        Row row;
        row.exampleId = key.first;
        row.repeat = key.second;
        row.cells.assign(static_cast<size_t>(m_variants.size()), -1);
        for (const ts::Example& e : examples)
            if (e.id == key.first) {
                row.input = shown(e.input());
                row.reference = shown(e.output());
            }
        rowOf[key] = m_rows.size();
        m_rows.push_back(std::move(row));
    }
    for (size_t i = 0; i < m_cells.size(); ++i) {
        const ts::Cell& c = m_cells[i];
        Row& row = m_rows[rowOf[{c.exampleId, c.repeat}]];
        row.cells[static_cast<size_t>(m_variants.indexOf(fromStd(c.variant)))] = static_cast<int>(i);
        if (row.input.isEmpty())
            row.input = shown(inputOf(c).toStdString());
    }
    m_diffA = m_variants.indexOf(diffA);
    m_diffB = m_variants.indexOf(diffB);
    if (m_diffA < 0 || m_diffB < 0 || m_diffA == m_diffB)
        m_diffA = m_diffB = -1;
    computeDiffs();
    endResetModel();
}

void ResultsModel::setDiff(const QString& a, const QString& b)
{
    int ia = m_variants.indexOf(a), ib = m_variants.indexOf(b);
    if (a.isEmpty() || b.isEmpty() || ia < 0 || ib < 0 || ia == ib)
        ia = ib = -1;
    if (ia == m_diffA && ib == m_diffB)
        return;
    m_diffA = ia;
    m_diffB = ib;
    computeDiffs();
    if (!m_rows.empty())
        emit dataChanged(index(0, FirstVariantColumn), index(rowCount() - 1, columnCount() - 1));
}

void ResultsModel::computeDiffs()
{
    m_diffs.clear();
    if (!diffOn())
        return;
    for (size_t r = 0; r < m_rows.size(); ++r) {
        const ts::Cell* a = cellAt(static_cast<int>(r), m_diffA);
        const ts::Cell* b = cellAt(static_cast<int>(r), m_diffB);
        if (a && b && a->ok() && b->ok())
            m_diffs[static_cast<int>(r)] = ts::promptlab::diffWords(a->output, b->output);
    }
}

const ts::Cell* ResultsModel::cellAt(int row, int variant) const
{
    if (row < 0 || row >= static_cast<int>(m_rows.size()) || variant < 0 || variant >= m_variants.size())
        return nullptr;
    const int i = m_rows[static_cast<size_t>(row)].cells[static_cast<size_t>(variant)];
    return i >= 0 ? &m_cells[static_cast<size_t>(i)] : nullptr;
}

bool ResultsModel::rowHasFailure(int row) const
{
    for (int v = 0; v < m_variants.size(); ++v)
        if (const ts::Cell* c = cellAt(row, v); c && !c->ok())
            return true;
    return false;
}

bool ResultsModel::rowDiffers(int row, const QString& a, const QString& b) const
{
    const ts::Cell* ca = cellAt(row, m_variants.indexOf(a));
    const ts::Cell* cb = cellAt(row, m_variants.indexOf(b));
    if (!ca || !cb)
        return false;
    if (!ca->ok() || !cb->ok())
        return ca->ok() != cb->ok();
    return !ts::promptlab::diffWords(ca->output, cb->output).identical();
}

int ResultsModel::cellCount() const
{
    return static_cast<int>(m_cells.size());
}

int ResultsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ResultsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : FirstVariantColumn + static_cast<int>(m_variants.size());
}

QString ResultsModel::scoresLine(const ts::Cell& cell)
{
    const QLocale locale;
    QStringList parts;
    for (const ts::CellScore& s : cell.scores)
        parts.append(QStringLiteral("%1 %2").arg(fromStd(s.scorer), locale.toString(s.value, 'g', 3)));
    if (cell.latencyMs)
        parts.append(QStringLiteral("%1 ms").arg(locale.toString(*cell.latencyMs, 'f', 0)));
    return parts.join(QStringLiteral(" · "));
}

QString ResultsModel::cellHtml(const Row& row, int variant) const
{
    const int index = row.cells[static_cast<size_t>(variant)];
    if (index < 0)
        return QStringLiteral("<i>%1</i>").arg(tr("waiting…"));
    const ts::Cell& cell = m_cells[static_cast<size_t>(index)];
    if (!cell.ok())
        return QStringLiteral("<span style=\"color:%1\">%2</span>")
            .arg(kFailed.name(), htmlText(tr("Failed (%1): %2").arg(fromStd(cell.errorKind), shown(cell.error))));
    QString body;
    const int r = static_cast<int>(&row - m_rows.data());
    auto diff = m_diffs.find(r);
    if (diff != m_diffs.end() && (variant == m_diffA || variant == m_diffB)) {
        const bool isA = variant == m_diffA;
        const auto& segments = isA ? diff->second.a : diff->second.b;
        const char* colour = isA ? "rgba(192,57,43,0.30)" : "rgba(46,160,67,0.30)";
        for (const auto& s : segments) {
            const QString t = htmlText(fromStd(s.text));
            body += s.changed ? QStringLiteral("<span style=\"background-color:%1\">%2</span>").arg(colour, t) : t;
        }
    } else {
        body = htmlText(shown(cell.output));
    }
    return body
        + QStringLiteral("<br><span style=\"color:gray; font-size:small\">%1</span>")
              .arg(scoresLine(cell).toHtmlEscaped());
}

QVariant ResultsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const Row& row = m_rows[static_cast<size_t>(index.row())];
    const int variant = index.column() - FirstVariantColumn;
    const ts::Cell* cell = variant >= 0 ? cellAt(index.row(), variant) : nullptr;
    switch (index.column()) {
    case ExampleColumn:
        if (role == Qt::DisplayRole)
            return row.repeat > 0 ? QStringLiteral("#%1 (repeat %2)").arg(row.exampleId).arg(row.repeat + 1)
                                  : QStringLiteral("#%1").arg(row.exampleId);
        if (role == Qt::UserRole)
            return QVariant::fromValue<qint64>(row.exampleId);
        return {};
    case InputColumn:
    case ReferenceColumn: {
        const QString& text = index.column() == InputColumn ? row.input : row.reference;
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
            return text;
        if (role == HtmlRole)
            return htmlText(text);
        return {};
    }
    default:
        break;
    }
    switch (role) {
    case Qt::DisplayRole:
        if (!cell)
            return QString();
        return cell->ok() ? shown(cell->output) : tr("Failed: %1").arg(fromStd(cell->error));
    case HtmlRole:
        return cellHtml(row, variant);
    case ScoresRole:
        return cell ? scoresLine(*cell) : QString();
    case FailedRole:
        return cell && !cell->ok();
    case Qt::ForegroundRole:
        if (cell && !cell->ok())
            return kFailed;
        return {};
    case ChangedWordsRole: {
        QStringList words;
        auto diff = m_diffs.find(index.row());
        if (diff != m_diffs.end() && (variant == m_diffA || variant == m_diffB))
            for (const auto& s : variant == m_diffA ? diff->second.a : diff->second.b)
                if (s.changed)
                    words.append(fromStd(s.text));
        return words;
    }
    case Qt::ToolTipRole: {
        if (!cell)
            return tr("Not answered yet");
        if (!cell->ok())
            return tr("%1 failed after %n attempt(s) (%2):\n%3", nullptr, cell->attempts)
                .arg(fromStd(cell->variant), fromStd(cell->errorKind), fromStd(cell->error));
        QStringList lines;
        const QLocale locale;
        for (const ts::CellScore& s : cell->scores) {
            QString line = QStringLiteral("%1: %2").arg(fromStd(s.scorer), locale.toString(s.value, 'g', 4));
            if (s.passed)
                line += *s.passed ? tr(" (pass)") : tr(" (fail)");
            if (!s.detail.empty())
                line += QStringLiteral(" — ") + fromStd(s.detail).left(800);
            lines.append(line);
        }
        if (cell->tokensIn || cell->tokensOut)
            lines.append(tr("tokens: %1 in, %2 out").arg(cell->tokensIn.value_or(0)).arg(cell->tokensOut.value_or(0)));
        if (cell->latencyMs)
            lines.append(tr("latency: %1 ms").arg(locale.toString(*cell->latencyMs, 'f', 0)));
        if (cell->cost)
            lines.append(tr("cost: $%1").arg(locale.toString(*cell->cost, 'f', 6)));
        if (cell->output.size() > static_cast<size_t>(kMaxShownChars))
            lines.append(tr("(the grid shows the first %1 characters)").arg(kMaxShownChars));
        return lines.join(QLatin1Char('\n'));
    }
    default:
        return {};
    }
}

QVariant ResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ExampleColumn:
        return tr("Example");
    case InputColumn:
        return tr("Input");
    case ReferenceColumn:
        return tr("Reference");
    default:
        return m_variants.value(section - FirstVariantColumn);
    }
}

ResultsFilter::ResultsFilter(QObject* parent)
    : QSortFilterProxyModel(parent)
{ }

void ResultsFilter::setOnlyDiffering(bool on, const QString& a, const QString& b)
{
    m_onlyDiffering = on;
    m_a = a;
    m_b = b;
    invalidateFilter();
}

void ResultsFilter::setOnlyFailures(bool on)
{
    m_onlyFailures = on;
    invalidateFilter();
}

bool ResultsFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const auto* model = qobject_cast<const ResultsModel*>(sourceModel());
    if (!model)
        return true;
    if (m_onlyFailures && !model->rowHasFailure(sourceRow))
        return false;
    if (m_onlyDiffering && !model->rowDiffers(sourceRow, m_a, m_b))
        return false;
    return true;
}

} // namespace ts::ui
