// ExamplesModel: lazy, paged table model over ExampleRepository; writes go through undo commands.
#include "examples/examples_model.h"

#include <algorithm>
#include <unordered_set>

#include <QDateTime>
#include <QLocale>
#include <QUndoStack>

#include "examples/undo/edit_example_command.h"
#include "store/project.h"

namespace ts::ui {

namespace {

// Above this many rows at once, showing new or removed rows is a reset instead of row signals.
constexpr size_t kBulkRows = 1000;
constexpr int kTooltipChars = 4000;

ts::ExampleColumn sortColumnFor(int column)
{
    switch (column) {
    case ExamplesModel::InputColumn:
        return ts::ExampleColumn::Input;
    case ExamplesModel::OutputColumn:
        return ts::ExampleColumn::Output;
    case ExamplesModel::SplitColumn:
        return ts::ExampleColumn::Split;
    case ExamplesModel::TagsColumn:
        return ts::ExampleColumn::Tags;
    case ExamplesModel::SourceColumn:
        return ts::ExampleColumn::Source;
    case ExamplesModel::UpdatedColumn:
        return ts::ExampleColumn::UpdatedAt;
    default:
        return ts::ExampleColumn::Id;
    }
}

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

QString tooltipFor(const std::string& text)
{
    if (text.empty())
        return {};
    QString full = qs(text);
    if (full.size() > kTooltipChars)
        full = full.left(kTooltipChars) + QChar(0x2026);
    return QStringLiteral("<p style='white-space:pre-wrap'>%1</p>").arg(full.toHtmlEscaped());
}

} // namespace

ExamplesModel::ExamplesModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

ExamplesModel::~ExamplesModel() = default;

QString ExamplesModel::sourceLabel(ts::Source source)
{
    switch (source) {
    case ts::Source::Golden:
        return tr("golden");
    case ts::Source::Synthetic:
        return tr("synthetic");
    case ts::Source::Imported:
        return tr("imported");
    }
    return {};
}

QString ExamplesModel::previewText(const std::string& text)
{
    // One line: line breaks shown as a return symbol, runs of blanks collapsed, long text cut.
    QString out;
    out.reserve(std::min<int>(static_cast<int>(text.size()), kPreviewChars + 8));
    const QString in = qs(text.size() > size_t(kPreviewChars) * 4 ? text.substr(0, size_t(kPreviewChars) * 4) : text);
    bool blank = false;
    for (QChar c : in) {
        if (out.size() >= kPreviewChars) {
            out += QChar(0x2026);
            return out;
        }
        if (c == QLatin1Char('\n')) {
            out += QStringLiteral(" \u21b5 ");
            blank = true;
        } else if (c.isSpace()) {
            if (!blank)
                out += QLatin1Char(' ');
            blank = true;
        } else {
            out += c;
            blank = false;
        }
    }
    if (text.size() > size_t(kPreviewChars) * 4)
        out += QChar(0x2026);
    return out.trimmed();
}

ts::Database& ExamplesModel::readDb() const
{
    if (m_reader.isOpen())
        return m_reader;
    return m_project->writer();
}

void ExamplesModel::setProject(ts::Project* project)
{
    beginResetModel();
    m_project = project;
    m_reader = ts::Database();
    m_ids.clear();
    m_cache.clear();
    m_cacheOrder.clear();
    m_total = 0;
    m_tags.reset();
    m_query = ts::ExampleQuery();
    m_load.cancel();
    m_tagsLoad.cancel();
    endResetModel();
    if (m_project)
        startLoad();
    emit countsChanged();
    emit tagsChanged();
}

void ExamplesModel::startLoad()
{
    struct Loaded
    {
        std::shared_ptr<ts::Database> reader; // shared: the result is copied on its way to the GUI thread
        std::vector<int64_t> ids;
        int64_t total = 0;
        QStringList tags;
        std::vector<ts::Example> firstPage;
    };
    m_load.start<Loaded>(
        m_project->path(),
        [query = m_query](ts::Database& db) -> ts::Expected<Loaded> {
            Loaded out;
            ts::ExampleRepository repo(db);
            auto ids = repo.queryIds(query);
            if (!ids)
                return ids.error();
            out.ids = std::move(*ids);
            if (auto count = repo.count())
                out.total = *count;
            if (auto tags = repo.allTags())
                for (const auto& tag : *tags)
                    out.tags << qs(tag);
            const size_t first = std::min<size_t>(out.ids.size(), kPageSize);
            if (auto rows = repo.getMany(std::vector<int64_t>(out.ids.begin(), out.ids.begin() + first)))
                out.firstPage = std::move(*rows);
            out.reader = std::make_shared<ts::Database>(std::move(db));
            return out;
        },
        [this](ts::Expected<Loaded>& result) {
            beginResetModel();
            m_ids.clear();
            m_cache.clear();
            m_cacheOrder.clear();
            if (result) {
                m_reader = std::move(*result->reader);
                m_ids = std::move(result->ids);
                m_total = result->total;
                m_tags = std::move(result->tags);
                for (const auto& example : result->firstPage)
                    remember(example);
            }
            endResetModel();
            if (!result)
                fail(tr("Cannot read the examples: %1").arg(qs(result.error().message)));
            emit countsChanged();
            emit tagsChanged();
            emit loaded();
        });
}

void ExamplesModel::tagsMayHaveChanged()
{
    if (!m_project) {
        m_tags.reset();
        emit tagsChanged();
        return;
    }
    // Every example's tags are read again off the GUI thread (100,000 rows took ~40 ms there); the list keeps the
    // tags it has until then.
    m_tagsLoad.start<QStringList>(
        m_project->path(),
        [](ts::Database& db) -> ts::Expected<QStringList> {
            auto all = ts::ExampleRepository(db).allTags();
            if (!all)
                return all.error();
            QStringList tags;
            for (const auto& tag : *all)
                tags << qs(tag);
            return tags;
        },
        [this](ts::Expected<QStringList>& result) {
            if (!result)
                return; // the old list stays; the next edit reads again
            m_tags = std::move(*result);
            emit tagsChanged();
        });
}

void ExamplesModel::setEditable(bool editable)
{
    m_editable = editable;
}

bool ExamplesModel::queryIds(std::vector<int64_t>& out)
{
    if (!m_project)
        return false;
    ts::ExampleRepository repo(readDb());
    auto ids = repo.queryIds(m_query);
    if (!ids) {
        fail(tr("Cannot read the examples: %1").arg(qs(ids.error().message)));
        return false;
    }
    out = std::move(*ids);
    return true;
}

void ExamplesModel::refreshTotal()
{
    if (!m_project) {
        m_total = 0;
        return;
    }
    ts::ExampleRepository repo(readDb());
    auto count = repo.count();
    if (count)
        m_total = *count;
}

void ExamplesModel::fail(const QString& message)
{
    m_lastError = message;
    emit errorOccurred(message);
}

void ExamplesModel::setFilter(const QString& text, std::optional<ts::Split> split, const QString& tag)
{
    m_query.text = text.trimmed().toStdString();
    m_query.split = split;
    m_query.tag = tag.toStdString();
    reload();
}

void ExamplesModel::reload()
{
    if (isLoading()) {
        startLoad();
        return;
    }
    std::vector<int64_t> ids;
    const bool ok = queryIds(ids);
    beginResetModel();
    m_ids = ok ? std::move(ids) : std::vector<int64_t>();
    endResetModel();
    refreshTotal();
    emit countsChanged();
}

int ExamplesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_ids.size());
}

int ExamplesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void ExamplesModel::remember(const ts::Example& example) const
{
    auto [it, inserted] = m_cache.insert_or_assign(example.id, example);
    (void)it;
    if (inserted)
        m_cacheOrder.push_back(example.id);
    while (m_cache.size() > kMaxCachedRows && !m_cacheOrder.empty()) {
        m_cache.erase(m_cacheOrder.front());
        m_cacheOrder.pop_front();
    }
    if (m_cacheOrder.size() > 4 * kMaxCachedRows) {
        // Ids forgotten by removeIds() linger in the order list; compact it now and then.
        std::deque<int64_t> kept;
        std::unordered_set<int64_t> seen;
        for (int64_t id : m_cacheOrder)
            if (m_cache.count(id) && seen.insert(id).second)
                kept.push_back(id);
        m_cacheOrder.swap(kept);
    }
}

void ExamplesModel::forget(int64_t id) const
{
    m_cache.erase(id);
}

void ExamplesModel::fetchPage(int row) const
{
    if (!m_project)
        return;
    const int first = row - row % kPageSize;
    const int last = std::min<int>(first + kPageSize, static_cast<int>(m_ids.size()));
    std::vector<int64_t> missing;
    missing.reserve(kPageSize);
    for (int r = first; r < last; ++r)
        if (!m_cache.count(m_ids[size_t(r)]))
            missing.push_back(m_ids[size_t(r)]);
    if (missing.empty())
        return;
    ts::ExampleRepository repo(readDb());
    auto rows = repo.getMany(missing);
    if (!rows)
        return;
    for (const auto& example : *rows)
        remember(example);
}

const ts::Example* ExamplesModel::cachedRow(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_ids.size()))
        return nullptr;
    const int64_t id = m_ids[size_t(row)];
    auto it = m_cache.find(id);
    if (it == m_cache.end()) {
        fetchPage(row);
        it = m_cache.find(id);
    }
    return it == m_cache.end() ? nullptr : &it->second;
}

QVariant ExamplesModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == IdRole)
        return QVariant::fromValue<qint64>(m_ids[size_t(index.row())]);
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != Qt::ToolTipRole)
        return {};
    const ts::Example* ex = cachedRow(index.row());
    if (!ex)
        return {};
    switch (index.column()) {
    case InputColumn:
        if (role == Qt::ToolTipRole)
            return tooltipFor(ex->input());
        return role == Qt::EditRole ? qs(ex->input()) : previewText(ex->input());
    case OutputColumn:
        if (role == Qt::ToolTipRole)
            return tooltipFor(ex->output());
        return role == Qt::EditRole ? qs(ex->output()) : previewText(ex->output());
    case SplitColumn:
        return role == Qt::ToolTipRole ? QVariant() : QVariant(qs(std::string(ts::splitName(ex->split))));
    case TagsColumn:
        return role == Qt::ToolTipRole && ex->tags.empty() ? QVariant() : QVariant(qs(ts::joinTags(ex->tags)));
    case SourceColumn:
        return role == Qt::ToolTipRole ? QVariant() : QVariant(sourceLabel(ex->source));
    case UpdatedColumn: {
        if (ex->updatedAt == 0)
            return {};
        const QDateTime when = QDateTime::fromMSecsSinceEpoch(ex->updatedAt);
        if (role == Qt::ToolTipRole)
            return QLocale().toString(when, QLocale::LongFormat);
        // Compact in the table: the time for today's edits, the date for older ones.
        if (when.date() == QDate::currentDate())
            return QLocale().toString(when.time(), QLocale::ShortFormat);
        return QLocale().toString(when.date(), QLocale::ShortFormat);
    }
    default:
        return {};
    }
}

QVariant ExamplesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical)
        return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case InputColumn:
        return tr("Input");
    case OutputColumn:
        return tr("Ideal output");
    case SplitColumn:
        return tr("Split");
    case TagsColumn:
        return tr("Tags");
    case SourceColumn:
        return tr("Source");
    case UpdatedColumn:
        return tr("Last edited");
    default:
        return {};
    }
}

Qt::ItemFlags ExamplesModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    const bool editableColumn = index.column() == InputColumn || index.column() == OutputColumn
        || index.column() == SplitColumn || index.column() == TagsColumn;
    if (editableColumn && m_editable && m_undoStack && m_project)
        f |= Qt::ItemIsEditable;
    return f;
}

bool ExamplesModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || !(flags(index) & Qt::ItemIsEditable))
        return false;
    const auto before = exampleAt(index.row());
    if (!before)
        return false;
    ts::Example after = *before;
    const std::string text = value.toString().toStdString();
    switch (index.column()) {
    case InputColumn:
        after.setInput(text);
        break;
    case OutputColumn:
        after.setOutput(text);
        break;
    case SplitColumn: {
        const auto split = ts::splitFromName(text);
        if (!split)
            return false;
        after.split = *split;
        break;
    }
    case TagsColumn:
        after.tags = ts::parseTagList(text);
        break;
    default:
        return false;
    }
    if (after.sameContent(*before))
        return true;
    m_lastError.clear();
    m_undoStack->push(new EditExampleCommand(*this, *before, after));
    return m_lastError.isEmpty();
}

void ExamplesModel::sort(int column, Qt::SortOrder order)
{
    if (!m_project)
        return;
    m_query.sortBy = sortColumnFor(column);
    m_query.descending = column >= 0 && order == Qt::DescendingOrder;
    if (isLoading()) {
        startLoad();
        return;
    }
    std::vector<int64_t> sorted;
    if (!queryIds(sorted))
        return;
    // A sort keeps exactly the rows shown: rows added since the last filter change stay (at
    // the end) even when they do not match it, and rows that came to match it do not appear.
    std::unordered_set<int64_t> shown(m_ids.begin(), m_ids.end());
    std::vector<int64_t> next;
    next.reserve(m_ids.size());
    for (int64_t id : sorted)
        if (shown.erase(id))
            next.push_back(id);
    for (int64_t id : m_ids)
        if (shown.count(id))
            next.push_back(id);

    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    if (!from.isEmpty()) {
        std::unordered_map<int64_t, int> rowOfId;
        rowOfId.reserve(next.size());
        for (size_t r = 0; r < next.size(); ++r)
            rowOfId.emplace(next[r], static_cast<int>(r));
        to.reserve(from.size());
        for (const QModelIndex& index : from) {
            auto it = rowOfId.find(m_ids[size_t(index.row())]);
            to.append(it == rowOfId.end() ? QModelIndex() : this->index(it->second, index.column()));
        }
    }
    m_ids = std::move(next);
    changePersistentIndexList(from, to);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

int64_t ExamplesModel::idAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_ids.size()) ? m_ids[size_t(row)] : 0;
}

int ExamplesModel::rowOf(int64_t id) const
{
    auto it = std::find(m_ids.begin(), m_ids.end(), id);
    return it == m_ids.end() ? -1 : static_cast<int>(it - m_ids.begin());
}

std::optional<ts::Example> ExamplesModel::exampleAt(int row) const
{
    const ts::Example* ex = cachedRow(row);
    if (!ex)
        return std::nullopt;
    return *ex;
}

std::optional<ts::Example> ExamplesModel::exampleById(int64_t id) const
{
    if (!m_project)
        return std::nullopt;
    auto it = m_cache.find(id);
    if (it != m_cache.end())
        return it->second;
    ts::ExampleRepository repo(readDb());
    auto got = repo.get(id);
    if (!got || !*got)
        return std::nullopt;
    return **got;
}

QStringList ExamplesModel::allTags() const
{
    if (m_tags)
        return *m_tags;
    QStringList tags;
    if (!m_project || isLoading())
        return tags;
    ts::ExampleRepository repo(readDb());
    if (auto all = repo.allTags())
        for (const auto& tag : *all)
            tags << qs(tag);
    return tags;
}

std::vector<ts::Example> ExamplesModel::examplesAt(const std::vector<int>& rows) const
{
    std::vector<ts::Example> out;
    if (!m_project)
        return out;
    std::vector<int64_t> missing;
    for (int row : rows) {
        const int64_t id = idAt(row);
        if (id && !m_cache.count(id))
            missing.push_back(id);
    }
    std::unordered_map<int64_t, ts::Example> fetched;
    if (!missing.empty()) {
        ts::ExampleRepository repo(readDb());
        auto got = repo.getMany(missing);
        if (got)
            for (auto& ex : *got)
                fetched.emplace(ex.id, std::move(ex));
    }
    out.reserve(rows.size());
    for (int row : rows) {
        const int64_t id = idAt(row);
        if (auto it = m_cache.find(id); it != m_cache.end())
            out.push_back(it->second);
        else if (auto f = fetched.find(id); f != fetched.end())
            out.push_back(f->second);
    }
    return out;
}

bool ExamplesModel::applyExample(const ts::Example& example)
{
    return applyExamples({example});
}

bool ExamplesModel::applyExamples(const std::vector<ts::Example>& examples)
{
    if (!m_project || examples.empty())
        return false;
    std::vector<int64_t> ids;
    ids.reserve(examples.size());
    {
        auto lock = m_project->writeLock();
        auto tx = ts::Transaction::begin(m_project->writer());
        if (!tx) {
            fail(tr("Cannot save the change: %1").arg(qs(tx.error().message)));
            return false;
        }
        ts::ExampleRepository repo(m_project->writer());
        for (const auto& example : examples) {
            ts::Example copy = example;
            auto updated = repo.update(copy);
            if (!updated) {
                fail(tr("Cannot save the change: %1").arg(qs(updated.error().message)));
                return false;
            }
            ids.push_back(example.id);
        }
        auto committed = tx->commit();
        if (!committed) {
            fail(tr("Cannot save the change: %1").arg(qs(committed.error().message)));
            return false;
        }
    }
    // Re-read what the database now holds, so the cache is exactly the stored rows.
    bool tagsDiffer = false;
    ts::ExampleRepository reader(readDb());
    auto stored = reader.getMany(ids);
    if (!stored) {
        for (int64_t id : ids)
            forget(id);
    } else {
        for (const auto& ex : *stored) {
            auto old = m_cache.find(ex.id);
            if (old == m_cache.end() || old->second.tags != ex.tags)
                tagsDiffer = true;
            remember(ex);
        }
    }
    int first = -1;
    int last = -1;
    std::unordered_set<int64_t> changed(ids.begin(), ids.end());
    for (size_t r = 0; r < m_ids.size(); ++r) {
        if (changed.count(m_ids[r])) {
            if (first < 0)
                first = static_cast<int>(r);
            last = static_cast<int>(r);
        }
    }
    if (first >= 0)
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
    if (tagsDiffer)
        tagsMayHaveChanged();
    return true;
}

bool ExamplesModel::insertExamples(std::vector<ts::Example>& examples)
{
    if (!m_project || examples.empty())
        return false;
    std::vector<ts::Example> written = examples;
    {
        auto lock = m_project->writeLock();
        auto tx = ts::Transaction::begin(m_project->writer());
        if (!tx) {
            fail(tr("Cannot add the examples: %1").arg(qs(tx.error().message)));
            return false;
        }
        ts::ExampleRepository repo(m_project->writer());
        for (auto& example : written) {
            auto inserted = repo.insert(example);
            if (!inserted) {
                fail(tr("Cannot add the examples: %1").arg(qs(inserted.error().message)));
                return false;
            }
        }
        auto committed = tx->commit();
        if (!committed) {
            fail(tr("Cannot add the examples: %1").arg(qs(committed.error().message)));
            return false;
        }
    }
    examples = std::move(written);
    std::vector<int64_t> ids;
    ids.reserve(examples.size());
    bool anyTags = false;
    for (const auto& example : examples) {
        ids.push_back(example.id);
        anyTags = anyTags || !example.tags.empty();
    }
    if (ids.size() <= kBulkRows) {
        ts::ExampleRepository reader(readDb());
        if (auto stored = reader.getMany(ids))
            for (const auto& ex : *stored)
                remember(ex);
    }
    showNewIds(std::move(ids));
    refreshTotal();
    emit countsChanged();
    if (anyTags)
        tagsMayHaveChanged();
    return true;
}

void ExamplesModel::addStoredIds(const std::vector<int64_t>& ids)
{
    if (isLoading()) {
        // The rows are stored: the load, started again, reads them with the others.
        startLoad();
        return;
    }
    showNewIds(ids);
    refreshTotal();
    emit countsChanged();
    tagsMayHaveChanged();
}

void ExamplesModel::showNewIds(std::vector<int64_t> ids)
{
    {
        std::unordered_set<int64_t> shown(m_ids.begin(), m_ids.end());
        std::erase_if(ids, [&](int64_t id) { return shown.count(id) > 0; });
    }
    if (ids.empty())
        return;
    const bool byId = m_query.sortBy == ts::ExampleColumn::Id;
    const bool desc = m_query.descending;
    if (byId) {
        if (desc)
            std::sort(ids.begin(), ids.end(), std::greater<>());
        else
            std::sort(ids.begin(), ids.end());
    }
    const bool appendBlock
        = !byId || m_ids.empty() || (!desc && ids.front() > m_ids.back()) || (desc && ids.front() < m_ids.back());
    if (appendBlock) {
        const int first = static_cast<int>(m_ids.size());
        beginInsertRows({}, first, first + static_cast<int>(ids.size()) - 1);
        m_ids.insert(m_ids.end(), ids.begin(), ids.end());
        endInsertRows();
        return;
    }
    if (ids.size() > kBulkRows) {
        // Many rows between existing ones: cheaper to re-run the query than to signal each row.
        beginResetModel();
        std::vector<int64_t> merged;
        merged.reserve(m_ids.size() + ids.size());
        if (desc)
            std::merge(m_ids.begin(), m_ids.end(), ids.begin(), ids.end(), std::back_inserter(merged),
                       std::greater<>());
        else
            std::merge(m_ids.begin(), m_ids.end(), ids.begin(), ids.end(), std::back_inserter(merged));
        m_ids = std::move(merged);
        endResetModel();
        return;
    }
    for (int64_t id : ids) {
        auto pos = desc ? std::lower_bound(m_ids.begin(), m_ids.end(), id, std::greater<>())
                        : std::lower_bound(m_ids.begin(), m_ids.end(), id);
        const int row = static_cast<int>(pos - m_ids.begin());
        beginInsertRows({}, row, row);
        m_ids.insert(m_ids.begin() + row, id);
        endInsertRows();
    }
}

bool ExamplesModel::removeIds(const std::vector<int64_t>& ids)
{
    if (!m_project || ids.empty())
        return false;
    {
        auto lock = m_project->writeLock();
        auto tx = ts::Transaction::begin(m_project->writer());
        if (!tx) {
            fail(tr("Cannot delete the examples: %1").arg(qs(tx.error().message)));
            return false;
        }
        ts::ExampleRepository repo(m_project->writer());
        for (int64_t id : ids) {
            auto removed = repo.remove(id);
            if (!removed) {
                fail(tr("Cannot delete the examples: %1").arg(qs(removed.error().message)));
                return false;
            }
        }
        auto committed = tx->commit();
        if (!committed) {
            fail(tr("Cannot delete the examples: %1").arg(qs(committed.error().message)));
            return false;
        }
    }
    const std::unordered_set<int64_t> gone(ids.begin(), ids.end());
    for (int64_t id : ids)
        forget(id);
    // Contiguous runs of removed rows, from the bottom up so row numbers stay valid.
    std::vector<std::pair<int, int>> runs;
    for (int r = static_cast<int>(m_ids.size()) - 1; r >= 0; --r) {
        if (!gone.count(m_ids[size_t(r)]))
            continue;
        if (!runs.empty() && runs.back().first == r + 1)
            runs.back().first = r;
        else
            runs.emplace_back(r, r);
    }
    if (runs.size() > 200) {
        beginResetModel();
        std::erase_if(m_ids, [&](int64_t id) { return gone.count(id) > 0; });
        endResetModel();
    } else {
        for (const auto& [first, last] : runs) {
            beginRemoveRows({}, first, last);
            m_ids.erase(m_ids.begin() + first, m_ids.begin() + last + 1);
            endRemoveRows();
        }
    }
    refreshTotal();
    emit countsChanged();
    tagsMayHaveChanged();
    return true;
}

} // namespace ts::ui
