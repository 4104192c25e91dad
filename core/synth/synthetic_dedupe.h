// Dedupe of synthetic rows (placeholder header of the API; the implementation lands with the dedupe work).
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
    double threshold = 0.8;
    int shingleChars = 5;
};
struct ReferenceText
{
    int64_t exampleId = 0;
    std::string split;
    std::string text;
};
struct CandidateText
{
    int64_t rowId = 0;
    std::string text;
};
enum class DuplicateKind { Unique, Exact, Near, Leak };
struct DedupeVerdict
{
    int64_t rowId = 0;
    DuplicateKind kind = DuplicateKind::Unique;
    int64_t duplicateOfRowId = 0;
    int64_t leakExampleId = 0;
    std::string leakSplit;
    double similarity = 1.0;
    std::string reason;
};
Expected<std::vector<DedupeVerdict>> dedupeSynthetic(const std::vector<ReferenceText>& references,
                                                     const std::vector<CandidateText>& candidates,
                                                     const DedupeOptions& options = {},
                                                     const CancelToken* cancel = nullptr);
std::string_view duplicateKindName(DuplicateKind kind);

} // namespace ts::synth
