// SftEncoder: one conversation → rendered text in learned / context pieces, token ids and loss labels.
// Torch-free.
//
// Masking. A conversation is rendered with the model's own chat template and tokenized without adding
// special tokens (the template writes bos itself). Only assistant turns are learned: for assistant
// message i the learned span of the rendered text runs from the end of
// render(messages[:i], add_generation_prompt=true) to the end of render(messages[:i+1]), so the
// end-of-turn marker the template writes (<|eot_id|>, "<|im_end|>\n") is learned with the answer and
// the generation prompt (the assistant header) is not. See sft_encoder.cpp for the templates that need
// more than this rule (a generation prompt written regardless of the flag, history-dependent turns).
// Labels follow sft_labels.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/expected.h"
#include "model/chat_template.h"
#include "model/tokenizer.h"
#include "store/example.h"
#include "train/sft_labels.h"

namespace ts {

// How conversations are rendered. bos/eos default to the tokenizer's (tokenizer_config.json).
struct SftTemplateOptions
{
    std::optional<std::string> bosToken;
    std::optional<std::string> eosToken;
    // Further template variables, e.g. {"enable_thinking": false} for Qwen3.
    nlohmann::ordered_json extraContext = nlohmann::ordered_json::object();
    // Also encode the whole text and compare it with the piecewise encoding; where they differ the
    // whole-text ids are used and the span boundaries mapped onto them (counted as `retokenized`).
    bool checkWholeTextTokenization = true;
};

// One stretch of the rendered conversation: learned (assistant turn) or context.
struct SftPiece
{
    std::string text;
    bool trained = false;
    int64_t tokenBegin = 0; // [tokenBegin, tokenEnd) in EncodedConversation::ids
    int64_t tokenEnd = 0;
};

struct EncodedConversation
{
    int64_t exampleId = 0;
    std::string text; // the rendered conversation
    std::vector<SftPiece> pieces; // cover `text` in order
    std::vector<int32_t> ids;
    std::vector<int32_t> labels; // same length as ids
    bool retokenized = false; // whole-text and piecewise encodings differed (see SftTemplateOptions)
    int64_t trainedTokens() const;
};

// Renders and tokenizes conversations. The template and tokenizer must outlive the encoder.
class SftEncoder
{
public:
    SftEncoder(const Tokenizer& tokenizer, const ChatTemplate& chatTemplate, SftTemplateOptions options = {});

    // Errors name the example id: a template error, a template that is not prefix-consistent (the
    // prompt for assistant message i is not a prefix of the whole conversation), no end of turn found.
    // A conversation without an assistant message encodes with no learned tokens.
    Expected<EncodedConversation> encode(const Example& example) const;

    const Tokenizer& tokenizer() const { return *m_tokenizer; }

private:
    Expected<std::string> render(const nlohmann::ordered_json& messages, bool addGenerationPrompt) const;

    const Tokenizer* m_tokenizer;
    const ChatTemplate* m_template;
    SftTemplateOptions m_options;
    ChatTemplateOptions m_renderOptions;
    std::string m_emptyGenerationPrompt; // render([], add_generation_prompt=true), "" when it fails
};

// "example <id>": how messages about one example name it.
std::string exampleLabel(const Example& example);

} // namespace ts
