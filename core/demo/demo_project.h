// The bundled demo project, built the same way wherever it is made (`tunesmith-cli demo`, packaging/setup.sh,
// the GUI's File ▸ Open Demo Project): the golden examples of resources/demo/claims.jsonl, the demo base model as
// the Training page's model, a "local-demo" endpoint on that model and two starter prompt variants.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/cancel.h"
#include "common/expected.h"
#include "common/progress.h"

namespace ts::demo {

// The files a demo project is made from: a folder laid out as resources/demo (installed as share/tunesmith/demo).
struct DemoAssets
{
    std::filesystem::path folder;
    std::filesystem::path examplesFile; // claims.jsonl (OpenAI chat JSONL with split and tags)
    std::filesystem::path baseModelDir; // base-model/ (a Hugging Face model folder)
};

inline constexpr std::string_view kDemoProjectFileName = "claims-demo.tunesmith";
inline constexpr std::string_view kDemoEndpointName = "local-demo";
inline constexpr std::string_view kModelDirMetaKey = "training.model_dir"; // what the Training page starts from

// The assets in `folder`, or an error naming what is missing there.
Expected<DemoAssets> demoAssetsIn(const std::filesystem::path& folder);
// Where the assets are looked for, in order: $TUNESMITH_DEMO_DIR, <executable folder>/../share/tunesmith/demo
// (an installed package), then `sourceDemoDir` (resources/demo of the source tree a build came from).
std::vector<std::filesystem::path> demoAssetFolders(const std::filesystem::path& executableDir,
                                                    const std::filesystem::path& sourceDemoDir);
// The first of `folders` that holds complete assets; the error lists every folder tried.
Expected<DemoAssets> findDemoAssets(const std::vector<std::filesystem::path>& folders);

struct DemoProjectReport
{
    bool created = false; // the file was made now (else it existed and keeps the user's edits)
    size_t importedExamples = 0;
    bool endpointAdded = false;
    size_t variantsAdded = 0;
};

// Makes the demo project at `path` when there is none (a failed or cancelled first build removes the half-made
// file), then adds what an existing one lacks: the local-demo endpoint and the starter variants (a demo made
// before the Prompt lab existed gets them; a user's own variants are left alone) and the base model setting when
// it is unset. The project file is closed again when this returns.
Expected<DemoProjectReport> ensureDemoProject(const std::filesystem::path& path, const DemoAssets& assets,
                                              const CancelToken& cancel, ProgressSink& progress);

} // namespace ts::demo
