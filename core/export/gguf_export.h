// Hugging Face model folder (config.json + safetensors + tokenizer.json) → GGUF file that llama.cpp loads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/cancel.h"
#include "common/expected.h"
#include "common/progress.h"
#include "export/gguf_quant.h"

namespace ts {

using GgufType = gguf::GgmlType; // the requested file type: F32, F16, BF16 or Q8_0

struct GgufExportOptions
{
    GgufType type = GgufType::F16;
    // Debug only: write llama/mistral q/k weights in Hugging Face order. The file loads but computes wrong
    // attention; the parity test uses it to show that the check catches a missing permutation.
    bool skipQkPermutation = false;
};

struct GgufExportInfo
{
    std::filesystem::path file;
    GgufType type = GgufType::F16;
    std::string architecture; // general.architecture
    size_t tensors = 0;
    uint64_t bytes = 0; // file size
    std::vector<std::string> notes; // e.g. "mistral sliding_window is not stored: llama.cpp ignores it"
};

// Reads modelDir and writes `out` (via a temporary file renamed at the end). Tensors are converted one at a
// time: memory stays at a few rows beyond the memory-mapped checkpoint. 1-D tensors stay F32; with Q8_0,
// matrices whose rows are not a multiple of 32 fall back to F16 (as llama.cpp's converter does).
Expected<GgufExportInfo> exportGguf(const std::filesystem::path& modelDir, const std::filesystem::path& out,
                                    const GgufExportOptions& options, const CancelToken& cancel,
                                    ProgressSink& progress);
Expected<GgufExportInfo> exportGguf(const std::filesystem::path& modelDir, const std::filesystem::path& out,
                                    GgufType type, const CancelToken& cancel, ProgressSink& progress);

// Row order llama.cpp's "llama" architecture expects for q_proj/k_proj (weights and biases): within each head
// the rotate-half layout [first half, second half] becomes interleaved pairs. Returns, for each output row,
// the source row: out row h*headDim + 2*i + j comes from source row h*headDim + j*headDim/2 + i.
std::vector<int64_t> llamaQkRowOrder(int64_t heads, int64_t headDim);

// Llama-3 rope frequency factors (rope_freqs.weight, headDim/2 values) as llama.cpp's converter computes them.
std::vector<float> llama3RopeFactors(double ropeTheta, int64_t headDim, double factor, double lowFreqFactor,
                                     double highFreqFactor, int64_t originalMaxPositions);

} // namespace ts
