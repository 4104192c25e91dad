// Job: long work (import, export, training, evaluation) with params in, result out,
// run(cancel, progress). A job checks the token at each step and leaves the project
// consistent when it stops early.
#pragma once

#include <string>

#include "common/cancel.h"
#include "common/expected.h"
#include "common/progress.h"
#include "jobs/resource_claim.h"

namespace ts {

class Job
{
public:
    virtual ~Job() = default;
    virtual std::string title() const = 0; // e.g. "Importing claims.jsonl"
    // What the job needs while it runs; the JobManager queues it until its exclusive claims are
    // free. Called on the submitting thread, before run().
    virtual ResourceClaims resources() const { return {}; }
    // Returns an Error (with a user-readable message) on failure; a cancelled job returns
    // cancelledError() (common/cancel.h) after undoing its partial work.
    virtual Status run(const CancelToken& cancel, ProgressSink& progress) = 0;
};

} // namespace ts
