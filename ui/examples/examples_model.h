// ExamplesModel: table model over the project's examples; holds the ids of the current query and fetches rows lazily.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>
#include <vector>

#include <QAbstractTableModel>
#include <QStringList>

#include "bridge/project_load.h"
#include "store/database.h"
#include "store/example.h"
#include "store/example_repository.h"

class QUndoStack;

namespace ts {
class Project;
}

namespace ts::ui {

// Scales to 100,000+ rows: only the id vector of the current ExampleQuery is held; row data
// is read in pages of kPageSize through ExampleRepository::getMany on a read-only connection
// and kept in a bounded cache. Filter and sort changes re-query (filter: one model reset; sort:
// one layout change). Edits never re-query: setData() pushes an undo command, and the command
// calls applyExample()/insertExamples()/removeIds(), which write through the project's writer
// and update the cached rows and the id vector in place.
class ExamplesModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExamplesModel)

public:
    enum Column { InputColumn, OutputColumn, SplitColumn, TagsColumn, SourceColumn, UpdatedColumn, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1 };
    static constexpr int kPageSize = 256;
    static constexpr size_t kMaxCachedRows = 16 * kPageSize;
    static constexpr int kPreviewChars = 240;

    explicit ExamplesModel(QObject* parent = nullptr);
    ~ExamplesModel() override;

    // nullptr closes. The project must outlive the model or be replaced first. The rows load in the background
    // (ids of the query, count, tags and the first page, on a reader connection of the model's own): until loaded()
    // the model shows no rows and isLoading() is true.
    void setProject(ts::Project* project);
    bool isLoading() const { return m_load.isLoading(); }
    ts::Project* project() const { return m_project; }
    // setData() pushes its edit here; without a stack the model is read-only.
    void setUndoStack(QUndoStack* stack) { m_undoStack = stack; }
    QUndoStack* undoStack() const { return m_undoStack; }
    // While a job writes to the project, editing is switched off.
    void setEditable(bool editable);
    bool isEditable() const { return m_editable; }

    // While loading, a filter, sort or reload only changes the query that the load in progress reads: the load starts
    // again with it.
    void setFilter(const QString& text, std::optional<ts::Split> split, const QString& tag);
    const ts::ExampleQuery& query() const { return m_query; }
    void reload(); // re-runs the current query: one model reset

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    int64_t idAt(int row) const;
    int rowOf(int64_t id) const; // -1 when not shown
    const std::vector<int64_t>& ids() const { return m_ids; }
    std::optional<ts::Example> exampleAt(int row) const;
    std::optional<ts::Example> exampleById(int64_t id) const;
    std::vector<ts::Example> examplesAt(const std::vector<int>& rows) const; // in the order given
    int64_t totalCount() const { return m_total; } // examples in the project
    QStringList allTags() const; // distinct tags in the project, sorted
    size_t cachedRowCount() const { return m_cache.size(); }
    QString lastError() const { return m_lastError; }

    // Writes used by the undo commands. Each returns false (and emits errorOccurred) when the
    // project refuses the write; afterwards the cached rows equal what the database holds.
    bool applyExample(const ts::Example& example);
    bool applyExamples(const std::vector<ts::Example>& examples);
    // Inserts; ids that are non-zero are kept (undo of a delete), zero ids are assigned.
    bool insertExamples(std::vector<ts::Example>& examples);
    bool removeIds(const std::vector<int64_t>& ids);
    // Rows that a job already wrote (an import): shows them without writing.
    void addStoredIds(const std::vector<int64_t>& ids);

    static QString previewText(const std::string& text);
    static QString sourceLabel(ts::Source source); // translated "golden" / "synthetic" / "imported"

signals:
    // The background load of setProject() arrived: rows, count and tags are those of the project (after the reset).
    void loaded();
    void countsChanged();
    void tagsChanged();
    void errorOccurred(const QString& message);

private:
    const ts::Example* cachedRow(int row) const;
    void fetchPage(int row) const;
    void remember(const ts::Example& example) const;
    void forget(int64_t id) const;
    void startLoad();
    void tagsMayHaveChanged();
    bool queryIds(std::vector<int64_t>& out);
    void refreshTotal();
    void showNewIds(std::vector<int64_t> ids);
    void fail(const QString& message);
    ts::Database& readDb() const;

    ts::Project* m_project = nullptr;
    mutable ts::Database m_reader; // read-only connection of the GUI thread
    QUndoStack* m_undoStack = nullptr;
    ts::ExampleQuery m_query;
    std::vector<int64_t> m_ids;
    mutable std::unordered_map<int64_t, ts::Example> m_cache;
    mutable std::deque<int64_t> m_cacheOrder; // oldest first, for eviction
    int64_t m_total = 0;
    std::optional<QStringList> m_tags; // as the load read them, until an edit may have changed them
    ProjectLoad m_load {this};
    ProjectLoad m_tagsLoad {this}; // all tags again after an edit may have changed them
    bool m_editable = true;
    QString m_lastError;
};

} // namespace ts::ui
