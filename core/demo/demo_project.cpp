// The demo project builder (see demo_project.h): one create-import-configure sequence for every caller.
#include "demo/demo_project.h"

#include <cstdlib>
#include <system_error>

#include "data/import_job.h"
#include "jobs/job_runner.h"
#include "llm/endpoint_repository.h"
#include "promptlab/prompt_repository.h"
#include "store/project.h"

namespace ts::demo {

namespace {

namespace fs = std::filesystem;

// The two starter variants of the Prompt lab, both on the local-demo endpoint, greedy.
std::vector<std::pair<std::string, promptlab::PromptVariant>> starterVariants()
{
    promptlab::PromptVariant terse;
    terse.role = "You extract the fields of an insurance claim notice.";
    terse.outputFormat = "Answer with one compact JSON object and nothing else.";

    promptlab::PromptVariant fields;
    fields.role = "You are a claims-intake extraction engine.";
    fields.instructions
        = "Return one JSON object with policy_number, claimant_name, line_of_business, incident_date (YYYY-MM-DD), "
          "incident_type, location, estimated_amount, currency, injuries_reported, police_report, "
          "third_party_involved and summary.";
    fields.constraints = {"Use null when the text does not say.", "No markdown, no commentary."};

    std::vector<std::pair<std::string, promptlab::PromptVariant>> out {{"terse", terse}, {"fields", fields}};
    for (auto& [name, variant] : out) {
        variant.endpoint = std::string(kDemoEndpointName);
        variant.sampling.temperature = 0.0;
        variant.sampling.maxTokens = 200;
    }
    return out;
}

Expected<size_t> importExamples(Project& project, const DemoAssets& assets, const CancelToken& cancel,
                                ProgressSink& progress)
{
    ImportOptions options;
    options.file = assets.examplesFile;
    options.format = DataFormat::OpenAiJsonl;
    options.source = Source::Golden; // hand-written golden examples
    ImportJob job(project, options);
    if (auto status = JobRunner::runHere(job, cancel, progress); !status)
        return status.error();
    return job.result().imported;
}

// Adds to `project` what the demo needs and it lacks; `fresh`: the file was just made.
Status configure(Project& project, const DemoAssets& assets, DemoProjectReport& report)
{
    auto lock = project.writeLock();
    const std::string modelDir = assets.baseModelDir.string();
    auto stored = project.meta(std::string(kModelDirMetaKey));
    if (!stored)
        return stored.error();
    if (stored->empty())
        if (auto status = project.setMeta(std::string(kModelDirMetaKey), modelDir); !status)
            return status;

    EndpointRepository endpoints(project.writer());
    auto existing = endpoints.get(std::string(kDemoEndpointName));
    if (!existing)
        return existing.error();
    if (!*existing) {
        Endpoint endpoint;
        endpoint.name = std::string(kDemoEndpointName);
        endpoint.provider.kind = llm::ProviderKind::Local;
        endpoint.provider.model = modelDir;
        if (auto status = endpoints.save(endpoint); !status)
            return status;
        report.endpointAdded = true;
    }

    PromptRepository prompts(project.writer());
    auto names = prompts.names();
    if (!names)
        return names.error();
    if (names->empty()) {
        for (const auto& [name, variant] : starterVariants()) {
            if (auto saved = prompts.save(name, variant); !saved)
                return saved.error();
            ++report.variantsAdded;
        }
    }
    return {};
}

void removeProjectFiles(const fs::path& path)
{
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(fs::path(path.string() + suffix), ignored);
}

} // namespace

Expected<DemoAssets> demoAssetsIn(const fs::path& folder)
{
    std::error_code error;
    DemoAssets assets;
    assets.folder = fs::absolute(folder, error).lexically_normal();
    assets.examplesFile = assets.folder / "claims.jsonl";
    assets.baseModelDir = assets.folder / "base-model";
    if (!fs::is_regular_file(assets.examplesFile, error))
        return makeError("no demo examples at " + assets.examplesFile.string());
    for (const char* file : {"config.json", "tokenizer.json", "model.safetensors"})
        if (!fs::is_regular_file(assets.baseModelDir / file, error))
            return makeError("no demo base model at " + assets.baseModelDir.string() + " (" + file + " is missing)");
    return assets;
}

std::vector<fs::path> demoAssetFolders(const fs::path& executableDir, const fs::path& sourceDemoDir)
{
    std::vector<fs::path> folders;
    if (const char* env = std::getenv("TUNESMITH_DEMO_DIR"); env && *env)
        folders.emplace_back(env);
    if (!executableDir.empty())
        folders.push_back((executableDir / ".." / "share" / "tunesmith" / "demo").lexically_normal());
    if (!sourceDemoDir.empty())
        folders.push_back(sourceDemoDir);
    return folders;
}

Expected<DemoAssets> findDemoAssets(const std::vector<fs::path>& folders)
{
    std::string tried;
    for (const fs::path& folder : folders) {
        if (folder.empty())
            continue;
        auto assets = demoAssetsIn(folder);
        if (assets)
            return assets;
        tried += "\n  " + assets.error().message;
    }
    return makeError("The demo files (claims.jsonl and base-model/) were not found:" + tried);
}

Expected<DemoProjectReport> ensureDemoProject(const fs::path& path, const DemoAssets& assets, const CancelToken& cancel,
                                              ProgressSink& progress)
{
    DemoProjectReport report;
    std::error_code error;
    const bool exists = fs::exists(path, error);
    if (!exists && !path.parent_path().empty())
        fs::create_directories(path.parent_path(), error);
    auto project = exists ? Project::open(path) : Project::create(path);
    if (!project)
        return project.error();
    report.created = !exists;
    if (report.created) {
        auto imported = importExamples(**project, assets, cancel, progress);
        if (imported)
            report.importedExamples = *imported;
        Status configured = imported ? configure(**project, assets, report) : Status(imported.error());
        if (!configured) {
            // A half-made demo is not left behind: the next build starts afresh.
            project->reset();
            removeProjectFiles(path);
            return configured.error();
        }
        return report;
    }
    if (auto status = configure(**project, assets, report); !status)
        return status.error();
    return report;
}

} // namespace ts::demo
