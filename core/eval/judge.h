// LLM-as-a-Judge (qlora_spec.md §10, after MT-Bench): the judge prompts and the parsing of the judge's
// reply. Single-answer grading asks for an explanation and then a 1-10 rating written "[[rating]]";
// pairwise comparison asks for [[A]], [[B]] or [[C]] (tie). Position bias is countered by judging both
// orders and combining them with combineSwapped(): a winner only when both orders agree.
// The prompts are messages for llm::Provider::chat(); sending them is the caller's business.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"
#include "llm/provider.h"

namespace ts::eval {

struct SingleGradingRequest
{
    std::string question; // the user turn the answer responds to
    std::string answer; // the output being graded
    std::string reference; // optional: a reference answer (reference-guided grading, for math, extraction)
    std::string criteria; // optional: what matters most for this task, in a sentence or two
};

struct PairwiseRequest
{
    std::string question;
    std::string answerA; // shown first, as "Assistant A"
    std::string answerB;
    std::string reference; // optional
    std::string criteria; // optional
};

// [system, user]: judge instructions (the [[rating]] format, 1-10) and the material to grade.
std::vector<llm::ChatMessage> singleGradingPrompt(const SingleGradingRequest& request);
// [system, user]: compare A and B, verdict [[A]], [[B]] or [[C]].
std::vector<llm::ChatMessage> pairwisePrompt(const PairwiseRequest& request);
// The same request with the answers in the other order (the second judging of a swapped pair).
PairwiseRequest swapAnswers(const PairwiseRequest& request);

// The rating in a judge reply: "[[7]]", "[[7.5]]", "Rating: [[ 7 ]]"; when there are several, the last
// one wins. No rating, or one outside [minRating, maxRating], is an error quoting the reply's end.
Expected<double> parseRating(std::string_view reply, double minRating = 1, double maxRating = 10);

enum class PairVerdict { A, B, Tie };
const char* pairVerdictName(PairVerdict verdict); // "A", "B", "tie"

// "[[A]]", "[[B]]" or "[[C]]" (tie) in a judge reply; the last one wins. None is an error.
Expected<PairVerdict> parsePairVerdict(std::string_view reply);

struct PairOutcome
{
    PairVerdict winner = PairVerdict::Tie; // in terms of the original A and B
    bool consistent = true; // false: the two orders disagreed, counted as a tie
};

// `original` judged (A, B); `swapped` judged (B, A), so its "A" is the original B. Agreeing verdicts
// give that winner (or an agreed tie); any disagreement, also winner vs tie, is an inconsistent tie.
PairOutcome combineSwapped(PairVerdict original, PairVerdict swapped);

} // namespace ts::eval
