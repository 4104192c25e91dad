// Random tiny Hugging Face model folders for tests and benchmarks: config.json,
// generation_config.json, model.safetensors with seeded random weights, and a real tokenizer
// copied next to them (vocab_size in config.json = the tokenizer's size).
#pragma once

#include <cstdint>
#include <filesystem>

#include "common/expected.h"
#include "model/model_config.h"
#include "model/safetensors.h"

namespace ts {

struct RandomModelOptions
{
    ModelArch arch = ModelArch::Llama;
    int64_t hiddenSize = 64;
    int64_t numLayers = 2;
    int64_t numHeads = 4;
    int64_t numKvHeads = 2;
    int64_t intermediateSize = 128;
    int64_t headDim = 0; // 0: hiddenSize / numHeads
    int64_t vocabSize = 0; // 0: from the tokenizer (required when there is no tokenizer)
    int64_t maxPositionEmbeddings = 4096;
    double rmsNormEps = 1e-5;
    double ropeTheta = 0; // 0: 10000, or 500000 with ropeLlama3
    bool tied = false; // tie_word_embeddings (no lm_head.weight in the checkpoint)
    bool ropeLlama3 = false; // llama3 rope_scaling {factor 8, low 1, high 4, original 8192}
    DType dtype = DType::F32; // F32, F16 or BF16
    uint64_t seed = 0;
    double initStd = 0.02; // std of the normal init of matrices and biases
    // A folder with tokenizer.json (+ tokenizer_config.json), or a tokenizer.json file. Empty: none.
    std::filesystem::path tokenizer;
};

struct RandomModelInfo
{
    std::filesystem::path dir;
    ModelConfig config;
    int64_t parameters = 0;
};

// Creates `dir` if needed and writes the model into it (existing files are overwritten).
Expected<RandomModelInfo> writeRandomModel(const std::filesystem::path& dir, const RandomModelOptions& options);

// Size of a tokenizer.json's id space: max id over model.vocab and added_tokens, plus one.
Expected<int64_t> tokenizerVocabSize(const std::filesystem::path& tokenizerJson);

} // namespace ts
