// Engine: a Hugging Face Llama / Mistral / Qwen2 checkpoint loaded into libtorch, with next-token
// logits and (batched) generation. This header is torch-free (pimpl); the compute lives in
// transformer / attention / kv_cache / model_weights / generate.
//
// Generation: prompts are token ids; several prompts run as one batch (left padding + attention
// mask + per-row positions), so each row gives the same tokens as running it alone.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/cancel.h"
#include "common/expected.h"
#include "engine/sampler.h"
#include "model/model_config.h"

namespace ts {

enum class ComputeDtype { F32, BF16, F16 };
std::optional<ComputeDtype> computeDtypeFromName(std::string_view name); // "f32", "bf16", "f16"

// Whether this libtorch has CUDA and sees at least one GPU.
bool cudaDeviceAvailable();

namespace engine {
struct TransformerWeights; // engine/transformer.h (torch)
}
// An edit of the weights as loaded (e.g. merging an adapter); errors name what failed.
using WeightEdit = std::function<Status(engine::TransformerWeights& weights, const ModelConfig& config)>;

struct EngineOptions
{
    int threads = 0; // compute threads; <= 0: one per core
    ComputeDtype dtype = ComputeDtype::F32; // use F32 on CPU (bf16 matmul is slow there)
    bool fuseProjections = true; // one matmul for q/k/v and one for gate/up
    bool fastKernels = true; // hand-written fp32 RMSNorm / RoPE / SwiGLU on CPU (else torch ops)
    // Applied to the loaded weights before the model is built (none: the checkpoint as it is). The engine
    // knows nothing of LoRA: lora::adapterMerge (lora/adapter_merge_on_load.h) merges a PEFT adapter here.
    WeightEdit editWeights;
};

enum class FinishReason { Length, Eos, Stop, Cancelled };
std::string_view finishReasonName(FinishReason reason); // "length", "eos", "stop", "cancelled"

struct GenerationOptions
{
    int maxNewTokens = 128;
    SamplingParams sampling;
    // End-of-sequence ids; nullopt: generation_config.json's eos_token_id, else config.json's.
    std::optional<std::vector<int32_t>> eosIds;
    // Generation ends when the decoded text contains one of these; the text is cut before it.
    // Needs `decode`.
    std::vector<std::string> stopStrings;
    // ids → text (e.g. Tokenizer::decode with special tokens skipped). Without it, results have
    // empty text and stop strings are not checked.
    std::function<std::string(const std::vector<int32_t>&)> decode;
    // Called for each generated token of each sequence; `textDelta` is the new complete text
    // (empty without `decode`, or while a UTF-8 sequence is incomplete).
    std::function<void(size_t sequence, int32_t id, const std::string& textDelta)> onToken;
    CancelToken cancel; // checked before every decode step
    bool recordLogits = false; // keep each step's next-token logits in SequenceResult::stepLogits
};

struct SequenceResult
{
    std::vector<int32_t> ids; // generated ids (an EOS id that ended generation is included)
    std::string text; // decoded generated text (EOS and stop string excluded)
    FinishReason finishReason = FinishReason::Length;
    int64_t promptTokens = 0;
    std::vector<std::vector<float>> stepLogits; // (steps, V) with recordLogits
};

struct GenerationResult
{
    std::vector<SequenceResult> sequences;
    double prefillMs = 0; // the prompt forward pass (all rows), first tokens included
    double decodeMs = 0; // every later step
    int64_t prefillTokens = 0; // real (unpadded) prompt tokens
    int64_t decodeTokens = 0; // tokens sampled from decode steps (all rows)
    int64_t completionTokens = 0; // all generated tokens (all rows)
};

class Engine
{
public:
    // `dir`: a Hugging Face model folder (config.json, *.safetensors, generation_config.json).
    static Expected<std::unique_ptr<Engine>> load(const std::filesystem::path& dir, const EngineOptions& options = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    const ModelConfig& config() const;
    const GenerationDefaults& generationDefaults() const;
    std::vector<int32_t> defaultEosIds() const; // generation_config.json, else config.json
    const EngineOptions& options() const;

    // Generates for each prompt (batched). Cancellation is not an error: finish reason "cancelled".
    Expected<GenerationResult> generate(const std::vector<std::vector<int32_t>>& prompts,
                                        const GenerationOptions& options);

    // Next-token logits (fp32) for `ids`: (V) at the last position, or (T, V) row-major for
    // every position with allPositions.
    Expected<std::vector<float>> logits(const std::vector<int32_t>& ids, bool allPositions = false);

    struct Impl;

private:
    explicit Engine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace ts
