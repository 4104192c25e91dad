// PEFT LoRA adapter files (what peft's save_pretrained writes and PeftModel.from_pretrained reads), torch-free:
//   adapter_config.json        LoraConfig fields (peft_type "LORA", task_type "CAUSAL_LM", r, lora_alpha, ...)
//   adapter_model.safetensors  metadata {"format": "pt"}; per adapted module (HF module path, e.g.
//                              "model.layers.0.self_attn.q_proj"):
//                                base_model.model.<module>.lora_A.weight  [r, in]
//                                base_model.model.<module>.lora_B.weight  [out, r]
// The adapter's update is ΔW = scaling · B · A with scaling = lora_alpha / r (lora_alpha / √r with rsLoRA).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/expected.h"
#include "model/safetensors.h"
#include "peft/lora_config.h"

namespace ts {

inline constexpr const char* kPeftConfigFile = "adapter_config.json";
inline constexpr const char* kPeftWeightsFile = "adapter_model.safetensors";

// One adapted linear layer y = x Wᵀ, W (out, in).
struct PeftLoraModule
{
    std::string module; // HF module path, e.g. "model.layers.0.self_attn.q_proj"
    int64_t in = 0;
    int64_t out = 0;
    std::vector<float> a; // lora_A.weight, (r, in) row-major
    std::vector<float> b; // lora_B.weight, (out, r) row-major

    int64_t rank() const { return in > 0 ? static_cast<int64_t>(a.size()) / in : 0; }
};

// "base_model.model.<module>.lora_A.weight" (which = 'A') or ".lora_B.weight" (which = 'B').
std::string peftTensorName(const std::string& module, char which);

// The adapter_config.json object for `lora` (keys sorted, as peft writes them).
nlohmann::json peftAdapterConfig(const LoraConfig& lora, const std::string& baseModel);

struct PeftWriteOptions
{
    DType dtype = DType::F32; // F32, BF16 or F16
};

// Writes both files into `dir` atomically: they are written (and fsync'ed) in a fresh sibling folder which then
// replaces `dir` in one rename (an atomic exchange where `dir` exists; other files already in `dir` are carried
// over). A crash leaves the old adapter or the new one, never a mix. Errors: a module whose A/B sizes do not
// match r/in/out, a duplicate module, a module whose last component is not in lora.targetModules, I/O.
Status writePeftAdapter(const std::filesystem::path& dir, const LoraConfig& lora, const std::string& baseModel,
                        const std::vector<PeftLoraModule>& modules, const PeftWriteOptions& options = {});

struct PeftAdapter
{
    LoraConfig lora; // r, alpha, dropout, rsLoRA, target modules (a regex or "all-linear" string as one entry)
    std::string baseModel; // base_model_name_or_path ("" when null)
    nlohmann::json config; // adapter_config.json as read, unknown keys included
    std::vector<PeftLoraModule> modules; // in file order (values converted to float)
    DType dtype = DType::F32; // of the stored tensors (the first one)
    std::vector<std::string> ignoredTensors; // keys that are not lora_A / lora_B weights
};

// Reads and validates an adapter folder. Errors name the file and key: a missing file (a legacy
// adapter_model.bin is named as unsupported), invalid JSON, peft_type other than LORA, a missing or bad
// r / lora_alpha, unsupported settings (use_dora, fan_in_fan_out, bias other than "none"), a tensor key of
// the wrong layout, an A without its B (or the reverse), shapes inconsistent with r (or rank_pattern), a dtype
// other than F32/F16/BF16. Unknown config keys and other tensors are tolerated.
Expected<PeftAdapter> readPeftAdapter(const std::filesystem::path& dir);

} // namespace ts
