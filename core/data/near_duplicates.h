// Near-duplicate texts: groups (or pairs) of texts whose character-shingle sets overlap by a Jaccard similarity of at
// least a threshold (0.9 by default), found with MinHash + LSH candidates and confirmed with the exact Jaccard.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/cancel.h"
#include "common/expected.h"

namespace ts {

struct NearDuplicateOptions
{
    double threshold = 0.9; // Jaccard similarity of the shingle sets, 0..1
    int shingleChars = 5; // bytes of UTF-8 per shingle; a shorter text is one shingle
    int threads = 0; // threads computing the signatures and checking pairs; 0: the machine's, at most 8
};

// How the MinHash signature is cut into bands: a pair is proposed when all `rows` values of any one band agree,
// which happens with probability 1 - (1 - J^rows)^bands for a pair of Jaccard J.
struct LshBands
{
    int bands = 0;
    int rows = 0;
};

// The band layout used for a threshold: of the 96 MinHash values, bands of the most rows (at most 8, fewest unrelated
// candidates) that still propose a pair at exactly the threshold with probability ≥ 0.99; pairs above it are
// proposed more often still. Thresholds are clamped to 0.05..1. For example: 0.9 → 12 bands of 8 (a pair at 0.9:
// 0.9988), 0.85 → 13 × 7 (0.993), 0.8 → 16 × 6 (0.992), 0.7 → 24 × 4 (0.9986), 0.5 → 48 × 2 (0.99999).
LshBands lshBandsFor(double threshold);
// 1 - (1 - similarity^rows)^bands: the chance that a pair of that Jaccard similarity becomes a candidate.
double lshCandidateProbability(LshBands layout, double similarity);

// The method, as the overview states it: 5-character shingles of the text (callers normalise it first:
// normalizeForComparison()), 96 MinHash values banded by lshBandsFor(threshold) propose pairs; each proposed pair is
// kept only when the exact Jaccard similarity of its shingle sets is at least the threshold. Pairs join
// transitively into groups (a chain a~b, b~c is one group). Empty texts are never grouped.
//
// Returns groups of indices into `texts` (each ascending, at least 2 members), ordered by their first index.
Expected<std::vector<std::vector<size_t>>> findNearDuplicateGroups(const std::vector<std::string>& texts,
                                                                   const NearDuplicateOptions& options = {},
                                                                   const CancelToken* cancel = nullptr);

struct NearDuplicatePair
{
    size_t first = 0; // index into the texts, first < second
    size_t second = 0;
    double jaccard = 0; // exact Jaccard similarity of the two shingle sets, ≥ the threshold
};

// Every proposed pair whose exact Jaccard similarity reaches the threshold (not only those that join two groups),
// ordered by (first, second). Identical texts all land in one bucket and are compared pairwise, so callers drop
// exact duplicates first.
Expected<std::vector<NearDuplicatePair>> findNearDuplicatePairs(const std::vector<std::string>& texts,
                                                                const NearDuplicateOptions& options = {},
                                                                const CancelToken* cancel = nullptr);

// The sorted, distinct 64-bit hashes (FNV-1a) of the text's shingles.
std::vector<uint64_t> shingleHashes(std::string_view text, int shingleChars);
// |A ∩ B| / |A ∪ B| of two sorted, distinct sets; 1 when both are empty.
double jaccardSimilarity(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

// Whitespace runs collapsed to one space, leading and trailing whitespace removed; with `lowerCase`, ASCII letters
// lower-cased.
std::string normalizeForComparison(std::string_view text, bool lowerCase);

} // namespace ts
