#include "train/checkpoint.h"

#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/json_file.h"
#include "engine/model_weights.h"
#include "model/safetensors.h"
#include "model/safetensors_writer.h"
#include "train/train_device.h"

namespace ts::train {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

TensorData toData(const std::string& name, const torch::Tensor& t)
{
    auto c = t.detach().to(torch::kCPU).to(torch::kFloat).contiguous();
    TensorData d;
    d.name = name;
    d.dtype = DType::F32;
    d.shape = c.sizes().vec();
    d.data.resize(static_cast<size_t>(c.numel()) * sizeof(float));
    std::memcpy(d.data.data(), c.data_ptr<float>(), d.data.size());
    return d;
}

} // namespace

Status saveCheckpoint(const fs::path& dir, const AdamW& optimizer, const TrainerState& state)
{
    std::vector<TensorData> tensors;
    const auto& params = optimizer.params();
    for (size_t i = 0; i < params.size(); ++i) {
        tensors.push_back(toData("param." + params[i].name, params[i].tensor));
        tensors.push_back(toData("adam_m." + params[i].name, optimizer.firstMoments()[i]));
        tensors.push_back(toData("adam_v." + params[i].name, optimizer.secondMoments()[i]));
    }
    auto saveRng = [&](const std::string& name, torch::Device device) {
        auto rng = deviceRngState(device).to(torch::kCPU);
        TensorData d;
        d.name = name;
        d.dtype = DType::U8;
        d.shape = {rng.numel()};
        d.data.resize(static_cast<size_t>(rng.numel()));
        std::memcpy(d.data.data(), rng.data_ptr<uint8_t>(), d.data.size());
        tensors.push_back(std::move(d));
    };
    saveRng("rng", torch::kCPU);
    const torch::Device device = params.empty() ? torch::Device(torch::kCPU) : params.front().tensor.device();
    if (device.is_cuda())
        saveRng("rng_cuda", device); // dropout masks on the GPU come from its own generator

    std::error_code ec;
    const fs::path tmp = dir.parent_path() / (dir.filename().string() + ".partial");
    fs::remove_all(tmp, ec);
    fs::create_directories(tmp, ec);
    if (ec)
        return makeError("checkpoint: cannot create " + tmp.string() + ": " + ec.message());
    if (auto s = writeSafetensors(tmp / "state.safetensors", tensors); !s)
        return makeError("checkpoint: " + s.error().message);
    json j = {{"step", state.step},
              {"adam_step", optimizer.stepCount()},
              {"tokens_seen", state.tokensSeen},
              {"data_position", state.dataPosition},
              {"loss", state.loss}};
    {
        std::ofstream out(tmp / "trainer_state.json");
        out << j.dump(2) << '\n';
        if (!out)
            return makeError("checkpoint: cannot write " + (tmp / "trainer_state.json").string());
    }
    fs::remove_all(dir, ec);
    fs::rename(tmp, dir, ec);
    if (ec)
        return makeError("checkpoint: cannot move " + tmp.string() + " to " + dir.string() + ": " + ec.message());
    return {};
}

Expected<TrainerState> loadCheckpoint(const fs::path& dir, AdamW& optimizer)
{
    const fs::path stateFile = dir / "trainer_state.json", tensorFile = dir / "state.safetensors";
    auto stateJson = readJsonFile(stateFile);
    if (!stateJson)
        return makeError("checkpoint: " + stateJson.error().message);
    json& j = *stateJson;
    TrainerState state;
    int64_t adamStep = 0;
    try {
        state.step = j.at("step").get<int64_t>();
        adamStep = j.at("adam_step").get<int64_t>();
        state.tokensSeen = j.at("tokens_seen").get<int64_t>();
        state.dataPosition = j.at("data_position").get<std::string>();
        state.loss = j.value("loss", 0.0);
    } catch (const json::exception& e) {
        return makeError(stateFile.string() + ": " + e.what());
    }

    auto file = SafetensorsFile::open(tensorFile);
    if (!file)
        return file.error();
    auto load = [&](const std::string& name, const torch::Tensor& like) -> Expected<torch::Tensor> {
        const TensorView* view = (*file)->find(name);
        if (!view)
            return makeError(tensorFile.string() + ": missing tensor " + name);
        if (view->dtype != DType::F32 || view->shape != like.sizes().vec())
            return makeError(tensorFile.string() + ": tensor " + name + " has another shape or dtype than this run's");
        auto t = engine::tensorFromView(*view);
        if (!t)
            return t.error();
        return t->clone();
    };
    const auto& params = optimizer.params();
    std::vector<torch::Tensor> values, m, v;
    for (const auto& p : params) {
        auto value = load("param." + p.name, p.tensor);
        auto mi = load("adam_m." + p.name, p.tensor);
        auto vi = load("adam_v." + p.name, p.tensor);
        for (auto* e : {&value, &mi, &vi})
            if (!*e)
                return e->error();
        values.push_back(*value);
        m.push_back(*mi);
        v.push_back(*vi);
    }
    const TensorView* rng = (*file)->find("rng");
    if (!rng || rng->dtype != DType::U8)
        return makeError(tensorFile.string() + ": missing tensor rng");

    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < params.size(); ++i)
        params[i].tensor.copy_(values[i]);
    optimizer.restore(adamStep, m, v);
    auto restoreRng = [](const TensorView& view, torch::Device device) {
        auto rngState = torch::empty({static_cast<int64_t>(view.bytes)}, torch::kUInt8);
        std::memcpy(rngState.data_ptr<uint8_t>(), view.data, view.bytes);
        setDeviceRngState(device, rngState);
    };
    restoreRng(*rng, torch::kCPU);
    const torch::Device device = params.empty() ? torch::Device(torch::kCPU) : params.front().tensor.device();
    if (device.is_cuda()) {
        const TensorView* cudaRng = (*file)->find("rng_cuda");
        if (!cudaRng || cudaRng->dtype != DType::U8)
            return makeError(tensorFile.string() + ": missing tensor rng_cuda (the checkpoint was saved on the CPU)");
        restoreRng(*cudaRng, device);
    }
    return state;
}

} // namespace ts::train
