// The label convention of SFT sequences: labels follow transformers, labels[t] = ids[t] where the token
// is learned and -100 elsewhere; the trainer shifts (the logits at position t are scored against
// labels[t + 1]). The first token of every sequence (and of every packed segment) is never learned.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace ts {

inline constexpr int32_t kIgnoreLabel = -100; // transformers' ignore_index

// The number of learned tokens (labels that are not kIgnoreLabel).
inline int64_t countTrainedLabels(const std::vector<int32_t>& labels)
{
    return std::count_if(labels.begin(), labels.end(), [](int32_t l) { return l != kIgnoreLabel; });
}

} // namespace ts
