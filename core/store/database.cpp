// Database / Statement / Transaction: thin RAII over the sqlite3 C API.
#include "store/database.h"

#include <sqlite3.h>

namespace ts {

namespace {

// SQLITE_BUSY / SQLITE_LOCKED (with their extended codes): another connection holds the lock past the
// busy timeout. Worth retrying; every other code is a real failure.
ErrorKind errorKindOf(int rc)
{
    const int primary = rc & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? ErrorKind::Busy : ErrorKind::Failed;
}

Error sqliteError(sqlite3* db, int rc, const std::string& prefix)
{
    return Error {prefix + sqlite3_errmsg(db), errorKindOf(rc)};
}

} // namespace

// ----------------------------------------------------------------------------
// Statement

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt)
    : m_db(db)
    , m_stmt(stmt)
{ }

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db)
    , m_stmt(other.m_stmt)
{
    other.m_stmt = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = other.m_stmt;
        other.m_stmt = nullptr;
    }
    return *this;
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int index, int64_t value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text)
{
    sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}

Statement& Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

Expected<bool> Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return sqliteError(m_db, rc, "database error: ");
}

Status Statement::run()
{
    for (;;) {
        auto row = step();
        if (!row)
            return row.error();
        if (!*row)
            return {};
    }
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int64_t Statement::columnInt(int col) const
{
    return sqlite3_column_int64(m_stmt, col);
}

double Statement::columnDouble(int col) const
{
    return sqlite3_column_double(m_stmt, col);
}

std::string Statement::columnText(int col) const
{
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
    if (!text)
        return {};
    return std::string(text, static_cast<size_t>(sqlite3_column_bytes(m_stmt, col)));
}

bool Statement::columnIsNull(int col) const
{
    return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}

// ----------------------------------------------------------------------------
// Database

Expected<Database> Database::open(const std::filesystem::path& path, Mode mode)
{
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case Mode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::ReadWriteCreate:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    }
    Database db;
    db.m_path = path;
    const int rc = sqlite3_open_v2(path.string().c_str(), &db.m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = db.m_db ? sqlite3_errmsg(db.m_db) : sqlite3_errstr(rc);
        return Error {"cannot open " + path.string() + ": " + message};
    }
    sqlite3_extended_result_codes(db.m_db, 1);
    sqlite3_busy_timeout(db.m_db, 5000);
    return db;
}

Database::Database(Database&& other) noexcept
    : m_db(other.m_db)
    , m_path(std::move(other.m_path))
{
    other.m_db = nullptr;
}

Database& Database::operator=(Database&& other) noexcept
{
    if (this != &other) {
        sqlite3_close_v2(m_db);
        m_db = other.m_db;
        m_path = std::move(other.m_path);
        other.m_db = nullptr;
    }
    return *this;
}

Database::~Database()
{
    sqlite3_close_v2(m_db);
}

Status Database::exec(std::string_view sql)
{
    char* message = nullptr;
    const std::string text(sql);
    if (const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message); rc != SQLITE_OK) {
        std::string error = message ? message : sqlite3_errmsg(m_db);
        sqlite3_free(message);
        return Error {"database error in " + m_path.filename().string() + ": " + error, errorKindOf(rc)};
    }
    return {};
}

Expected<Statement> Database::prepare(std::string_view sql)
{
    sqlite3_stmt* stmt = nullptr;
    if (const int rc = sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
        rc != SQLITE_OK)
        return sqliteError(m_db, rc, "database error in " + m_path.filename().string() + ": ");
    return Statement(m_db, stmt);
}

Expected<int64_t> Database::queryInt(std::string_view sql)
{
    auto stmt = prepare(sql);
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return Error {"query returned no row: " + std::string(sql)};
    return stmt->columnInt(0);
}

int64_t Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

std::string Database::lastError() const
{
    return m_db ? sqlite3_errmsg(m_db) : "database not open";
}

// ----------------------------------------------------------------------------
// Transaction

Expected<Transaction> Transaction::begin(Database& db)
{
    auto started = db.exec("BEGIN IMMEDIATE");
    if (!started)
        return started.error();
    return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept
    : m_db(other.m_db)
{
    other.m_db = nullptr;
}

Transaction::~Transaction()
{
    rollback();
}

Status Transaction::commit()
{
    if (!m_db)
        return Error {"transaction already finished"};
    auto done = m_db->exec("COMMIT");
    if (done)
        m_db = nullptr;
    return done;
}

void Transaction::rollback()
{
    if (m_db) {
        (void)m_db->exec("ROLLBACK");
        m_db = nullptr;
    }
}

} // namespace ts
