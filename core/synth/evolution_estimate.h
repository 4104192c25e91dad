// EvolutionEstimate: what an Evol-Instruct run will cost before it starts — teacher calls, tokens and dollars —
// from the seed rows' token counts, the run's shape and the teacher endpoint's prices.
// The model (stated to the user with the figures): each candidate takes two teacher calls, one that rewrites an
// instruction (input: the operation's prompt around the instruction; output: the new instruction) and one that
// answers it (input: the new instruction; output: an answer). An instruction grows by `growthPerRound` tokens per
// round; answers are `answerGrowth` times the seeds' answers; `keepRate` of the candidates survive elimination and
// the quality filter, so target / keepRate candidates are made. The information-gain check and the quality judge,
// when asked for, add a call per candidate each (the judge reads the instruction and the answer).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace ts::synth {

struct SeedTokens
{
    int64_t instruction = 0; // tokens of the seed's instruction (the user turn)
    int64_t answer = 0; // tokens of its reference answer
};

struct EvolutionShape
{
    int64_t targetCount = 5000; // kept examples wanted
    int rounds = 4; // evolution depth: round r rewrites the results of round r − 1
    double keepRate = 0.75; // share of candidates that survive elimination, dedupe and the quality filter
    int64_t promptOverhead = 120; // tokens of the operation's teacher prompt around the instruction
    int64_t growthPerRound = 20; // tokens an instruction gains per round
    double answerGrowth = 1.5; // evolved answers against the seeds' answers
    bool informationGainCheck = false; // one more call per candidate: both instructions in, a word out
    bool qualityJudge = false; // one judge call per candidate (an upper bound: only unique rows are judged)
    int64_t judgeOverhead = 300; // tokens of the judge's instructions around the instruction and answer
    int64_t judgeReply = 150; // tokens of the judge's explanation and rating
};

struct EvolutionEstimate
{
    int64_t candidates = 0; // instructions to evolve
    int64_t calls = 0; // teacher calls (2 per candidate), plus the checks and judge calls asked for
    int64_t inputTokens = 0;
    int64_t outputTokens = 0;
    std::optional<double> costUsd; // when the prices are known
};

// nullopt when there are no seeds, no target, no round, or keepRate is not in (0, 1].
// Prices are per million tokens, as endpoints store them.
std::optional<EvolutionEstimate> estimateEvolution(const std::vector<SeedTokens>& seeds, const EvolutionShape& shape,
                                                   std::optional<double> priceInPerMTok,
                                                   std::optional<double> priceOutPerMTok);

} // namespace ts::synth
