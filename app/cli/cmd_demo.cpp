// CLI command `demo`: make (or complete) the bundled demo project, the same way the GUI's Open Demo does.
#include <filesystem>
#include <system_error>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "demo/demo_project.h"

namespace tscli {

namespace {

int commandDemo(const Args& args)
{
    Options opts(args, 1, {});
    if (!opts.ok())
        return fail("demo: " + opts.error(), 2);
    std::vector<std::filesystem::path> folders;
    if (auto assets = opts.value("--assets")) {
        folders.emplace_back(*assets);
    } else {
        std::error_code error;
        const auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
        folders = ts::demo::demoAssetFolders(error ? std::filesystem::path() : executable.parent_path(),
                                             TUNESMITH_SOURCE_DEMO_DIR);
    }
    auto assets = ts::demo::findDemoAssets(folders);
    if (!assets)
        return fail("demo: " + assets.error().message);
    const std::filesystem::path project = opts.positional(0);
    StderrProgress progress;
    auto report = ts::demo::ensureDemoProject(project, *assets, interruptToken(), progress);
    if (!report)
        return fail("demo: " + report.error().message, report.error().kind == ts::ErrorKind::Cancelled ? 130 : 1);
    return printJson({{"project", project.string()},
                      {"created", report->created},
                      {"imported", report->importedExamples},
                      {"endpoint_added", report->endpointAdded},
                      {"variants_added", report->variantsAdded},
                      {"base_model", assets->baseModelDir.string()}});
}

} // namespace

const CommandRegistration demoCommand(
    "demo",
    "  demo PROJECT [--assets DIR]       make the demo project (examples, base model, local-demo endpoint,\n"
    "                                    starter variants) or add what an existing one lacks; DIR holds\n"
    "                                    claims.jsonl and base-model/ (default: the installed or source copy)",
    commandDemo);

} // namespace tscli
