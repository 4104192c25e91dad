// Engine: loading a checkpoint and next-token logits (see engine.h; generation in generate.cpp).
#include "engine/engine.h"

#include <nlohmann/json.hpp>

#include "common/json_file.h"
#include "export/peft_adapter.h"
#include "lora/merge_adapter.h"

#include <cstring>

#include "engine/engine_impl.h"
#include "engine/model_weights.h"
#include "engine/threads.h"

namespace ts {

bool cudaDeviceAvailable()
{
    return torch::cuda::is_available();
}

std::optional<ComputeDtype> computeDtypeFromName(std::string_view name)
{
    if (name == "f32" || name == "float32" || name == "fp32")
        return ComputeDtype::F32;
    if (name == "bf16" || name == "bfloat16")
        return ComputeDtype::BF16;
    if (name == "f16" || name == "float16" || name == "fp16")
        return ComputeDtype::F16;
    return std::nullopt;
}

std::string_view finishReasonName(FinishReason reason)
{
    switch (reason) {
    case FinishReason::Length:
        return "length";
    case FinishReason::Eos:
        return "eos";
    case FinishReason::Stop:
        return "stop";
    case FinishReason::Cancelled:
        return "cancelled";
    }
    return "?";
}

Engine::Engine(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{ }

Engine::~Engine() = default;

const ModelConfig& Engine::config() const
{
    return m_impl->config;
}

const GenerationDefaults& Engine::generationDefaults() const
{
    return m_impl->generation;
}

const EngineOptions& Engine::options() const
{
    return m_impl->options;
}

std::vector<int32_t> Engine::defaultEosIds() const
{
    return m_impl->generation.eosTokenIds.empty() ? m_impl->config.eosTokenIds : m_impl->generation.eosTokenIds;
}

Expected<std::unique_ptr<Engine>> Engine::load(const std::filesystem::path& dir, const EngineOptions& options)
{
    auto config = loadModelConfig(dir);
    if (!config)
        return config.error();
    auto generation = loadGenerationConfig(dir);
    if (!generation)
        return generation.error();
    auto checkpoint = SafetensorsModel::open(dir);
    if (!checkpoint)
        return checkpoint.error();

    engine::setComputeThreads(options.threads);
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    impl->config = *config;
    impl->generation = *generation;
    impl->dtype = options.dtype == ComputeDtype::BF16 ? torch::kBFloat16
        : options.dtype == ComputeDtype::F16          ? torch::kHalf
                                                      : torch::kFloat;
    // Some libtorch builds lack CPU kernels for a dtype (1.13 has no f16 matmul on CPU): say so now.
    auto probe = engine::guarded<bool>("compute dtype", [&]() -> Expected<bool> {
        engine::compat::InferenceGuard guard;
        auto a = torch::ones({2, 2}, torch::TensorOptions().dtype(impl->dtype));
        at::mm(a, a);
        at::mv(a, a[0]);
        return true;
    });
    if (!probe)
        return makeError("this libtorch cannot compute in the requested dtype on CPU (use f32): "
                         + probe.error().message);
    auto loaded = engine::guarded<bool>("loading " + dir.string(), [&]() -> Expected<bool> {
        engine::compat::InferenceGuard guard;
        auto weights = engine::loadTransformerWeights(*checkpoint, impl->config, impl->dtype, options.fuseProjections);
        if (!weights)
            return makeError(dir.string() + ": " + weights.error().message);
        if (!options.adapter.empty()) {
            auto adapter = readPeftAdapter(options.adapter);
            if (!adapter)
                return adapter.error();
            lora::MergeOptions merge;
            merge.nf4Base = options.adapterNf4Base.value_or(false);
            if (!options.adapterNf4Base) {
                const auto info = readJsonFile(options.adapter / kAdapterTrainingInfoFile);
                if (info && info->is_object()) {
                    merge.nf4Base = info->value("quantize_base", false);
                    merge.blocksize = info->value("blocksize", int64_t {64});
                    merge.doubleQuant = info->value("double_quant", true);
                }
            }
            if (auto m = lora::mergeAdapter(*weights, impl->config, *adapter, merge); !m)
                return makeError(options.adapter.string() + ": " + m.error().message);
        }
        impl->model = std::make_unique<engine::Transformer>(impl->config, std::move(*weights), impl->dtype,
                                                            options.fastKernels);
        return true;
    });
    if (!loaded)
        return loaded.error();
    return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Expected<std::vector<float>> Engine::logits(const std::vector<int32_t>& ids, bool allPositions)
{
    if (ids.empty())
        return makeError("logits: empty input");
    const int64_t V = m_impl->config.vocabSize, T = static_cast<int64_t>(ids.size());
    for (int32_t id : ids)
        if (id < 0 || id >= V)
            return makeError("logits: token id " + std::to_string(id) + " is outside the vocabulary (size "
                             + std::to_string(V) + ")");
    return engine::guarded<std::vector<float>>("logits", [&]() -> Expected<std::vector<float>> {
        engine::compat::InferenceGuard guard;
        auto tokens = torch::empty({1, T}, torch::kLong);
        int64_t* tp = tokens.data_ptr<int64_t>();
        for (int64_t t = 0; t < T; ++t)
            tp[t] = ids[static_cast<size_t>(t)];
        auto positions = torch::arange(T, torch::kLong).view({1, T});
        engine::KvCache cache;
        cache.allocate(m_impl->config, 1, T, m_impl->dtype);
        auto out = m_impl->model->forward(tokens, positions, cache, {}, allPositions).contiguous(); // (1, [T,] V)
        std::vector<float> values(static_cast<size_t>(out.numel()));
        std::memcpy(values.data(), out.data_ptr<float>(), values.size() * sizeof(float));
        return values;
    });
}

} // namespace ts
