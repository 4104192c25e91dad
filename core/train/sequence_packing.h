// Sequence packing: SFT sequences → training rows, one sequence per row or several packed into one
// (first-fit decreasing). Torch-free.
#pragma once

#include <cstdint>
#include <vector>

#include "train/sft_dataset.h"

namespace ts {

// One training row: a single sequence, or several packed ones. segmentIds number the sequences of a row
// 1, 2, ... (0 is padding); positions restart at 0 with each segment. Attention within a row is causal
// and block-diagonal over segments.
struct SftRow
{
    std::vector<int32_t> ids;
    std::vector<int32_t> labels;
    std::vector<int32_t> segmentIds;
    std::vector<int32_t> positions;
    std::vector<int64_t> exampleIds; // one per segment
};

// One row per sequence, in order.
std::vector<SftRow> unpackedRows(const std::vector<SftSequence>& sequences);
// Greedy first-fit-decreasing packing into rows of at most maxSeqLen tokens (longest sequence first,
// ties by original order; each goes into the first row with room). Every token is kept; a sequence
// longer than maxSeqLen gets a row of its own. Deterministic.
std::vector<SftRow> packSequences(const std::vector<SftSequence>& sequences, int maxSeqLen);

} // namespace ts
