#include "train/train_device.h"

namespace ts::train {

std::string TrainDevice::describe() const
{
    return device.str() + (dtype == torch::kBFloat16 ? " (bf16)" : " (f32)");
}

Expected<TrainDevice> resolveTrainDevice(const TrainConfig& config)
{
    TrainDevice out;
    const std::string& name = config.device;
    const bool cudaVisible = torch::cuda::is_available();
    if (name == "auto") {
        out.device = cudaVisible ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    } else if (name == "cpu") {
        out.device = torch::kCPU;
    } else if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
        if (!cudaVisible) {
#if defined(TUNESMITH_TORCH_HAS_CUDA)
            return makeError("device \"" + name
                             + "\": no CUDA GPU is visible (check the driver and CUDA_VISIBLE_DEVICES)");
#else
            return makeError(
                "device \"" + name
                + "\": this build's libtorch has no CUDA; build against a CUDA libtorch or use device cpu");
#endif
        }
        const int index = name == "cuda" ? 0 : std::stoi(name.substr(5));
        const auto count = static_cast<int>(torch::cuda::device_count());
        if (index >= count)
            return makeError("device \"" + name + "\": only " + std::to_string(count) + " CUDA device(s) visible");
        out.device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
    } else {
        return makeError("device: expected auto, cpu, cuda or cuda:N, got \"" + name + "\"");
    }

    if (config.computeDtype == "auto")
        out.dtype = out.device.is_cuda() ? torch::kBFloat16 : torch::kFloat;
    else if (config.computeDtype == "bf16")
        out.dtype = torch::kBFloat16;
    else if (config.computeDtype == "f32")
        out.dtype = torch::kFloat;
    else
        return makeError("compute_dtype: expected auto, f32 or bf16, got \"" + config.computeDtype + "\"");
    return out;
}

torch::Tensor deviceRngState(torch::Device device)
{
    // Context::defaultGenerator reaches the CUDA generator through the hooks: no CUDA headers.
    return at::globalContext().defaultGenerator(device).get_state().contiguous();
}

void setDeviceRngState(torch::Device device, const torch::Tensor& state)
{
    at::Generator generator = at::globalContext().defaultGenerator(device); // a handle: shares the state
    generator.set_state(state);
}

} // namespace ts::train
