// ResourceClaim: the names of the resources jobs claim.
#include "jobs/resource_claim.h"

namespace ts {

ResourceClaim computeDeviceClaim(const std::string& device)
{
    if (device.empty() || device == "cpu")
        return {"the CPU engine", ResourceUse::Exclusive};
    if (device == "auto" || device == "cuda")
        return {"GPU cuda:0", ResourceUse::Exclusive};
    return {"GPU " + device, ResourceUse::Exclusive};
}

ResourceClaim projectFileClaim()
{
    return {"the project file", ResourceUse::Shared};
}

} // namespace ts
