// How much of a training set a maximum sequence length keeps learning from (torch-free): per example its token count
// and where its first learned (assistant) token sits, then, for a length, how many examples lose every learned token,
// lose the end of their answer, or are dropped. The Training page warns with it next to the max length field.
#pragma once

#include <cstdint>
#include <vector>

#include "train/sft_encoder.h"
#include "train/train_config.h"

namespace ts {

struct SftExampleLength
{
    int64_t tokens = 0;
    int64_t firstLearned = -1; // index of the first learned token; -1 when nothing is learned (no answer)
    int64_t lastLearned = -1; // index of the last learned token
};

SftExampleLength measureExampleLength(const EncodedConversation& encoded);

struct SftLengthCoverage
{
    int64_t examples = 0; // measured
    int64_t withAnswer = 0; // with at least one learned token at any length
    int64_t nothingLearned = 0; // Truncate: with an answer, but none of it within the length
    int64_t answerCut = 0; // Truncate: part of the answer within the length, the end cut off
    int64_t dropped = 0; // Drop: longer than the length, left out
    double meanTokensKept = 0; // mean tokens per example that training sees at this length
};

SftLengthCoverage lengthCoverage(const std::vector<SftExampleLength>& lengths, int64_t maxSeqLen,
                                 OverLongPolicy policy);

} // namespace ts
