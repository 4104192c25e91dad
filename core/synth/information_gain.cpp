// Information gain: the "Equal / Not Equal" prompt and the reading of its answer.
#include "synth/information_gain.h"

#include <cctype>
#include <string>

namespace ts::synth {

std::vector<llm::ChatMessage> informationGainPrompt(std::string_view parentInstruction,
                                                    std::string_view evolvedInstruction)
{
    std::string text = "Here are two instructions to an AI assistant. Do you think they are equal to each other, "
                       "that is, do they have the same constraints and requirements and the same depth and breadth "
                       "of inquiry?\n\nThe first instruction:\n";
    text += parentInstruction;
    text += "\n\nThe second instruction:\n";
    text += evolvedInstruction;
    text += "\n\nAnswer with one phrase only: Equal or Not Equal.";
    return {{"user", text}};
}

std::optional<bool> parseEqualVerdict(std::string_view reply)
{
    std::string lower;
    lower.reserve(reply.size());
    for (char c : reply)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // "Not Equal" (also "not equal", "NOT EQUAL.") before "Equal", which it contains.
    const size_t notEqual = lower.find("not equal");
    const size_t unequal = lower.find("unequal");
    if (notEqual != std::string::npos || unequal != std::string::npos)
        return false;
    if (lower.find("equal") != std::string::npos)
        return true;
    return std::nullopt;
}

} // namespace ts::synth
