// JobRunner: exceptions become errors at this boundary.
#include "jobs/job_runner.h"

#include <exception>

namespace ts {

Status JobRunner::runHere(Job& job, const CancelToken& cancel, ProgressSink& progress)
{
    try {
        return job.run(cancel, progress);
    } catch (const std::exception& e) {
        return Error {job.title() + " failed: " + e.what()};
    } catch (...) {
        return Error {job.title() + " failed with an unknown error"};
    }
}

} // namespace ts
