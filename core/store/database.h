// Database / Statement / Transaction: RAII over sqlite3. Errors come back as values
// carrying SQLite's message and the file name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ts {

class Statement
{
public:
    Statement() = default;
    Statement(sqlite3* db, sqlite3_stmt* stmt);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Bind by 1-based index. Text is copied (SQLITE_TRANSIENT).
    Statement& bind(int index, int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bindNull(int index);
    template <typename T> Statement& bind(int index, const std::optional<T>& value)
    {
        return value ? bind(index, *value) : bindNull(index);
    }

    // true = a row is ready, false = done.
    Expected<bool> step();
    // Run to completion (for INSERT/UPDATE/DELETE).
    Status run();
    // Step through every row, calling onRow(*this) for each.
    template <typename OnRow> Status forEachRow(OnRow&& onRow)
    {
        for (;;) {
            auto row = step();
            if (!row)
                return row.error();
            if (!*row)
                return {};
            onRow(*this);
        }
    }
    // Every row through `read` (Statement& → Expected<T>); the first failed read is the error.
    template <typename T, typename Read> Expected<std::vector<T>> collect(Read&& read)
    {
        std::vector<T> out;
        for (;;) {
            auto row = step();
            if (!row)
                return row.error();
            if (!*row)
                return out;
            Expected<T> item = read(*this);
            if (!item)
                return item.error();
            out.push_back(std::move(*item));
        }
    }
    void reset();

    int64_t columnInt(int col) const;
    double columnDouble(int col) const;
    std::string columnText(int col) const;
    bool columnIsNull(int col) const;

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

class Database
{
public:
    enum class Mode { ReadOnly, ReadWrite, ReadWriteCreate };

    static Expected<Database> open(const std::filesystem::path& path, Mode mode);

    Database() = default;
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    bool isOpen() const { return m_db != nullptr; }
    const std::filesystem::path& path() const { return m_path; }

    Status exec(std::string_view sql);
    Expected<Statement> prepare(std::string_view sql);
    // Single integer from a query such as "PRAGMA user_version" or "SELECT count(*) ...".
    Expected<int64_t> queryInt(std::string_view sql);
    int64_t lastInsertId() const;
    int changes() const;
    std::string lastError() const;

    sqlite3* handle() const { return m_db; }

private:
    sqlite3* m_db = nullptr;
    std::filesystem::path m_path;
};

// BEGIN IMMEDIATE on construction; ROLLBACK in the destructor unless commit() succeeded.
class Transaction
{
public:
    static Expected<Transaction> begin(Database& db);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    ~Transaction();

    Status commit();
    void rollback();

private:
    explicit Transaction(Database* db)
        : m_db(db)
    { }
    Database* m_db = nullptr;
};

} // namespace ts
