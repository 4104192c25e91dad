// ImportJob / ExportJob: move examples between a dataset file and the project.
// Import is all-or-nothing: the file is validated first; if any row is bad the import is
// refused (problems listed by line) unless skipInvalid is set; the rows go in in short chunks that
// readers do not see until the last one is in (PendingImport), and a failure, a cancel or a crash
// leaves the project exactly as it was.
#pragma once

#include <filesystem>
#include <vector>

#include "data/formats.h"
#include "jobs/job.h"
#include "store/example_repository.h"

namespace ts {

class Project;

struct ImportOptions
{
    std::filesystem::path file;
    DataFormat format = DataFormat::OpenAiJsonl;
    CsvMapping csv; // used when format == Csv
    bool skipInvalid = false; // import the valid rows, report the skipped ones
    std::optional<Split> forceSplit; // put every row in this split (else the file's "split", else train)
    std::vector<std::string> addTags; // tags added to every imported row
    Source source = Source::Imported; // provenance recorded on every row (the demo's are golden)
};

struct ImportResult
{
    size_t imported = 0;
    std::vector<int64_t> ids; // ids of the new rows
    std::vector<ImportProblem> problems; // bad rows in file order (at most kMaxKeptProblems)
    size_t invalidRows = 0; // all bad rows, also those not kept in `problems`
    size_t rows = 0; // rows in the file
};

class ImportJob final : public Job
{
public:
    ImportJob(Project& project, ImportOptions options);
    std::string title() const override;
    Status run(const CancelToken& cancel, ProgressSink& progress) override;
    const ImportResult& result() const { return m_result; }

    static constexpr size_t kMaxListedProblems = 20; // in the error message
    static constexpr size_t kMaxKeptProblems = 1000; // in result().problems

private:
    Project& m_project;
    ImportOptions m_options;
    ImportResult m_result;
    size_t m_chunkRows = 1000; // adapts so that a chunk holds the write lock for ~50 ms
};

struct ExportOptions
{
    std::filesystem::path file;
    DataFormat format = DataFormat::OpenAiJsonl;
    ExampleQuery query; // which rows (default: all, by id)
    std::vector<int64_t> onlyIds; // if non-empty, exactly these rows
};

class ExportJob final : public Job
{
public:
    ExportJob(Project& project, ExportOptions options);
    std::string title() const override;
    Status run(const CancelToken& cancel, ProgressSink& progress) override;
    size_t exported() const { return m_exported; }

private:
    Project& m_project;
    ExportOptions m_options;
    size_t m_exported = 0;
};

} // namespace ts
