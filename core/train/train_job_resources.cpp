// TrainJob::resources: a training run holds the device it computes on (two runs on one GPU or on
// the CPU queue) and shares the project file.
#include "train/train_device.h"
#include "train/train_job.h"

namespace ts {

ResourceClaims TrainJob::resources() const
{
    std::string device = m_params.config.device;
    // "auto" and "cuda" resolve to a concrete device here, so a run on "auto" and one on "cpu" queue
    // when "auto" means the CPU.
    if (auto resolved = train::resolveTrainDevice(m_params.config))
        device
            = resolved->device.is_cuda() ? "cuda:" + std::to_string(std::max<int>(0, resolved->device.index())) : "cpu";
    return {computeDeviceClaim(device), projectFileClaim()};
}

} // namespace ts
