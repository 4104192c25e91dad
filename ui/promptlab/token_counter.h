// Token count of a rendered prompt for the preview: with the model's own tokenizer and chat template when the
// endpoint is a local model folder (exactly what the local engine feeds the model), else an estimate of
// characters / 4. Plain C++ (no Qt, no torch): it runs on a worker thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "llm/provider.h"

namespace ts::ui {

struct TokenCount
{
    int64_t tokens = 0;
    bool exact = false; // counted with the model's tokenizer
    bool chatTemplate = false; // exact: the chat-template-rendered prompt; else the message contents joined
    std::string note; // why the count fell back (a tokenizer or template that did not load)
};

// `modelDir` empty: the estimate. Tokenizers and templates are loaded once per folder and kept.
TokenCount countPromptTokens(const std::string& modelDir, const std::vector<llm::ChatMessage>& messages);

// ceil(Unicode code points / 4) over the message contents.
int64_t estimateTokens(const std::vector<llm::ChatMessage>& messages);

} // namespace ts::ui
