// resolveAdapterReference: "run:ID" through the run's artifacts, paths against the project folder.
#include "promptlab/adapter_reference.h"

#include "store/run_repository.h"

namespace ts::promptlab {

Expected<std::string> resolveAdapterReference(Database& db, const std::filesystem::path& projectFile,
                                              const std::string& reference)
{
    if (reference.empty())
        return reference;
    const std::filesystem::path folder = projectFile.parent_path();
    if (reference.rfind("run:", 0) != 0) {
        const std::filesystem::path path(reference);
        return (path.is_absolute() ? path : folder / path).string();
    }
    int64_t runId = 0;
    try {
        size_t used = 0;
        runId = std::stoll(reference.substr(4), &used);
        if (used != reference.size() - 4)
            throw std::invalid_argument(reference);
    } catch (const std::exception&) {
        return makeError("adapter \"" + reference + "\": expected run:ID, the id of a training run");
    }
    auto run = RunRepository(db).get(runId);
    if (!run)
        return run.error();
    if (!*run || (*run)->kind != "train")
        return makeError("adapter \"" + reference + "\": there is no training run " + std::to_string(runId));
    auto adapters = RunRepository(db).artifacts(runId, "adapter");
    if (!adapters)
        return adapters.error();
    if (adapters->empty())
        return makeError("adapter \"" + reference + "\": training run " + std::to_string(runId) + " (\"" + (*run)->name
                         + "\", " + std::string(runStatusName((*run)->status)) + ") has written no adapter yet");
    return (folder / adapters->back().path).string();
}

} // namespace ts::promptlab
