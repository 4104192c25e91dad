// Dataset overview: the whole set at a glance — examples per split and per tag, token lengths against a training
// length, exact duplicates and near-duplicates of input + output. Qt-free; runs on a worker thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/cancel.h"
#include "common/expected.h"
#include "data/near_duplicates.h"
#include "store/example.h"

namespace ts {

struct TagCount
{
    std::string tag;
    int64_t count = 0;
};

struct DatasetOverview
{
    int64_t total = 0;
    int64_t train = 0;
    int64_t eval = 0;
    int64_t test = 0;
    std::vector<TagCount> tags; // most used first, then by name
    int64_t untagged = 0;

    // Same input and same output once whitespace runs are collapsed and the ends trimmed. Groups of example ids
    // (ascending, at least 2), ordered by their first id; `exactDuplicates` counts the copies beyond the first of
    // each group (what deleting the repeats would remove).
    std::vector<std::vector<int64_t>> exactDuplicateGroups;
    int64_t exactDuplicates = 0;
    // Among distinct contents (one example per exact group), input + output texts that are near-duplicates
    // (findNearDuplicateGroups() on the lower-cased, whitespace-normalised text). Counted like the exact ones.
    std::vector<std::vector<int64_t>> nearDuplicateGroups;
    int64_t nearDuplicates = 0;

    // Parallel to `ids` (the examples in the order given): token lengths, -1 where the counter could not count.
    std::vector<int64_t> ids;
    std::vector<int64_t> tokenLengths;
    int64_t uncounted = 0;
    std::string firstCountError; // why the first uncounted example could not be counted
};

// The token length of one example as training would see it; an error when it cannot be encoded.
using TokenCounter = std::function<Expected<int64_t>(const Example&)>;

struct DatasetOverviewOptions
{
    NearDuplicateOptions nearDuplicates;
    TokenCounter countTokens; // empty: no token lengths
};

Expected<DatasetOverview> computeDatasetOverview(const std::vector<Example>& examples,
                                                 const DatasetOverviewOptions& options = {},
                                                 const CancelToken* cancel = nullptr);

// Examples whose (counted) length is above `limit`.
int64_t countLongerThan(const std::vector<int64_t>& lengths, int64_t limit);

struct LengthBin
{
    int64_t from = 0; // inclusive
    int64_t to = 0; // exclusive
    int64_t count = 0;
};

// Bins of one "round" width (1, 2 or 5 × a power of ten) from 0 over the counted lengths, at most `maxBins`
// of them; empty when nothing was counted. Lengths of -1 are left out.
std::vector<LengthBin> lengthHistogram(const std::vector<int64_t>& lengths, int maxBins);

} // namespace ts
