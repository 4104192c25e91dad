// LoRA settings as PEFT's LoraConfig names them (adapter_config.json), torch-free.
//   y = base(x) + scaling · B(A(dropout(x))),  A (r, in) kaiming-uniform(a = √5),  B (out, r) zero,
//   scaling = alpha / r, or alpha / √r with rsLoRA.
#pragma once

#include <cmath>
#include <string>
#include <vector>

namespace ts {

struct LoraConfig
{
    int r = 16;
    double alpha = 16;
    double dropout = 0.05;
    bool useRsLora = false;
    // Module short names (the last component of the HF module path).
    std::vector<std::string> targetModules {"q_proj",    "k_proj",  "v_proj",   "o_proj",
                                            "gate_proj", "up_proj", "down_proj"};

    double scaling() const { return useRsLora ? alpha / std::sqrt(static_cast<double>(r)) : alpha / r; }
};

} // namespace ts
