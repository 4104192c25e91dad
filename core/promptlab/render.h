// Rendering a prompt variant for one example: the exact messages sent to the model, and the
// reference answer the scorers compare with.
//   messages = [system: systemPrompt(variant)]            (when the variant has one; else the
//                                                           example's own system message, if any)
//            + the few-shot examples' turns (their system messages left out), in the given order
//            + the example's turns up to (not including) its last assistant message
//   reference = the example's last assistant message
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"
#include "llm/provider.h"
#include "promptlab/prompt_variant.h"
#include "store/example.h"

namespace ts::promptlab {

struct RenderedPrompt
{
    std::vector<llm::ChatMessage> messages;
    std::string reference;
};

// `fewShot`: the examples of variant.fewShotIds, in that order. Errors: an example without a
// user turn, an unknown {{variable}}.
Expected<RenderedPrompt> renderForExample(const PromptVariant& variant, const std::vector<Example>& fewShot,
                                          const Example& example);

// What the scorers see of an output: with chain of thought, the text after the last </thinking>
// (the whole output when there is none), trimmed.
std::string answerText(const PromptVariant& variant, std::string_view output);

// The messages as JSON, stored with each result ([{"role": ..., "content": ...}]).
std::string messagesJson(const std::vector<llm::ChatMessage>& messages);

} // namespace ts::promptlab
