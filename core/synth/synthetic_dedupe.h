// Dedupe of synthetic rows: which rows repeat an earlier row (exactly or nearly) and which would leak a golden eval
// or test example into training, each with a verdict in plain words.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/cancel.h"
#include "common/expected.h"

namespace ts::synth {

struct DedupeOptions
{
    double threshold = 0.8; // Jaccard of character-shingle sets, 0..1; 1 = exact only
    int shingleChars = 5;
};

struct ReferenceText
{
    int64_t exampleId = 0;
    std::string split; // "eval" or "test"
    std::string text;
};

struct CandidateText
{
    int64_t rowId = 0;
    std::string text;
}; // synthetic rows, in the order they were made (earliest first)

enum class DuplicateKind { Unique, Exact, Near, Leak };

struct DedupeVerdict
{
    int64_t rowId = 0;
    DuplicateKind kind = DuplicateKind::Unique;
    int64_t duplicateOfRowId = 0; // Exact/Near: the earliest row of its cluster
    int64_t leakExampleId = 0; // Leak: the closest reference example of its cluster
    std::string leakSplit; // Leak
    double similarity = 1.0; // Jaccard with that row or example
    std::string reason; // plain words, e.g. "near duplicate of synthetic row 12 (Jaccard 0.86)"
};

// One verdict per candidate, in the candidates' order.
//
// Texts are compared after normalizeForComparison(text, true) (lower case, whitespace runs collapsed). First exact
// duplicates: candidates with the same normalised text as a reference or an earlier candidate. Then the distinct
// texts (references and the first candidate of each text) go through findNearDuplicateGroups(): 5-character shingles,
// 96 MinHash values in bands laid out for the threshold by lshBandsFor() (at 0.8: 16 bands of 6 rows, proposing a
// pair of Jaccard 0.8 with probability 0.992 and one of 0.9 with 0.99999), every proposed pair verified with the exact
// Jaccard, clusters by union-find (a chain a~b, b~c is one cluster). In each cluster without a reference the earliest
// candidate is Unique and the others point at it: Exact when their normalised text equals its text, otherwise Near
// with their Jaccard to it (which, in a chain, may be below the threshold). A cluster holding a reference (eval/test)
// text makes every candidate in it a Leak naming the reference example closest to it. A threshold of 1 or more keeps
// only the exact step. Cancel → cancelledError().
Expected<std::vector<DedupeVerdict>> dedupeSynthetic(const std::vector<ReferenceText>& references,
                                                     const std::vector<CandidateText>& candidates,
                                                     const DedupeOptions& options = {},
                                                     const CancelToken* cancel = nullptr);

std::string_view duplicateKindName(DuplicateKind kind); // "unique", "exact", "near", "leak"

} // namespace ts::synth
