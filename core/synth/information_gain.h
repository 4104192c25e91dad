// Information gain: WizardLM's first elimination case — the evolved instruction adds nothing over the one it came
// from. Decided by the teacher (or judge) model with the paper's "Equal / Not Equal" question, one call per row;
// the run asks it only when the user turns the check on.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "llm/provider.h"

namespace ts::synth {

// [user]: the two instructions and the question; the model answers "Equal" or "Not Equal".
std::vector<llm::ChatMessage> informationGainPrompt(std::string_view parentInstruction,
                                                    std::string_view evolvedInstruction);

// true: the model said the two are equal (no information gain: eliminate); false: "Not Equal"; nullopt: the reply
// says neither.
std::optional<bool> parseEqualVerdict(std::string_view reply);

} // namespace ts::synth
