// Near-duplicate texts: groups of texts whose character-shingle sets overlap by a Jaccard similarity of at least a
// threshold (0.9 by default), found with MinHash candidates and confirmed with the exact Jaccard similarity.
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
};

// The method, as the overview states it: 5-character shingles of the lower-cased, whitespace-normalised text;
// 96 MinHash values in 16 bands of 6 propose pairs (a pair at 0.9 is proposed with probability above 0.99999);
// each proposed pair is kept only when the exact Jaccard similarity of its shingle sets is at least the threshold.
// Pairs join transitively into groups (a chain a~b, b~c is one group).
//
// Returns groups of indices into `texts` (each ascending, at least 2 members), ordered by their first index. Texts
// are compared as given: callers normalise them first (normalizeForComparison()).
Expected<std::vector<std::vector<size_t>>> findNearDuplicateGroups(const std::vector<std::string>& texts,
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
