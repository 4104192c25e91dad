// copyDatabase: VACUUM INTO under a SqliteProgress watch; progress = target size / source size.
#include "store/database_copy.h"

#include <algorithm>
#include <optional>

#include "store/sqlite_progress.h"

namespace ts {

namespace {

int64_t fileSize(const std::filesystem::path& path)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return ec ? 0 : static_cast<int64_t>(size);
}

} // namespace

void removeDatabaseCopy(const std::filesystem::path& target)
{
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"})
        std::filesystem::remove(target.string() + suffix, ec);
}

Status copyDatabase(Database& source, const std::filesystem::path& target, const CancelToken& cancel,
                    ProgressSink& progress, const std::string& message)
{
    std::error_code ec;
    if (std::filesystem::exists(target, ec))
        return Error {"cannot save to " + target.string() + ": the file already exists"};
    // The copy holds the live rows only, so it is at most the size of the file plus its write-ahead log.
    const int64_t total = fileSize(source.path()) + fileSize(source.path().string() + "-wal");
    auto stmt = source.prepare("VACUUM INTO ?1");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, target.string());
    Status done;
    std::optional<SqliteProgress> watch;
    watch.emplace(source, cancel, progress, message,
                  [&target, total] { return std::pair<int64_t, int64_t>(std::min(fileSize(target), total), total); });
    done = cancel.stopRequested() ? Status(cancelledError()) : stmt->run();
    if (!done) {
        Error error = watch->explain(done.error());
        watch.reset();
        stmt = Statement();
        removeDatabaseCopy(target);
        if (error.kind == ErrorKind::Cancelled)
            return error;
        return Error {"cannot save to " + target.string() + ": " + error.message, error.kind};
    }
    progress.report({total, total, message});
    return {};
}

} // namespace ts
