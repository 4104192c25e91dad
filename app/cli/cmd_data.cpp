// CLI commands over the project file and datasets: create, info, import, export.
#include <iostream>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "data/import_job.h"
#include "jobs/job_runner.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "store/schema.h"

namespace tscli {

namespace {

nlohmann::json problemsJson(const std::vector<ts::ImportProblem>& problems)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : problems)
        out.push_back({{"line", p.line}, {"field", p.field}, {"reason", p.reason}});
    return out;
}

std::optional<int> intOption(const Options& opts, const std::string& name, std::string& error)
{
    auto text = opts.value(name);
    if (!text)
        return std::nullopt;
    try {
        size_t used = 0;
        int v = std::stoi(*text, &used);
        if (used == text->size() && v >= 0)
            return v;
    } catch (...) { }
    error = name + " expects a column number (0-based), got '" + *text + "'";
    return std::nullopt;
}

} // namespace

int commandCreate(const Args& args)
{
    Options opts(args, 1, {});
    if (!opts.ok())
        return fail("create: " + opts.error(), 2);
    auto project = ts::Project::create(opts.positional(0));
    if (!project)
        return fail(project.error().message);
    return printJson({{"project", opts.positional(0)}, {"schema_version", ts::kSchemaVersion}});
}

int commandInfo(const Args& args)
{
    Options opts(args, 1, {});
    if (!opts.ok())
        return fail("info: " + opts.error(), 2);
    auto project = ts::Project::open(opts.positional(0));
    if (!project)
        return fail(project.error().message);
    ts::ExampleRepository repo((*project)->writer());
    nlohmann::json splits = nlohmann::json::object();
    for (ts::Split split : {ts::Split::Train, ts::Split::Eval, ts::Split::Test}) {
        ts::ExampleQuery query;
        query.split = split;
        auto ids = repo.queryIds(query);
        if (!ids)
            return fail(ids.error().message);
        splits[std::string(ts::splitName(split))] = ids->size();
    }
    auto count = repo.count();
    if (!count)
        return fail(count.error().message);
    return printJson({{"project", opts.positional(0)},
                      {"schema_version", ts::kSchemaVersion},
                      {"examples", *count},
                      {"splits", splits}});
}

int commandImport(const Args& args)
{
    Options opts(args, 2, {"--skip-invalid", "--csv-no-header"});
    if (!opts.ok())
        return fail("import: " + opts.error(), 2);
    ts::ImportOptions options;
    options.file = opts.positional(1);
    if (auto name = opts.value("--format")) {
        auto format = ts::formatFromName(*name);
        if (!format)
            return fail("import: unknown format '" + *name + "'", 2);
        options.format = *format;
    } else if (auto detected = ts::detectFormat(options.file)) {
        options.format = *detected;
    } else {
        return fail("import: cannot tell the format of " + options.file.string() + "; pass --format", 2);
    }
    if (auto split = opts.value("--split")) {
        options.forceSplit = ts::splitFromName(*split);
        if (!options.forceSplit)
            return fail("import: unknown split '" + *split + "'", 2);
    }
    options.addTags = opts.values("--tag");
    if (auto source = opts.value("--source")) {
        auto value = ts::sourceFromName(*source);
        if (!value)
            return fail("import: unknown source '" + *source + "' (golden, synthetic or imported)", 2);
        options.source = *value;
    }
    options.skipInvalid = opts.flag("--skip-invalid");
    if (options.format == ts::DataFormat::Csv) {
        auto preview = ts::previewCsv(options.file);
        if (!preview)
            return fail(preview.error().message);
        options.csv = preview->suggested;
        options.csv.hasHeader = !opts.flag("--csv-no-header");
        std::string error;
        const std::pair<const char*, int*> columns[] = {{"--csv-input", &options.csv.input},
                                                        {"--csv-output", &options.csv.output},
                                                        {"--csv-system", &options.csv.system},
                                                        {"--csv-split", &options.csv.split},
                                                        {"--csv-tags", &options.csv.tags}};
        for (const auto& [name, target] : columns)
            if (auto v = intOption(opts, name, error))
                *target = *v;
        if (!error.empty())
            return fail("import: " + error, 2);
    }

    auto project = ts::Project::open(opts.positional(0));
    if (!project)
        return fail(project.error().message);
    ts::ImportJob job(**project, options);
    StderrProgress progress;
    auto status = ts::JobRunner::runHere(job, interruptToken(), progress);
    const auto& result = job.result();
    if (ts::isCancelled(status))
        return printJson({{"error", "cancelled"}, {"imported", 0}}, 130);
    if (!status) {
        std::cerr << "tunesmith-cli: " << status.error().message << "\n";
        return printJson({{"error", status.error().message},
                          {"rows", result.rows},
                          {"invalid_rows", result.invalidRows},
                          {"problems", problemsJson(result.problems)}},
                         2);
    }
    return printJson({{"imported", result.imported},
                      {"rows", result.rows},
                      {"skipped", result.invalidRows},
                      {"problems", problemsJson(result.problems)}});
}

int commandExport(const Args& args)
{
    Options opts(args, 2, {});
    if (!opts.ok())
        return fail("export: " + opts.error(), 2);
    ts::ExportOptions options;
    options.file = opts.positional(1);
    if (auto name = opts.value("--format")) {
        auto format = ts::formatFromName(*name);
        if (!format)
            return fail("export: unknown format '" + *name + "'", 2);
        options.format = *format;
    } else {
        const std::string ext = options.file.extension().string();
        if (ext == ".jsonl")
            options.format = ts::DataFormat::OpenAiJsonl;
        else if (ext == ".csv")
            options.format = ts::DataFormat::Csv;
        else
            return fail("export: pass --format (cannot tell it from '" + ext + "')", 2);
    }
    if (auto split = opts.value("--split")) {
        options.query.split = ts::splitFromName(*split);
        if (!options.query.split)
            return fail("export: unknown split '" + *split + "'", 2);
    }
    if (auto tag = opts.value("--tag"))
        options.query.tag = *tag;

    auto project = ts::Project::open(opts.positional(0));
    if (!project)
        return fail(project.error().message);
    ts::ExportJob job(**project, options);
    StderrProgress progress;
    auto status = ts::JobRunner::runHere(job, interruptToken(), progress);
    if (ts::isCancelled(status))
        return printJson({{"error", "cancelled"}}, 130);
    if (!status)
        return fail(status.error().message);
    return printJson({{"exported", job.exported()},
                      {"file", options.file.string()},
                      {"format", std::string(ts::formatName(options.format))}});
}

int commandMeta(const Args& args)
{
    if (args.size() < 2)
        return fail("meta: usage: meta PROJECT KEY [VALUE]", 2);
    Options opts(args, args.size() >= 3 ? 3 : 2, {});
    if (!opts.ok())
        return fail("meta: " + opts.error(), 2);
    auto project = ts::Project::open(args.at(0));
    if (!project)
        return fail(project.error().message);
    const std::string& key = args.at(1);
    if (args.size() >= 3) {
        if (auto st = (*project)->setMeta(key, args.at(2)); !st)
            return fail("meta: " + st.error().message);
    }
    auto value = (*project)->meta(key);
    if (!value)
        return fail("meta: " + value.error().message);
    return printJson({{"key", key}, {"value", *value}});
}

const CommandRegistration metaCommand("meta",
                                      "  meta PROJECT KEY [VALUE]          read (or set) a project setting, e.g.\n"
                                      "                                    training.model_dir",
                                      commandMeta);

const CommandRegistration createCommand("create", "  create PROJECT                    create an empty project file",
                                        commandCreate);
const CommandRegistration infoCommand("info", "  info PROJECT                      schema version and example counts",
                                      commandInfo);
const CommandRegistration
    importCommand("import",
                  "  import PROJECT FILE [options]     import examples (all-or-nothing)\n"
                  "      --format NAME                 openai-jsonl | alpaca-json | alpaca-jsonl |\n"
                  "                                    sharegpt-json | sharegpt-jsonl | csv (default: detect)\n"
                  "      --skip-invalid                import the valid rows, report the others\n"
                  "      --split train|eval|test       put every row in this split\n"
                  "      --tag TAG                     add TAG to every row (repeatable)\n"
                  "      --source golden|imported      provenance recorded on the rows (default: imported)\n"
                  "      --csv-input N --csv-output N  CSV columns (0-based; default: from the header)\n"
                  "      --csv-system N --csv-split N --csv-tags N --csv-no-header",
                  commandImport);
const CommandRegistration
    exportCommand("export",
                  "  export PROJECT FILE [options]     export examples\n"
                  "      --format NAME                 as for import (default: from the extension)\n"
                  "      --split train|eval|test       only this split\n"
                  "      --tag TAG                     only rows with this tag",
                  commandExport);

} // namespace tscli
