// EvolOperation: names, teacher prompts and the weighted draw.
#include "synth/evol_operation.h"

#include <algorithm>
#include <numeric>

namespace ts::synth {

namespace {

struct OperationText
{
    std::string_view name;
    std::string_view task; // what the rewrite must do, in the teacher prompt
};

constexpr std::array<OperationText, kEvolOperations.size()> kTexts {{
    {"add_constraints",
     "Add exactly one more constraint or requirement to it, so that answering it well takes more "
     "care."},
    {"deepen", "Ask about the same subject in more depth and breadth, so that a good answer has to cover more."},
    {"concretize", "Replace its general concepts with more specific, concrete ones (names, numbers, situations)."},
    {"increase_reasoning", "Rewrite it so that answering needs several explicit steps of reasoning, not one."},
    {"complicate_input",
     "Make its input harder: include realistic data the answer must use (a table, a longer text, "
     "code or a JSON document), written out in the instruction."},
    {"breadth",
     "Do not rewrite it: write a brand-new instruction of the same domain and about the same length and "
     "difficulty, on a rarer topic."},
}};

size_t indexOf(EvolOperation op)
{
    return static_cast<size_t>(op);
}

} // namespace

std::string_view evolOperationName(EvolOperation op)
{
    return kTexts[indexOf(op)].name;
}

std::optional<EvolOperation> evolOperationFromName(std::string_view name)
{
    for (EvolOperation op : kEvolOperations)
        if (evolOperationName(op) == name)
            return op;
    return std::nullopt;
}

std::string defaultEvolTemplate(EvolOperation op)
{
    std::string text;
    text += "You rewrite instructions for training an assistant. The new instruction must be reasonable, "
            "understood and answerable by a person, and written as a user would write it.\n";
    text += kTexts[indexOf(op)].task;
    text += "\nKeep any input the instruction contains unless told to change it. Add no more than 10 to 20 "
            "words unless the new input needs them. Answer with the new instruction only: no preamble, no "
            "answer to it, and never the words \"given instruction\" or \"new instruction\".\n";
    text += "{format}\n";
    text += "Instruction:\n{instruction}";
    return text;
}

std::string fillEvolTemplate(std::string_view text, std::string_view instruction, std::string_view formatExample)
{
    std::string format;
    if (!formatExample.empty()) {
        format = "The new instruction must still be answerable in the same form as this answer to the original "
                 "(same kind of output, same fields):\n";
        format += formatExample;
        format += "\n";
    }
    std::string out;
    out.reserve(text.size() + instruction.size() + format.size());
    for (size_t i = 0; i < text.size();) {
        if (text.compare(i, 13, "{instruction}") == 0) {
            out += instruction;
            i += 13;
        } else if (text.compare(i, 8, "{format}") == 0) {
            out += format;
            i += 8;
        } else {
            out += text[i++];
        }
    }
    return out;
}

std::string evolutionPrompt(EvolOperation op, std::string_view instruction)
{
    return fillEvolTemplate(defaultEvolTemplate(op), instruction, {});
}

EvolWeights defaultEvolWeights()
{
    EvolWeights weights {};
    weights.fill(1.0);
    return weights;
}

std::optional<EvolOperation> pickEvolOperation(const EvolWeights& weights, std::mt19937_64& rng)
{
    double total = 0;
    for (double w : weights)
        total += std::max(0.0, w);
    if (!(total > 0))
        return std::nullopt;
    double point = std::uniform_real_distribution<double>(0.0, total)(rng);
    for (size_t i = 0; i < weights.size(); ++i) {
        const double w = std::max(0.0, weights[i]);
        if (point < w)
            return kEvolOperations[i];
        point -= w;
    }
    // Rounding left the point at the very top: the last operation with weight.
    for (size_t i = weights.size(); i-- > 0;)
        if (weights[i] > 0)
            return kEvolOperations[i];
    return std::nullopt;
}

} // namespace ts::synth
