// EvolOperation: the Evol-Instruct ways a teacher model rewrites a seed instruction into a new one (WizardLM,
// Xu et al. 2023): five "in-depth" operations that make it harder and one "in-breadth" operation that makes a new
// instruction on the same topic. Each has a stable name (for the project file and the CLI) and a teacher prompt.
#pragma once

#include <array>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace ts::synth {

enum class EvolOperation {
    AddConstraints, // one more requirement or constraint
    Deepen, // the same question asked in more depth and breadth
    Concretize, // general concepts replaced by specific ones
    IncreaseReasoning, // a task that needs several explicit steps of reasoning
    ComplicateInput, // harder input data (a table, code, a longer text) in the instruction
    Breadth, // a new, rarer instruction of the same domain and length
};

inline constexpr std::array<EvolOperation, 6> kEvolOperations {
    EvolOperation::AddConstraints,    EvolOperation::Deepen,          EvolOperation::Concretize,
    EvolOperation::IncreaseReasoning, EvolOperation::ComplicateInput, EvolOperation::Breadth,
};

std::string_view evolOperationName(EvolOperation op); // "add_constraints", "deepen", …, "breadth"
std::optional<EvolOperation> evolOperationFromName(std::string_view name);

// The built-in teacher prompt of `op`, a template: "{instruction}" stands for the instruction to evolve and
// "{format}" for a note on the answer's form (empty when there is no example answer). The teacher is asked to
// answer with the new instruction only; the marker words it must not copy are those eliminationReason() checks.
// Projects may edit the templates (synth/evol_templates.h).
std::string defaultEvolTemplate(EvolOperation op);
// The template with its placeholders filled. `formatExample`: an answer of the task (the seed's), so that the
// evolved instruction keeps the task's output form (e.g. the demo's JSON); "" leaves the note out.
std::string fillEvolTemplate(std::string_view text, std::string_view instruction, std::string_view formatExample);
// The built-in template of `op` filled with `instruction` and no format note.
std::string evolutionPrompt(EvolOperation op, std::string_view instruction);

// A weight per operation (same order as kEvolOperations; negative counts as 0).
using EvolWeights = std::array<double, kEvolOperations.size()>;
EvolWeights defaultEvolWeights(); // every in-depth operation 1, breadth 1

// An operation drawn with probability proportional to its weight; nullopt when every weight is 0.
std::optional<EvolOperation> pickEvolOperation(const EvolWeights& weights, std::mt19937_64& rng);

} // namespace ts::synth
