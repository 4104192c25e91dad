// findResumePoint: the run's checkpoint artifacts, newest first, checked for a trainer_state.json on disk.
#include "train/resume_point.h"

#include "store/run_repository.h"

namespace ts {

namespace fs = std::filesystem;

Expected<ResumePoint> findResumePoint(Database& db, const fs::path& projectFile, int64_t runId)
{
    auto list = RunRepository(db).artifacts(runId, "checkpoint");
    if (!list)
        return list.error();
    ResumePoint point;
    point.recordedCheckpoints = static_cast<int64_t>(list->size());
    const fs::path base = projectFile.parent_path();
    if (!list->empty())
        point.expectedFolder = (base / list->back().path).lexically_normal();
    std::error_code ec;
    for (auto it = list->rbegin(); it != list->rend(); ++it)
        if (fs::exists(base / it->path / "trainer_state.json", ec)) {
            point.checkpointDir = base / it->path;
            break;
        }
    return point;
}

std::string noCheckpointReason(const ResumePoint& point, const std::string& runName, int64_t runId)
{
    if (point.checkpointDir)
        return {};
    const std::string why = point.recordedCheckpoints > 0
        ? "its files are not in " + point.expectedFolder.parent_path().string()
        : "it stopped before saving its first one";
    const std::string name = runName.empty() ? "Run " + std::to_string(runId) : "Run '" + runName + "'";
    return name + " has no checkpoint to resume from (" + why + ").";
}

} // namespace ts
