// Elimination: text rules over the seed, the evolved instruction and the teacher's response.
#include "synth/elimination.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace ts::synth {

namespace {

// Lower case (ASCII), runs of whitespace as one space, no space at either end.
std::string normalized(std::string_view text)
{
    std::string out;
    bool space = false;
    for (unsigned char c : text) {
        if (std::isspace(c)) {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += static_cast<char>(std::tolower(c));
    }
    return out;
}

// Words: runs of letters, digits and apostrophes, lower-cased.
std::vector<std::string> words(std::string_view text)
{
    std::vector<std::string> out;
    std::string word;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '\'' || c >= 0x80) {
            word += static_cast<char>(std::tolower(c));
        } else if (!word.empty()) {
            out.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty())
        out.push_back(std::move(word));
    return out;
}

constexpr std::array<std::string_view, 8> kCopiedMarkers {
    "new instruction",    "given instruction", "rewritten prompt",      "given prompt",
    "#rewritten prompt#", "#given prompt#",    "rewritten instruction", "created prompt",
};

constexpr std::array<std::string_view, 48> kStopWords {
    "a",    "an",   "the",   "and",   "or",  "but", "if",  "then", "of",   "to",    "in",   "on",
    "at",   "by",   "for",   "with",  "as",  "is",  "are", "was",  "were", "be",    "been", "it",
    "this", "that", "these", "those", "i",   "you", "he",  "she",  "we",   "they",  "me",   "my",
    "your", "our",  "not",   "no",    "yes", "so",  "do",  "does", "did",  "there", "here", "ok",
};

bool isStopWord(const std::string& word)
{
    return std::find(kStopWords.begin(), kStopWords.end(), word) != kStopWords.end();
}

} // namespace

std::optional<std::string> instructionEliminationReason(std::string_view seedInstruction,
                                                        std::string_view evolvedInstruction)
{
    const std::string evolved = normalized(evolvedInstruction);
    if (evolved.empty())
        return "the evolved instruction is empty";
    if (evolved == normalized(seedInstruction))
        return "the evolved instruction is the seed again";
    for (std::string_view marker : kCopiedMarkers)
        if (evolved.find(marker) != std::string::npos)
            return "the evolved instruction copies the rewriting prompt's words (\"" + std::string(marker) + "\")";
    return std::nullopt;
}

std::optional<std::string> responseEliminationReason(std::string_view response)
{
    const std::vector<std::string> answer = words(response);
    if (answer.empty())
        return "the response is empty";
    if (answer.size() < 80 && std::find(answer.begin(), answer.end(), "sorry") != answer.end())
        return "the response is a refusal: it says \"sorry\" in fewer than 80 words";
    if (std::all_of(answer.begin(), answer.end(), isStopWord))
        return "the response holds only punctuation and stop words";
    return std::nullopt;
}

std::optional<std::string> eliminationReason(std::string_view seedInstruction, std::string_view evolvedInstruction,
                                             std::string_view response)
{
    if (auto reason = instructionEliminationReason(seedInstruction, evolvedInstruction))
        return reason;
    return responseEliminationReason(response);
}

} // namespace ts::synth
