// ResultsModel: rows kept ordered by example and repeat (found by binary search, new ones inserted in blocks), a
// row's cells per variant in repeat order, HTML for the delegate with the diff marked and the pass/fail chip, and
// the filter / sort over the rows.
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

// How the repeats of one variant on one example did against their pass/fail checks.
struct Tally
{
    int passed = 0; // the call answered and every check passed
    int failedChecks = 0; // the call answered, a check failed
    int callErrors = 0;
    int unchecked = 0; // answered, no pass/fail scorer
    int checked() const { return passed + failedChecks + callErrors; }
};

Tally tallyOf(const std::vector<const ts::Cell*>& cells)
{
    Tally t;
    for (const ts::Cell* c : cells) {
        if (!c->ok()) {
            ++t.callErrors;
            continue;
        }
        bool any = false, failed = false;
        for (const ts::CellScore& s : c->scores)
            if (s.passed) {
                any = true;
                failed = failed || !*s.passed;
            }
        ++(failed ? t.failedChecks : any ? t.passed : t.unchecked);
    }
    return t;
}

// The chip's words: a symbol and text, so it reads without its colour.
QString passText(const Tally& t)
{
    const int checked = t.checked();
    if (checked == 0)
        return {};
    const QString symbol = t.passed == checked ? QStringLiteral("\u2713") // ✓
        : t.passed == 0                        ? QStringLiteral("\u2717") // ✗
                                               : QStringLiteral("\u25d0"); // ◐
    if (checked == 1) {
        if (t.passed)
            return symbol + QLatin1Char(' ') + ResultsModel::tr("pass");
        return symbol + QLatin1Char(' ') + (t.callErrors ? ResultsModel::tr("call failed") : ResultsModel::tr("fail"));
    }
    return symbol + QLatin1Char(' ') + ResultsModel::tr("%1/%2 pass").arg(t.passed).arg(checked);
}

QString chipHtml(const Tally& t)
{
    const QString text = passText(t);
    if (text.isEmpty())
        return {};
    const int checked = t.checked();
    const char* style = t.passed == checked ? "background-color:#d4edda; color:#1b5e20"
        : t.passed == 0                     ? "background-color:#f8d7da; color:#8b1a1a"
                                            : "background-color:#fff3cd; color:#6b4e00";
    return QStringLiteral("<span style=\"%1\">&nbsp;%2&nbsp;</span> ").arg(QLatin1String(style), text.toHtmlEscaped());
}

// "exact_match 1 · contains 1 · 12 ms"; over several repeats, each scorer's mean: "mean of 3: exact_match 0.667 · …".
QString scoresLine(const std::vector<const ts::Cell*>& cells)
{
    const QLocale locale;
    std::vector<std::string> order;
    std::map<std::string, std::pair<double, int>> sums;
    double latency = 0;
    int latencies = 0, answered = 0;
    for (const ts::Cell* c : cells) {
        if (!c->ok())
            continue;
        ++answered;
        for (const ts::CellScore& s : c->scores) {
            auto [it, fresh] = sums.try_emplace(s.scorer, 0.0, 0);
            if (fresh)
                order.push_back(s.scorer);
            it->second.first += s.value;
            ++it->second.second;
        }
        if (c->latencyMs) {
            latency += *c->latencyMs;
            ++latencies;
        }
    }
    QStringList parts;
    for (const std::string& name : order) {
        const auto& [sum, n] = sums[name];
        parts.append(QStringLiteral("%1 %2").arg(fromStd(name), locale.toString(sum / n, 'g', 3)));
    }
    if (latencies)
        parts.append(ResultsModel::tr("%1 ms").arg(locale.toString(latency / latencies, 'f', 0)));
    const QString line = parts.join(QStringLiteral(" \u00b7 "));
    if (answered > 1 && !line.isEmpty())
        return ResultsModel::tr("mean of %1: %2").arg(answered).arg(line);
    return line;
}

QString attemptsText(int attempts)
{
    return attempts == 1 ? ResultsModel::tr("after 1 attempt") : ResultsModel::tr("after %1 attempts").arg(attempts);
}

// The tooltip lines of one cell: each score with why, usage, latency, cost.
QStringList cellLines(const ts::Cell& cell)
{
    if (!cell.ok())
        return {ResultsModel::tr("The call failed %1 (%2): %3")
                    .arg(attemptsText(cell.attempts), fromStd(cell.errorKind), fromStd(cell.error))};
    QStringList lines;
    const QLocale locale;
    for (const ts::CellScore& s : cell.scores) {
        QString line = QStringLiteral("%1: %2").arg(fromStd(s.scorer), locale.toString(s.value, 'g', 4));
        if (s.passed)
            line += *s.passed ? ResultsModel::tr(" (pass)") : ResultsModel::tr(" (fail)");
        if (!s.detail.empty())
            line += QStringLiteral(" \u2014 ") + fromStd(s.detail).left(800);
        lines.append(line);
    }
    if (cell.tokensIn || cell.tokensOut)
        lines.append(
            ResultsModel::tr("tokens: %1 in, %2 out").arg(cell.tokensIn.value_or(0)).arg(cell.tokensOut.value_or(0)));
    if (cell.latencyMs)
        lines.append(ResultsModel::tr("latency: %1 ms").arg(locale.toString(*cell.latencyMs, 'f', 0)));
    if (cell.cost)
        lines.append(ResultsModel::tr("cost: $%1").arg(locale.toString(*cell.cost, 'f', 6)));
    if (cell.output.size() > static_cast<size_t>(ResultsModel::kMaxShownChars))
        lines.append(ResultsModel::tr("(the grid shows the first %1 characters)").arg(ResultsModel::kMaxShownChars));
    return lines;
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
    m_exampleTexts.clear();
    m_diffA = m_diffB = -1;
    endResetModel();
}

void ResultsModel::rememberExamples(const std::vector<ts::Example>& examples)
{
    for (const ts::Example& e : examples) {
        m_examples[e.id] = {shown(e.input()), shown(e.output())};
        m_exampleTexts[e.id] = {e.input(), e.output()};
    }
}

ResultsModel::RowKey ResultsModel::keyOf(const ts::Cell& cell) const
{
    return {cell.exampleId, m_groupRepeats ? 0 : cell.repeat};
}

ResultsModel::Row ResultsModel::newRow(const RowKey& key) const
{
    Row row;
    row.exampleId = key.first;
    row.repeat = key.second;
    row.cells.assign(static_cast<size_t>(m_variants.size()), {});
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
        row.cells.emplace_back();
    if (notify)
        endInsertColumns();
    return v;
}

void ResultsModel::placeCell(Row& row, const ts::Cell& cell, int variant)
{
    std::vector<int>& repeats = row.cells[static_cast<size_t>(variant)];
    const auto same = std::find_if(repeats.begin(), repeats.end(),
                                   [&](int i) { return m_cells[static_cast<size_t>(i)].repeat == cell.repeat; });
    if (same != repeats.end()) {
        m_cells[static_cast<size_t>(*same)] = cell;
    } else {
        const auto place = std::find_if(repeats.begin(), repeats.end(),
                                        [&](int i) { return m_cells[static_cast<size_t>(i)].repeat > cell.repeat; });
        repeats.insert(place, static_cast<int>(m_cells.size()));
        m_cells.push_back(cell);
    }
    if (row.input.isEmpty())
        row.input = shown(inputOf(cell).toStdString());
    computeDiff(row);
}

void ResultsModel::buildRows(const std::vector<ts::Cell>& cells)
{
    m_cells.clear();
    m_rows.clear();
    std::set<RowKey> keys;
    for (const ts::Cell& c : cells)
        keys.insert(keyOf(c));
    for (const RowKey& key : keys)
        m_rows.push_back(newRow(key));
    for (const ts::Cell& c : cells)
        placeCell(m_rows[static_cast<size_t>(rowOf(keyOf(c)))], c,
                  static_cast<int>(m_variants.indexOf(fromStd(c.variant))));
}

void ResultsModel::setRun(const std::vector<ts::Cell>& cells, const std::vector<ts::Example>& examples,
                          const QStringList& variantOrder)
{
    const QString diffA = m_diffA >= 0 ? m_variants.value(m_diffA) : QString();
    const QString diffB = m_diffB >= 0 ? m_variants.value(m_diffB) : QString();
    beginResetModel();
    m_examples.clear();
    m_exampleTexts.clear();
    m_variants = variantOrder;
    rememberExamples(examples);
    for (const ts::Cell& c : cells)
        variantColumn(c.variant, false);
    m_diffA = m_variants.indexOf(diffA);
    m_diffB = m_variants.indexOf(diffB);
    if (m_diffA < 0 || m_diffB < 0 || m_diffA == m_diffB)
        m_diffA = m_diffB = -1;
    buildRows(cells);
    endResetModel();
}

void ResultsModel::setGroupRepeats(bool on)
{
    if (on == m_groupRepeats)
        return;
    beginResetModel();
    m_groupRepeats = on;
    const std::vector<ts::Cell> cells = std::move(m_cells);
    buildRows(cells);
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
        if (rowOf(keyOf(c)) < 0)
            fresh.insert(keyOf(c));
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
        const RowKey key = keyOf(c);
        placeCell(m_rows[static_cast<size_t>(rowOf(key))], c, static_cast<int>(m_variants.indexOf(fromStd(c.variant))));
        touched.insert(key);
    }
    // The rows that were there before changed (a new repeat in a group, a replaced cell); contiguous ones in one
    // signal. A new row changed too when a later cell of the same batch went into it.
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
    const auto& a = row.cells[static_cast<size_t>(m_diffA)];
    const auto& b = row.cells[static_cast<size_t>(m_diffB)];
    if (a.empty() || b.empty())
        return;
    const ts::Cell& ca = m_cells[static_cast<size_t>(a.front())];
    const ts::Cell& cb = m_cells[static_cast<size_t>(b.front())];
    if (ca.ok() && cb.ok())
        row.diff = ts::promptlab::diffWords(ca.output, cb.output);
}

void ResultsModel::computeDiffs()
{
    for (Row& row : m_rows)
        computeDiff(row);
}

std::vector<const ts::Cell*> ResultsModel::cellsOf(const Row& row, int variant) const
{
    std::vector<const ts::Cell*> out;
    for (int i : row.cells[static_cast<size_t>(variant)])
        out.push_back(&m_cells[static_cast<size_t>(i)]);
    return out;
}

std::vector<const ts::Cell*> ResultsModel::cellsAt(int row, int variant) const
{
    if (row < 0 || row >= static_cast<int>(m_rows.size()) || variant < 0 || variant >= m_variants.size())
        return {};
    return cellsOf(m_rows[static_cast<size_t>(row)], variant);
}

const ts::Cell* ResultsModel::cellAt(int row, int variant) const
{
    const auto cells = cellsAt(row, variant);
    return cells.empty() ? nullptr : cells.front();
}

bool ResultsModel::rowHas(int row, Failures failures) const
{
    for (int v = 0; v < m_variants.size(); ++v) {
        const Tally t = tallyOf(cellsAt(row, v));
        if (failures != Failures::FailedChecks && t.callErrors)
            return true;
        if (failures != Failures::CallErrors && t.failedChecks)
            return true;
    }
    return false;
}

std::pair<double, double> ResultsModel::sortKey(int row, int variant) const
{
    const auto cells = cellsAt(row, variant);
    if (cells.empty())
        return {-2, 0};
    const Tally t = tallyOf(cells);
    const double share = t.checked() ? static_cast<double>(t.passed) / t.checked() : -1;
    double first = 0;
    int n = 0;
    for (const ts::Cell* c : cells)
        if (c->ok() && !c->scores.empty()) {
            first += c->scores.front().value;
            ++n;
        }
    return {share, n ? first / n : -1}; // no answer at all: below any answer with the same share
}

std::vector<ts::Cell> ResultsModel::cellsInRowOrder() const
{
    std::vector<ts::Cell> out;
    out.reserve(m_cells.size());
    for (const Row& row : m_rows)
        for (const auto& repeats : row.cells)
            for (int i : repeats)
                out.push_back(m_cells[static_cast<size_t>(i)]);
    return out;
}

bool ResultsModel::anyCostKnown() const
{
    return std::any_of(m_cells.begin(), m_cells.end(), [](const ts::Cell& c) { return c.cost.has_value(); });
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

QString ResultsModel::cellHtml(const Row& row, int variant) const
{
    const auto cells = cellsOf(row, variant);
    if (cells.empty())
        return QStringLiteral("<i>%1</i>").arg(tr("waiting…"));
    const ts::Cell& cell = *cells.front();
    const Tally tally = tallyOf(cells);
    QString body;
    if (!cell.ok()) {
        body
            = QStringLiteral("<span style=\"color:%1\">%2</span>")
                  .arg(kFailed.name(), htmlText(tr("Failed (%1): %2").arg(fromStd(cell.errorKind), shown(cell.error))));
    } else if (row.diff && (variant == m_diffA || variant == m_diffB)) {
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
    if (cells.size() > 1)
        body = QStringLiteral("<span style=\"color:gray; font-size:small\">%1</span><br>")
                   .arg(tr("repeat 1 of %1; every repeat in the tooltip").arg(cells.size()))
            + body;
    const QString scores = scoresLine(cells);
    const QString chip = chipHtml(tally);
    if (scores.isEmpty() && chip.isEmpty())
        return body;
    return body
        + QStringLiteral("<br>%1<span style=\"color:gray; font-size:small\">%2</span>")
              .arg(chip, scores.toHtmlEscaped());
}

QString ResultsModel::cellToolTip(const Row& row, int variant) const
{
    const auto cells = cellsOf(row, variant);
    if (cells.empty())
        return tr("Not answered yet");
    if (cells.size() == 1) {
        QStringList lines = cellLines(*cells.front());
        if (!cells.front()->ok())
            lines.front().prepend(fromStd(cells.front()->variant) + QStringLiteral(": "));
        return lines.join(QLatin1Char('\n'));
    }
    QStringList parts;
    for (const ts::Cell* c : cells) {
        const QString verdict = passText(tallyOf({c}));
        QString part = tr("Repeat %1").arg(c->repeat + 1);
        if (!verdict.isEmpty())
            part += QStringLiteral(" \u2014 ") + verdict;
        if (c->ok())
            part += QStringLiteral(": ") + shown(c->output).left(200);
        for (const QString& line : cellLines(*c))
            part += QStringLiteral("\n    ") + line;
        parts.append(part);
    }
    return parts.join(QStringLiteral("\n\n"));
}

QVariant ResultsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const Row& row = m_rows[static_cast<size_t>(index.row())];
    const int variant = index.column() - FirstVariantColumn;
    switch (index.column()) {
    case ExampleColumn:
        if (role == Qt::DisplayRole)
            return exampleLabel({row.exampleId, row.repeat});
        if (role == Qt::UserRole)
            return QVariant::fromValue<qint64>(row.exampleId);
        if (role == SortRole)
            return QVariant::fromValue<qint64>(row.exampleId * 100000 + row.repeat);
        return {};
    case InputColumn:
    case ReferenceColumn: {
        const QString& text = index.column() == InputColumn ? row.input : row.reference;
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole || role == SortRole)
            return text;
        if (role == HtmlRole)
            return htmlText(text);
        return {};
    }
    default:
        break;
    }
    const auto cells = cellsOf(row, variant);
    const ts::Cell* cell = cells.empty() ? nullptr : cells.front();
    switch (role) {
    case Qt::DisplayRole:
        if (!cell)
            return QString();
        return cell->ok() ? shown(cell->output) : tr("Failed: %1").arg(fromStd(cell->error));
    case HtmlRole:
        return cellHtml(row, variant);
    case ScoresRole:
        return scoresLine(cells);
    case FailedRole:
        return cell && !cell->ok();
    case PassRole:
        return passText(tallyOf(cells));
    case SortRole:
        return sortKey(index.row(), variant).first;
    case RepeatsRole:
        return static_cast<int>(cells.size());
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
    case Qt::ToolTipRole:
        return cellToolTip(row, variant);
    default:
        return {};
    }
}

QVariant ResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole)
        return section >= FirstVariantColumn
            ? tr("Click to sort by score: the share of checks passed, then the first scorer's value")
            : tr("Click to sort by this column");
    if (role != Qt::DisplayRole)
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
{
    setSortRole(ResultsModel::SortRole);
}

void ResultsFilter::setOnlyDiffering(bool on, const QString& a, const QString& b)
{
    m_onlyDiffering = on;
    m_a = a;
    m_b = b;
    invalidateFilter();
}

void ResultsFilter::setOnlyFailures(std::optional<ResultsModel::Failures> failures)
{
    m_onlyFailures = failures;
    invalidateFilter();
}

bool ResultsFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const auto* model = qobject_cast<const ResultsModel*>(sourceModel());
    if (!model)
        return true;
    if (m_onlyFailures && !model->rowHas(sourceRow, *m_onlyFailures))
        return false;
    if (m_onlyDiffering && !model->rowDiffers(sourceRow, m_a, m_b))
        return false;
    return true;
}

bool ResultsFilter::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const auto* model = qobject_cast<const ResultsModel*>(sourceModel());
    if (!model || left.column() < ResultsModel::FirstVariantColumn)
        return QSortFilterProxyModel::lessThan(left, right);
    const int variant = left.column() - ResultsModel::FirstVariantColumn;
    return model->sortKey(left.row(), variant) < model->sortKey(right.row(), variant);
}

} // namespace ts::ui
