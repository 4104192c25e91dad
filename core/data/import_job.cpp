// ImportJob / ExportJob: validate, then insert in chunks kept invisible until the last (PendingImport); export via
// a reader connection.
#include "data/import_job.h"

#include <algorithm>
#include <chrono>

#include "store/busy_retry.h"
#include "store/pending_import.h"
#include "store/project.h"

namespace ts {

namespace {

constexpr size_t kMaxChunkRows = 1000;
constexpr auto kChunkTime = std::chrono::milliseconds(50);

std::string refusalMessage(const std::filesystem::path& file, const ImportResult& result)
{
    std::string message = file.filename().string() + ": " + std::to_string(result.invalidRows) + " of "
        + std::to_string(result.rows) + " rows are invalid, so nothing was imported.";
    const size_t listed = std::min(result.problems.size(), ImportJob::kMaxListedProblems);
    for (size_t i = 0; i < listed; ++i)
        message += "\n" + describe(result.problems[i]);
    if (result.invalidRows > listed)
        message += "\n... and " + std::to_string(result.invalidRows - listed) + " more";
    return message;
}

} // namespace

ImportJob::ImportJob(Project& project, ImportOptions options)
    : m_project(project)
    , m_options(std::move(options))
{ }

std::string ImportJob::title() const
{
    return "Importing " + m_options.file.filename().string();
}

Status ImportJob::run(const CancelToken& cancel, ProgressSink& progress)
{
    m_result = ImportResult();
    auto parsed = parseFile(m_options.file, m_options.format, m_options.csv, cancel, progress);
    if (!parsed)
        return parsed.error();

    m_result.rows = parsed->rows;
    m_result.invalidRows = parsed->problems.size();
    const size_t kept = std::min(parsed->problems.size(), kMaxKeptProblems);
    m_result.problems.assign(parsed->problems.begin(), parsed->problems.begin() + static_cast<long>(kept));
    if (m_result.invalidRows > 0 && !m_options.skipInvalid)
        return Error {refusalMessage(m_options.file, m_result)};
    if (parsed->examples.empty())
        return Error {m_options.file.filename().string() + ": the file holds no examples"};

    std::vector<Example>& examples = parsed->examples;
    for (Example& ex : examples) {
        ex.source = m_options.source;
        if (m_options.forceSplit)
            ex.split = *m_options.forceSplit;
        for (const std::string& tag : m_options.addTags)
            if (std::find(ex.tags.begin(), ex.tags.end(), tag) == ex.tags.end())
                ex.tags.push_back(tag);
    }

    // Chunks of ~1,000 rows or ~50 ms, each its own short transaction: the write lock is free between them, so
    // other writers (the GUI's edits, a job's metrics) wait at most one chunk. The rows stay invisible until
    // finish(); a failure or a cancel deletes them, so the import is still all or nothing for the user.
    auto pending = PendingImport::begin(m_project);
    if (!pending)
        return pending.error();
    auto fail = [&](Status error) {
        (void)pending->discard();
        return error;
    };
    const auto total = static_cast<int64_t>(examples.size());
    for (size_t next = 0; next < examples.size();) {
        if (cancel.stopRequested())
            return fail(cancelledError());
        progress.report({static_cast<int64_t>(next), total, "Saving examples"});
        const auto started = std::chrono::steady_clock::now();
        // The chunk's size follows the time a chunk takes: ~kChunkTime, at most kMaxChunkRows.
        const size_t end = next + std::min(examples.size() - next, m_chunkRows);
        Status added = retryWhileBusy(
            [&] {
                return pending->addChunk(examples.begin() + static_cast<long>(next),
                                         examples.begin() + static_cast<long>(end));
            },
            cancel,
            [&](int, const std::string& message) {
                progress.report({static_cast<int64_t>(next), total, "The project file is busy: " + message});
            });
        if (!added) {
            if (cancel.stopRequested())
                return fail(cancelledError());
            return fail(Error {"cannot save the rows from line " + std::to_string(parsed->lines[next]) + ": "
                               + added.error().message});
        }
        const auto took = std::chrono::steady_clock::now() - started;
        if (took > kChunkTime && m_chunkRows > 100)
            m_chunkRows /= 2;
        else if (took < kChunkTime / 2 && m_chunkRows < kMaxChunkRows)
            m_chunkRows = std::min(kMaxChunkRows, m_chunkRows * 2);
        next = end;
    }
    if (cancel.stopRequested())
        return fail(cancelledError());
    if (auto finished = retryWhileBusy([&] { return pending->finish(); }, cancel); !finished)
        return fail(finished);
    std::vector<int64_t> ids;
    ids.reserve(examples.size());
    for (const Example& ex : examples)
        ids.push_back(ex.id);
    progress.report({total, total, "Saved examples"});
    m_result.imported = ids.size();
    m_result.ids = std::move(ids);
    return {};
}

ExportJob::ExportJob(Project& project, ExportOptions options)
    : m_project(project)
    , m_options(std::move(options))
{ }

std::string ExportJob::title() const
{
    return "Exporting " + m_options.file.filename().string();
}

Status ExportJob::run(const CancelToken& cancel, ProgressSink& progress)
{
    // A reader connection of its own: the export sees one consistent snapshot and never
    // waits for (or blocks) the writer.
    auto reader = m_project.openReader();
    if (!reader)
        return reader.error();
    auto snapshot = reader->exec("BEGIN");
    if (!snapshot)
        return snapshot;
    ExampleRepository repo(*reader);
    std::vector<int64_t> ids = m_options.onlyIds;
    if (ids.empty()) {
        auto queried = repo.queryIds(m_options.query);
        if (!queried)
            return queried.error();
        ids = std::move(*queried);
    }
    if (cancel.stopRequested())
        return cancelledError();
    auto rows = repo.getMany(ids);
    if (!rows)
        return rows.error();
    (void)reader->exec("COMMIT");
    auto written = writeFile(m_options.file, m_options.format, *rows, cancel, progress);
    if (!written)
        return written;
    m_exported = rows->size();
    return {};
}

} // namespace ts
