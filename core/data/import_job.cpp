// ImportJob / ExportJob: validate-then-insert in one transaction; export via a reader connection.
#include "data/import_job.h"

#include <algorithm>

#include "store/project.h"

namespace ts {

namespace {

constexpr size_t kRowsPerProgress = 1000;

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

    // All rows in one transaction: a failure or a cancel rolls back to the project as it was.
    auto lock = m_project.writeLock();
    auto tx = Transaction::begin(m_project.writer());
    if (!tx)
        return tx.error();
    ExampleRepository repo(m_project.writer());
    std::vector<int64_t> ids;
    ids.reserve(examples.size());
    const auto total = static_cast<int64_t>(examples.size());
    for (size_t i = 0; i < examples.size(); ++i) {
        if (i % kRowsPerProgress == 0) {
            if (cancel.stopRequested())
                return cancelledError();
            progress.report({static_cast<int64_t>(i), total, "Saving examples"});
        }
        auto inserted = repo.insert(examples[i]);
        if (!inserted)
            return Error {"cannot save the row from line " + std::to_string(parsed->lines[i]) + ": "
                          + inserted.error().message};
        ids.push_back(examples[i].id);
    }
    if (cancel.stopRequested())
        return cancelledError();
    auto committed = tx->commit();
    if (!committed)
        return committed;
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
