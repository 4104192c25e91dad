// EvolutionEstimate: candidates spread evenly over the rounds, tokens per call from the seeds' means.
#include "synth/evolution_estimate.h"

#include <cmath>

namespace ts::synth {

std::optional<EvolutionEstimate> estimateEvolution(const std::vector<SeedTokens>& seeds, const EvolutionShape& shape,
                                                   std::optional<double> priceInPerMTok,
                                                   std::optional<double> priceOutPerMTok)
{
    if (seeds.empty() || shape.targetCount <= 0 || shape.rounds <= 0 || !(shape.keepRate > 0) || shape.keepRate > 1)
        return std::nullopt;
    double instruction = 0, answer = 0;
    for (const SeedTokens& s : seeds) {
        instruction += double(s.instruction);
        answer += double(s.answer);
    }
    instruction /= double(seeds.size());
    answer /= double(seeds.size());

    EvolutionEstimate e;
    e.candidates = static_cast<int64_t>(std::ceil(double(shape.targetCount) / shape.keepRate));
    e.calls = 2 * e.candidates;
    // Round r (1-based) rewrites instructions of length instruction + (r − 1)·growth into ones of + r·growth.
    double in = 0, out = 0;
    const double perRound = double(e.candidates) / shape.rounds;
    const double evolvedAnswer = answer * shape.answerGrowth;
    for (int r = 1; r <= shape.rounds; ++r) {
        const double before = instruction + double((r - 1) * shape.growthPerRound);
        const double after = instruction + double(r * shape.growthPerRound);
        in += perRound * (double(shape.promptOverhead) + before + after); // rewrite call in, answer call in
        out += perRound * (after + evolvedAnswer); // rewrite call out, answer call out
        if (shape.informationGainCheck) {
            in += perRound * (60 + before + after); // both instructions and the question
            out += perRound * 3; // "Not Equal"
        }
        if (shape.qualityJudge) {
            in += perRound * (double(shape.judgeOverhead) + after + evolvedAnswer);
            out += perRound * double(shape.judgeReply);
        }
    }
    e.calls += e.candidates * ((shape.informationGainCheck ? 1 : 0) + (shape.qualityJudge ? 1 : 0));
    e.inputTokens = static_cast<int64_t>(std::llround(in));
    e.outputTokens = static_cast<int64_t>(std::llround(out));
    if (priceInPerMTok && priceOutPerMTok)
        e.costUsd = (double(e.inputTokens) * *priceInPerMTok + double(e.outputTokens) * *priceOutPerMTok) / 1e6;
    return e;
}

} // namespace ts::synth
