// SyntheticRow: stage and review names.
#include "synth/synthetic_row.h"

#include <array>

namespace ts::synth {

namespace {

constexpr std::array<std::string_view, 9> kStageNames {
    "failed", "eliminated", "generated", "duplicate", "leak", "unique", "judge_failed", "low_quality", "passed",
};
constexpr std::array<std::string_view, 3> kReviewNames {"pending", "accepted", "rejected"};

} // namespace

std::string_view syntheticStageName(SyntheticStage stage)
{
    return kStageNames[static_cast<size_t>(stage)];
}

std::optional<SyntheticStage> syntheticStageFromName(std::string_view name)
{
    for (size_t i = 0; i < kStageNames.size(); ++i)
        if (kStageNames[i] == name)
            return static_cast<SyntheticStage>(i);
    return std::nullopt;
}

std::string_view syntheticReviewName(SyntheticReview review)
{
    return kReviewNames[static_cast<size_t>(review)];
}

std::optional<SyntheticReview> syntheticReviewFromName(std::string_view name)
{
    for (size_t i = 0; i < kReviewNames.size(); ++i)
        if (kReviewNames[i] == name)
            return static_cast<SyntheticReview>(i);
    return std::nullopt;
}

bool passedElimination(SyntheticStage stage)
{
    return stage != SyntheticStage::Failed && stage != SyntheticStage::Eliminated;
}

} // namespace ts::synth
