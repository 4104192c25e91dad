// ResourceClaim: what a job needs while it runs. An exclusive claim (the local engine on a
// device, a GPU) admits one job at a time, so a second job that needs it waits in the queue;
// shared claims (the project file) admit any number. Jobs that need nothing (HTTP-bound work)
// start at once.
#pragma once

#include <string>
#include <vector>

namespace ts {

enum class ResourceUse {
    Shared,
    Exclusive,
};

struct ResourceClaim
{
    std::string name; // said to the user: "… waits for <name>"
    ResourceUse use = ResourceUse::Shared;

    bool operator==(const ResourceClaim&) const = default;
};

using ResourceClaims = std::vector<ResourceClaim>;

// The compute device a local model runs on: "cpu" → "the CPU engine", "cuda:1" → "GPU cuda:1".
// "auto" and "cuda" name the first GPU when the job will use one, so jobs on one device queue.
ResourceClaim computeDeviceClaim(const std::string& device);

// The project file: shared by every job that reads or writes it (SQLite serialises the writes).
ResourceClaim projectFileClaim();

} // namespace ts
