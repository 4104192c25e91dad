// PendingImport: chunked, invisible-until-finished inserts (see pending_import.h).
#include "store/pending_import.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <string>
#include <unistd.h>

#include "store/example_repository.h"
#include "store/project.h"

namespace ts {

namespace {

constexpr int kRowsPerDeleteChunk = 5000;

std::string hostName()
{
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0)
        return {};
    return name;
}

bool processAlive(int64_t pid)
{
    if (pid <= 0)
        return false;
    return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Deletes one import's rows in chunks (each a short transaction), then its record. The caller holds no
// transaction; `lockEach` takes the write lock around each chunk when the connection is shared.
template <typename LockEach> Status deleteImport(Database& db, int64_t importId, LockEach&& lockEach)
{
    for (;;) {
        auto lock = lockEach();
        auto tx = Transaction::begin(db);
        if (!tx)
            return tx.error();
        auto stmt = db.prepare("DELETE FROM examples WHERE id IN (SELECT example_id FROM import_pending "
                               "WHERE import_id = ?1 LIMIT ?2)");
        if (!stmt)
            return stmt.error();
        stmt->bind(1, importId).bind(2, kRowsPerDeleteChunk);
        if (auto done = stmt->run(); !done)
            return done;
        const int deleted = db.changes();
        if (deleted == 0) {
            auto record = db.prepare("DELETE FROM imports WHERE id = ?1");
            if (!record)
                return record.error();
            record->bind(1, importId);
            if (auto done = record->run(); !done)
                return done;
        }
        if (auto done = tx->commit(); !done)
            return done;
        if (deleted == 0)
            return {};
    }
}

} // namespace

Expected<PendingImport> PendingImport::begin(Project& project)
{
    auto lock = project.writeLock();
    auto stmt = project.writer().prepare("INSERT INTO imports (pid, host, started_at) VALUES (?1, ?2, ?3)");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, static_cast<int64_t>(getpid())).bind(2, hostName()).bind(3, nowMs());
    if (auto done = stmt->run(); !done)
        return done.error();
    return PendingImport(project, project.writer().lastInsertId());
}

Status PendingImport::addChunk(std::vector<Example>::iterator first, std::vector<Example>::iterator last)
{
    auto lock = m_project->writeLock();
    Database& db = m_project->writer();
    for (auto it = first; it != last; ++it)
        it->id = 0;
    auto tx = Transaction::begin(db);
    if (!tx)
        return tx.error();
    ExampleRepository repo(db);
    auto mark = db.prepare("INSERT INTO import_pending (example_id, import_id) VALUES (?1, ?2)");
    if (!mark)
        return mark.error();
    Status done;
    for (auto it = first; it != last && done; ++it) {
        done = repo.insert(*it);
        if (done) {
            mark->reset();
            mark->bind(1, it->id).bind(2, m_id);
            done = mark->run();
        }
    }
    if (done)
        done = tx->commit();
    if (!done)
        for (auto it = first; it != last; ++it)
            it->id = 0;
    return done;
}

Status PendingImport::finish()
{
    auto lock = m_project->writeLock();
    Database& db = m_project->writer();
    auto tx = Transaction::begin(db);
    if (!tx)
        return tx.error();
    // Deleting the record cascades to its pending rows: they become ordinary examples.
    auto stmt = db.prepare("DELETE FROM imports WHERE id = ?1");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, m_id);
    if (auto done = stmt->run(); !done)
        return done;
    return tx->commit();
}

Status PendingImport::discard()
{
    return deleteImport(m_project->writer(), m_id, [this] { return m_project->writeLock(); });
}

Expected<int64_t> removeAbandonedImports(Database& db)
{
    auto stmt = db.prepare("SELECT id, pid, host FROM imports");
    if (!stmt)
        return stmt.error();
    const std::string host = hostName();
    std::vector<int64_t> abandoned;
    auto listed = stmt->forEachRow([&](const Statement& s) {
        if (s.columnText(2) == host && !processAlive(s.columnInt(1)))
            abandoned.push_back(s.columnInt(0));
    });
    if (!listed)
        return listed.error();
    *stmt = Statement();
    if (abandoned.empty())
        return int64_t(0);
    const auto before = db.queryInt("SELECT count(*) FROM import_pending");
    if (!before)
        return before.error();
    for (int64_t id : abandoned)
        if (auto done = deleteImport(db, id, [] { return 0; }); !done)
            return done.error();
    const auto after = db.queryInt("SELECT count(*) FROM import_pending");
    if (!after)
        return after.error();
    return *before - *after;
}

} // namespace ts
