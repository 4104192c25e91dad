// ExampleRepository: typed access to the `examples` table. Every call is its own statement;
// callers that need atomicity (imports, multi-row edits) wrap calls in a Transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/expected.h"
#include "store/database.h"
#include "store/example.h"

namespace ts {

enum class ExampleColumn { Id, Input, Output, Split, Tags, Source, UpdatedAt };

struct ExampleQuery
{
    std::string text; // substring of input or output (case-insensitive for ASCII); "" = all
    std::optional<Split> split; // only this split
    std::string tag; // only rows carrying this tag; "" = all
    std::optional<Source> source; // only this source
    ExampleColumn sortBy = ExampleColumn::Id;
    bool descending = false;
};

class ExampleRepository
{
public:
    explicit ExampleRepository(Database& db)
        : m_db(db)
    { }

    // Insert; sets example.id, createdAt and updatedAt (unless createdAt is already set).
    // If example.id is non-zero that id is used (undo of a delete puts rows back as they were).
    Status insert(Example& example);
    Status update(Example& example); // sets updatedAt
    Status remove(int64_t id);
    Expected<std::optional<Example>> get(int64_t id);
    // Rows for these ids, in the order given (missing ids are skipped).
    Expected<std::vector<Example>> getMany(const std::vector<int64_t>& ids);
    Expected<std::vector<int64_t>> queryIds(const ExampleQuery& query);
    Expected<std::vector<Example>> all(); // ordered by id
    Expected<std::vector<Example>> inSplit(Split split); // the split's rows, ordered by id
    Expected<int64_t> count();
    Expected<std::vector<std::string>> allTags(); // distinct, sorted

private:
    Database& m_db;
    std::optional<Statement> m_insert;
};

} // namespace ts
