// Test-split leakage: the examples an evaluation scores on that a contestant has already seen — a test example
// whose input is an exact or near duplicate of a train example (what a fine-tune learned from, promoted synthetic
// rows included) or of a contestant prompt's few-shot example. Scores on such rows flatter the contestant, so the
// evaluation warns and names them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/expected.h"
#include "store/database.h"
#include "store/example.h"

namespace ts::evaluation {

struct TestSplitLeak
{
    int64_t scoredExampleId = 0; // in the evaluated split
    int64_t seenExampleId = 0; // the train row or few-shot example it repeats
    bool fewShot = false; // seen as a few-shot example (else: in the train split)
    double similarity = 1; // Jaccard of the 5-character shingle sets of the normalised inputs
};

// Rows of `split` whose input repeats (Jaccard ≥ threshold) a train-split input or one of `fewShotIds`; one leak per
// scored row, the most similar. The train split itself is never "leaked" into: evaluating on it returns nothing.
Expected<std::vector<TestSplitLeak>> findTestSplitLeaks(Database& db, Split split,
                                                        const std::vector<int64_t>& fewShotIds, double threshold = 0.8);

// "3 of the 40 test examples repeat a train example (the fine-tune saw them): #41 ≈ #2, #47 ≈ #9, …; 1 repeats a
// few-shot example: #52 ≈ #7"; "" when there are none.
std::string testSplitLeakWarning(const std::vector<TestSplitLeak>& leaks, Split split, int64_t scoredRows);

} // namespace ts::evaluation
