// What a run leaves on disk (see train_run.h): checkpoints, and at the end the PEFT adapter (with
// tunesmith.json) or, in full-parameter mode, the trained model; each folder registered as an artifact.
#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "lora/adapter_on_load.h"
#include "peft/peft_adapter.h"
#include "store/project.h"
#include "train/full_parameter.h"
#include "train/train_run.h"

namespace ts {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The bytes of the files directly in `dir` (unreadable entries count as nothing).
int64_t folderBytes(const fs::path& dir)
{
    int64_t bytes = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        bytes += static_cast<int64_t>(entry.file_size(ec));
    return bytes;
}

// Registers the run folder <runDir>/<name> as an artifact of `kind`, with its size.
Status addFolderArtifact(TrainRun& run, const std::string& kind, const std::string& name)
{
    Artifact a;
    a.runId = run.runId;
    a.kind = kind;
    a.path = run.runDirRelative + "/" + name;
    a.bytes = folderBytes(run.runDir / name);
    auto lock = run.project.writeLock();
    return RunRepository(run.project.writer()).addArtifact(a);
}

// The LoRA pairs as fp32 host copies: A (r, in), B (out, r), row-major.
std::vector<PeftLoraModule> loraPairs(const TrainRun& run)
{
    std::vector<PeftLoraModule> out;
    for (const auto& m : run.modules) {
        auto a = m.layer->loraA().detach().to(torch::kCPU).to(torch::kFloat).contiguous();
        auto b = m.layer->loraB().detach().to(torch::kCPU).to(torch::kFloat).contiguous();
        out.push_back({m.name, m.layer->inFeatures(), m.layer->outFeatures(),
                       std::vector<float>(a.data_ptr<float>(), a.data_ptr<float>() + a.numel()),
                       std::vector<float>(b.data_ptr<float>(), b.data_ptr<float>() + b.numel())});
    }
    return out;
}

// How the adapter was trained, so the engine merges it onto the same (NF4) base.
Status writeTrainingInfo(const TrainRun& run, const fs::path& adapterDir)
{
    std::ofstream info(adapterDir / lora::kAdapterTrainingInfoFile);
    info << json {{"run_id", run.runId},
                  {"quantize_base", run.config.quantizeBase},
                  {"blocksize", run.loraOptions.blocksize},
                  {"double_quant", run.loraOptions.doubleQuant},
                  {"steps", run.state.step},
                  {"final_loss", run.state.loss}}
                .dump(2)
         << '\n';
    if (!info)
        return makeError("cannot write " + (adapterDir / lora::kAdapterTrainingInfoFile).string());
    return {};
}

// The trainable state as an output folder <runDir>/<kind>: a Hugging Face model in full-parameter
// mode, else the PEFT adapter with tunesmith.json.
Status writeOutputFolder(TrainRun& run, const std::string& kind)
{
    const fs::path dir = run.runDir / kind;
    if (run.config.fullParameter)
        return train::saveHfModel(dir, run.optimizer->params(), run.model, run.modelDir);
    if (auto w = writePeftAdapter(dir, run.config.lora, run.modelDir.string(), loraPairs(run)); !w)
        return w;
    return writeTrainingInfo(run, dir);
}

} // namespace

Status saveRunCheckpoint(TrainRun& run)
{
    run.state.dataPosition = run.trainBatches->position().toJson();
    const std::string name = "checkpoint-" + std::to_string(run.state.step);
    const fs::path dir = run.runDir / name;
    if (auto c = train::saveCheckpoint(dir, *run.optimizer, run.state); !c)
        return c;
    run.result.checkpointDir = dir;
    return addFolderArtifact(run, "checkpoint", name);
}

std::string outputKind(const TrainConfig& config)
{
    return config.fullParameter ? "model" : "adapter";
}

Status writeOutput(TrainRun& run)
{
    const std::string kind = outputKind(run.config);
    if (auto w = writeOutputFolder(run, kind); !w)
        return w;
    if (auto r = addFolderArtifact(run, kind, kind); !r)
        return r;
    run.result.outputDir = run.runDir / kind;
    return {};
}

} // namespace ts
