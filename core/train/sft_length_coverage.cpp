// Length coverage of a training set (see sft_length_coverage.h).
#include "train/sft_length_coverage.h"

#include <algorithm>

namespace ts {

SftExampleLength measureExampleLength(const EncodedConversation& encoded)
{
    SftExampleLength out;
    out.tokens = static_cast<int64_t>(encoded.ids.size());
    for (const SftPiece& piece : encoded.pieces) {
        if (!piece.trained || piece.tokenEnd <= piece.tokenBegin)
            continue;
        if (out.firstLearned < 0)
            out.firstLearned = piece.tokenBegin;
        out.lastLearned = piece.tokenEnd - 1;
    }
    return out;
}

SftLengthCoverage lengthCoverage(const std::vector<SftExampleLength>& lengths, int64_t maxSeqLen, OverLongPolicy policy)
{
    SftLengthCoverage c;
    c.examples = static_cast<int64_t>(lengths.size());
    int64_t keptTokens = 0;
    int64_t keptExamples = 0;
    for (const SftExampleLength& e : lengths) {
        const bool overLong = maxSeqLen > 0 && e.tokens > maxSeqLen;
        if (e.firstLearned >= 0)
            ++c.withAnswer;
        if (overLong && policy == OverLongPolicy::Drop) {
            ++c.dropped;
            continue;
        }
        ++keptExamples;
        keptTokens += overLong ? maxSeqLen : e.tokens;
        if (!overLong || e.firstLearned < 0)
            continue;
        if (e.firstLearned >= maxSeqLen)
            ++c.nothingLearned;
        else if (e.lastLearned >= maxSeqLen)
            ++c.answerCut;
    }
    c.meanTokensKept = keptExamples > 0 ? static_cast<double>(keptTokens) / static_cast<double>(keptExamples) : 0.0;
    return c;
}

} // namespace ts
