// ResultsModel: rows kept ordered by example and repeat (found by binary search, new ones inserted in blocks),
// HTML for the delegate with the diff marked, and the filter over the rows.
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
    m_examples.clear();
    m_diffA = m_diffB = -1;
    endResetModel();
}

void ResultsModel::rememberExamples(const std::vector<ts::Example>& examples)
{
    for (const ts::Example& e : examples)
        m_examples[e.id] = {shown(e.input()), shown(e.output())};
}

ResultsModel::Row ResultsModel::newRow(const RowKey& key) const
{
    Row row;
    row.exampleId = key.first;
    row.repeat = key.second;
    row.cells.assign(static_cast<size_t>(m_variants.size()), -1);
    if (auto e = m_examples.find(key.first); e != m_examples.end()) {
        row.input = e->second.first;
        row.reference = e->second.second;
    }
    return row;
}

int ResultsModel::rowOf(const RowKey& key) const
{
    const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), key, [](const Row& r, const RowKey& k) {
        return RowKey {r.exampleId, r.repeat} < k;
    });
    return it != m_rows.end() && it->exampleId == key.first && it->repeat == key.second
        ? static_cast<int>(it - m_rows.begin())
        : -1;
}

QString ResultsModel::exampleLabel(const RowKey& key)
{
    return key.second > 0 ? QStringLiteral("#%1 (repeat %2)").arg(key.first).arg(key.second + 1)
                          : QStringLiteral("#%1").arg(key.first);
}

ResultsModel::RowKey ResultsModel::rowKey(int row) const
{
    const Row& r = m_rows.at(static_cast<size_t>(row));
    return {r.exampleId, r.repeat};
}

int ResultsModel::variantColumn(const std::string& variant, bool notify)
{
    const QString label = fromStd(variant);
    int v = static_cast<int>(m_variants.indexOf(label));
    if (v >= 0)
        return v;
    v = static_cast<int>(m_variants.size());
    if (notify)
        beginInsertColumns({}, FirstVariantColumn + v, FirstVariantColumn + v);
    m_variants.append(label);
    for (Row& row : m_rows)
        row.cells.push_back(-1);
    if (notify)
        endInsertColumns();
    return v;
}

void ResultsModel::placeCell(Row& row, const ts::Cell& cell, int variant)
{
    int& slot = row.cells[static_cast<size_t>(variant)];
    if (slot >= 0) {
        m_cells[static_cast<size_t>(slot)] = cell;
    } else {
        slot = static_cast<int>(m_cells.size());
        m_cells.push_back(cell);
    }
    if (row.input.isEmpty())
        row.input = shown(inputOf(cell).toStdString());
    computeDiff(row);
}

void ResultsModel::setRun(const std::vector<ts::Cell>& cells, const std::vector<ts::Example>& examples,
                          const QStringList& variantOrder)
{
    const QString diffA = m_diffA >= 0 ? m_variants.value(m_diffA) : QString();
    const QString diffB = m_diffB >= 0 ? m_variants.value(m_diffB) : QString();
    beginResetModel();
    m_cells.clear();
    m_rows.clear();
    m_examples.clear();
    m_variants = variantOrder;
    rememberExamples(examples);
    for (const ts::Cell& c : cells)
        variantColumn(c.variant, false);
    m_diffA = m_variants.indexOf(diffA);
    m_diffB = m_variants.indexOf(diffB);
    if (m_diffA < 0 || m_diffB < 0 || m_diffA == m_diffB)
        m_diffA = m_diffB = -1;
    std::set<RowKey> keys;
    for (const ts::Cell& c : cells)
        keys.insert({c.exampleId, c.repeat});
    for (const RowKey& key : keys)
        m_rows.push_back(newRow(key));
    for (const ts::Cell& c : cells)
        placeCell(m_rows[static_cast<size_t>(rowOf({c.exampleId, c.repeat}))], c,
                  static_cast<int>(m_variants.indexOf(fromStd(c.variant))));
    endResetModel();
}

std::vector<ResultsModel::RowKey> ResultsModel::addCells(const std::vector<ts::Cell>& cells,
                                                         const std::vector<ts::Example>& examples)
{
    rememberExamples(examples);
    for (const ts::Cell& c : cells)
        variantColumn(c.variant, true);
    // New rows, in blocks that go in at one place (from the last place up, so the places above stay valid).
    std::set<RowKey> fresh;
    for (const ts::Cell& c : cells)
        if (rowOf({c.exampleId, c.repeat}) < 0)
            fresh.insert({c.exampleId, c.repeat});
    for (auto it = fresh.rbegin(); it != fresh.rend();) {
        const auto placeOf = [this](const RowKey& key) {
            return static_cast<int>(std::lower_bound(m_rows.begin(), m_rows.end(), key,
                                                     [](const Row& r, const RowKey& k) {
                                                         return RowKey {r.exampleId, r.repeat} < k;
                                                     })
                                    - m_rows.begin());
        };
        const int place = placeOf(*it);
        std::vector<Row> block;
        for (; it != fresh.rend() && placeOf(*it) == place; ++it)
            block.push_back(newRow(*it));
        std::reverse(block.begin(), block.end());
        beginInsertRows({}, place, place + static_cast<int>(block.size()) - 1);
        m_rows.insert(m_rows.begin() + place, std::make_move_iterator(block.begin()),
                      std::make_move_iterator(block.end()));
        endInsertRows();
    }
    std::set<RowKey> touched;
    for (const ts::Cell& c : cells) {
        const RowKey key {c.exampleId, c.repeat};
        placeCell(m_rows[static_cast<size_t>(rowOf(key))], c, static_cast<int>(m_variants.indexOf(fromStd(c.variant))));
        touched.insert(key);
    }
    // The rows that were there before changed; contiguous ones in one signal.
    const int last = columnCount() - 1;
    int from = -1, to = -1;
    for (const RowKey& key : touched) {
        if (fresh.count(key))
            continue;
        const int r = rowOf(key);
        if (r != to + 1 && from >= 0) {
            emit dataChanged(index(from, 0), index(to, last));
            from = -1;
        }
        if (from < 0)
            from = r;
        to = r;
    }
    if (from >= 0)
        emit dataChanged(index(from, 0), index(to, last));
    return {touched.begin(), touched.end()};
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

void ResultsModel::computeDiff(Row& row) const
{
    row.diff.reset();
    if (!diffOn())
        return;
    const int a = row.cells[static_cast<size_t>(m_diffA)], b = row.cells[static_cast<size_t>(m_diffB)];
    if (a < 0 || b < 0)
        return;
    const ts::Cell& ca = m_cells[static_cast<size_t>(a)];
    const ts::Cell& cb = m_cells[static_cast<size_t>(b)];
    if (ca.ok() && cb.ok())
        row.diff = ts::promptlab::diffWords(ca.output, cb.output);
}

void ResultsModel::computeDiffs()
{
    for (Row& row : m_rows)
        computeDiff(row);
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
    if (row.diff && (variant == m_diffA || variant == m_diffB)) {
        const bool isA = variant == m_diffA;
        const auto& segments = isA ? row.diff->a : row.diff->b;
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
            return exampleLabel({row.exampleId, row.repeat});
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
        if (row.diff && (variant == m_diffA || variant == m_diffB))
            for (const auto& s : variant == m_diffA ? row.diff->a : row.diff->b)
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
