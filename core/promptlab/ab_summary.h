// The numbers of an A/B test run, from its stored cells: per variant, the mean of every scorer
// with a 95% bootstrap CI, pass rate, latency p50/p95, tokens and cost per 1,000 calls; and for
// each later variant against the first, per scorer, the paired comparison over the examples both
// answered (repeats averaged per example first), McNemar's exact test for pass/fail scorers and a
// plain-language verdict; and what the run spent by role (variants, judge, pairwise judge).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eval/rater_agreement.h"
#include "eval/statistics.h"
#include "promptlab/cell_repository.h"
#include "promptlab/spend_by_role.h"
#include "store/database.h"

namespace ts::promptlab {

struct ScorerSummary
{
    std::string scorer;
    eval::MeanEstimate mean;
    std::optional<double> passRate; // pass/fail scorers
};

struct VariantSummary
{
    std::string variant;
    int64_t cells = 0;
    int64_t failed = 0;
    std::vector<ScorerSummary> scores; // in the order the scorers first appear
    std::optional<eval::LatencySummary> latency;
    double meanTokensIn = 0, meanTokensOut = 0;
    std::optional<double> costTotal; // USD over the cells with a known cost
    std::optional<double> costPer1000; // USD per 1,000 calls at the mean cost per call
};

struct PairSummary
{
    std::string a, b, scorer;
    eval::PairedComparison comparison;
    std::optional<eval::McNemarResult> mcnemar; // pass/fail scorers
    // Pairwise judge: the share of pairs on which the judge named the same winner in both orders (its position-swap
    // consistency, a measure of how far to trust it); nullopt for other scorers.
    std::optional<double> swapConsistency;
    std::string verdict;
};

// The score name under which a user's own 1–10 rating of an output is stored on its cell (CellRepository::putScore):
// not a scorer of the run, but what the judge is checked against.
inline constexpr const char* kUserRatingScore = "user rating";

struct AbSummary
{
    std::vector<VariantSummary> variants; // in the run's order
    std::vector<PairSummary> pairs;
    // Every session of the run, every paid call (the spend ledger; for a run stored before the ledger,
    // the variants' cell costs). summarizeCells fills only `variant`, from the cells.
    SpendByRole spend;
    size_t userRated = 0; // cells the user rated
    // The judge's ratings against the user's, in bands, once at least eval::kMinRatedForAgreement cells have both.
    std::optional<eval::RaterAgreement> judgeAgreement;
};

// `variantOrder`: labels in the run's order (the first is the baseline). `pointsPerUnit`: per
// scorer name, the factor for verdicts (eval::pointsPerUnit; 1 for the judge's 1–10 ratings); `units`: per scorer
// name, the unit the verdict names (eval::verdictUnit; "points" for a scorer not named).
Expected<AbSummary> summarizeCells(const std::vector<Cell>& cells, const std::vector<std::string>& variantOrder,
                                   const std::map<std::string, double>& pointsPerUnit,
                                   const eval::BootstrapOptions& options = {},
                                   const std::map<std::string, std::string>& units = {});

// What summarizeCells() needs besides the cells, from a stored run's config: the variant labels in the run's order
// and the verdict factor per scorer.
struct AbSummarySetup
{
    std::vector<std::string> variantOrder;
    std::map<std::string, double> pointsPerUnit;
    std::map<std::string, std::string> units;
};
Expected<AbSummarySetup> summarySetup(Database& db, int64_t runId);

// The summary of a stored A/B test run (its config names the variants and scorers).
Expected<AbSummary> summarizeRun(Database& db, int64_t runId, const eval::BootstrapOptions& options = {});

nlohmann::json abSummaryToJson(const AbSummary& summary);

} // namespace ts::promptlab
