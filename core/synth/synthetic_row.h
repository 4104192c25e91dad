// SyntheticRow: one candidate of an Evol-Instruct run, as the project file keeps it (table synthetic_rows):
// where it came from (seed example, parent row, operation, round), what the teacher wrote, how it fared in the
// pipeline (its stage and the reason), the judge's score, the user's review, and what it cost.
//
// Stages, in pipeline order:
//   failed       a teacher call failed (reason: the error); its parent goes back into the pool
//   eliminated   an elimination rule dropped it (reason: which); its parent goes back into the pool
//   generated    passed elimination, waiting for dedupe
//   duplicate    an exact or near duplicate of an earlier synthetic row (duplicateOfRowId)
//   leak         too close to a golden eval or test example (leakExampleId): it would leak that split into training
//   unique       passed dedupe, waiting for the quality judge
//   judge_failed the judge call failed (never scored 0); a resumed run judges it again
//   low_quality  judged below the run's threshold
//   passed       through every filter: ready for review
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ts::synth {

enum class SyntheticStage { Failed, Eliminated, Generated, Duplicate, Leak, Unique, JudgeFailed, LowQuality, Passed };
enum class SyntheticReview { Pending, Accepted, Rejected };

std::string_view syntheticStageName(SyntheticStage stage); // "failed", "eliminated", …, "passed"
std::optional<SyntheticStage> syntheticStageFromName(std::string_view name);
std::string_view syntheticReviewName(SyntheticReview review); // "pending", "accepted", "rejected"
std::optional<SyntheticReview> syntheticReviewFromName(std::string_view name);

// Did the teacher produce a row that passed elimination (so it may be evolved further)?
bool passedElimination(SyntheticStage stage);

struct SyntheticRow
{
    int64_t id = 0; // 0 = not stored yet
    int64_t runId = 0;
    int round = 1; // 1-based
    int64_t slot = 0; // the candidate's place in the run's plan (resume key)
    std::optional<int64_t> seedExampleId; // the golden example at the root of the lineage
    std::optional<int64_t> parentRowId; // the synthetic row it evolved from; nullopt: from the seed itself
    std::string operation; // evolOperationName()
    std::string instruction; // the evolved user turn
    std::string output; // the teacher's answer
    SyntheticStage stage = SyntheticStage::Generated;
    std::string reason; // why it failed, was eliminated, is a duplicate or leak, or its judge failed
    std::optional<int64_t> duplicateOfRowId;
    std::optional<int64_t> leakExampleId;
    std::optional<double> quality; // the judge's 1–10 rating
    std::string judgeReply;
    SyntheticReview review = SyntheticReview::Pending;
    bool edited = false; // the user changed instruction or output
    std::optional<int64_t> promotedExampleId; // the training example it became
    std::string teacherEndpoint;
    std::string teacherModel;
    int templateVersion = 0;
    std::string evolveReply; // the teacher's raw reply to the rewrite prompt
    int64_t tokensIn = 0; // over all of the row's calls
    int64_t tokensOut = 0;
    std::optional<double> cost; // USD; nullopt when a price is unknown
    int64_t latencyMs = 0;
    int64_t createdAt = 0; // unix ms
    int64_t updatedAt = 0;
};

// The funnel of a run: generated → passed elimination → unique → above the quality threshold → accepted.
struct SyntheticFunnel
{
    int64_t failed = 0; // teacher calls that failed (not in `generated`)
    int64_t generated = 0; // rows the teacher wrote
    int64_t passedElimination = 0;
    int64_t unique = 0; // passed dedupe (and the leak check)
    int64_t aboveThreshold = 0; // stage passed
    int64_t accepted = 0; // reviewed accepted
    int64_t rejected = 0;
    int64_t promoted = 0;
    int64_t waiting = 0; // generated or unique rows still waiting for dedupe or the judge
};

} // namespace ts::synth
