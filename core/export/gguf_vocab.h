// GGUF tokenizer metadata from a Hugging Face tokenizer.json (+ tokenizer_config.json, chat_template.jinja).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/expected.h"

namespace ts::gguf {

class GgufWriter;

// llama.cpp token types (tokenizer.ggml.token_type).
enum class TokenType : int32_t { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

struct GgufVocab
{
    std::string model; // "gpt2" (byte-level BPE with merges) or "llama" (SentencePiece-style with scores)
    std::string pre; // gpt2 only: "llama-bpe", "qwen2", "gpt-2" or "default"
    std::vector<std::string> tokens; // index = token id, padded to the model's vocab_size with [PADn]
    std::vector<float> scores; // llama only
    std::vector<int32_t> tokenTypes;
    std::vector<std::string> merges; // gpt2 only, "a b"
    std::optional<uint32_t> bosId, eosId, unkId, padId;
    std::optional<bool> addBos, addEos;
    std::optional<bool> addSpacePrefix; // llama only: SentencePiece's leading "▁" (Prepend / Metaspace)
    std::string chatTemplate; // empty = none
};

// Reads modelDir/tokenizer.json (required), tokenizer_config.json, chat_template.jinja and config.json (special
// token id fallbacks). `vocabSize` is the embedding row count; token ids must be below it.
Expected<GgufVocab> loadGgufVocab(const std::filesystem::path& modelDir, int64_t vocabSize);

// Writes the tokenizer.* keys.
void writeGgufVocab(GgufWriter& writer, const GgufVocab& vocab);

} // namespace ts::gguf
