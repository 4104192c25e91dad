// mergeAdapterOnLoad: read the PEFT adapter and how it was trained, then merge it into the loaded weights.
#include "lora/adapter_on_load.h"

#include "common/json_file.h"
#include "lora/merge_adapter.h"
#include "peft/peft_adapter.h"

namespace ts::lora {

namespace {

// What the trainer's tunesmith.json says about the base the adapter was trained on (defaults when absent).
MergeOptions mergeOptionsFor(const std::filesystem::path& adapterDir, std::optional<bool> nf4Base)
{
    MergeOptions merge;
    merge.nf4Base = nf4Base.value_or(false);
    if (nf4Base)
        return merge;
    const auto info = readJsonFile(adapterDir / kAdapterTrainingInfoFile);
    if (info && info->is_object()) {
        merge.nf4Base = info->value("quantize_base", false);
        merge.blocksize = info->value("blocksize", int64_t {64});
        merge.doubleQuant = info->value("double_quant", true);
    }
    return merge;
}

} // namespace

WeightEdit mergeAdapterOnLoad(std::filesystem::path adapterDir, std::optional<bool> nf4Base)
{
    return [adapterDir = std::move(adapterDir), nf4Base](engine::TransformerWeights& weights,
                                                         const ModelConfig& config) -> Status {
        auto adapter = readPeftAdapter(adapterDir);
        if (!adapter)
            return adapter.error();
        if (auto m = mergeAdapter(weights, config, *adapter, mergeOptionsFor(adapterDir, nf4Base)); !m)
            return makeError(adapterDir.string() + ": " + m.error().message);
        return {};
    };
}

} // namespace ts::lora
