// Elimination: the rules by which Evol-Instruct drops an evolved example before it reaches the training set
// (WizardLM's "elimination evolving"), as far as they can be decided without a model:
//   - the evolved instruction is empty, or the seed again (after case and whitespace are normalised);
//   - it copies the rewriting prompt's own words ("new instruction", "#Rewritten Prompt#", "given prompt", …);
//   - the response is empty, or a refusal: it contains "sorry" and is shorter than 80 words;
//   - the response holds only punctuation and stop words.
// The rule that needs a model (no information gain over the seed) is the pipeline's judge step, not this file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ts::synth {

// The rules on the instruction alone (checked before paying for an answer) and on the response alone.
std::optional<std::string> instructionEliminationReason(std::string_view seedInstruction,
                                                        std::string_view evolvedInstruction);
std::optional<std::string> responseEliminationReason(std::string_view response);
// Why the example is eliminated, in plain words ("the response is a refusal: …"); nullopt when it is kept.
std::optional<std::string> eliminationReason(std::string_view seedInstruction, std::string_view evolvedInstruction,
                                             std::string_view response);

} // namespace ts::synth
