// A byte-level BPE tokenizer with no merges (one token per byte, ids 0..255) and the ChatML
// special tokens <|endoftext|> 256, <|im_start|> 257, <|im_end|> 258, written as a Hugging Face
// tokenizer.json + tokenizer_config.json (ChatML chat template, eos <|im_end|>, pad
// <|endoftext|>). Used for tiny models in tests and benchmarks: any HF reader loads it.
#pragma once

#include <filesystem>

#include "common/expected.h"

namespace ts {

inline constexpr const char* kChatMlTemplate
    = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + "
      "'<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

// Creates `dir` if needed and writes tokenizer.json and tokenizer_config.json into it.
Status writeByteLevelChatTokenizer(const std::filesystem::path& dir);

} // namespace ts
