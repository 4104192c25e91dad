// JobRunner: runs one job on the calling thread (CLI, tests, the JobManager's workers) and turns
// an exception escaping it into the job's error, so no thread dies of one.
#pragma once

#include "jobs/job.h"

namespace ts {

class JobRunner
{
public:
    static Status runHere(Job& job, const CancelToken& cancel, ProgressSink& progress);
};

} // namespace ts
