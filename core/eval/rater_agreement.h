// Rater agreement: how far the LLM judge agrees with the user's own ratings of the same outputs — the percent of
// items both put in the same band, and Cohen's kappa (agreement beyond what two raters with those band frequencies
// would reach by chance: κ = (pₒ − pₑ) / (1 − pₑ)). Ratings on the judge's 1–10 scale are compared in three bands:
// poor (1–3), fair (4–6), good (7–10), since raters rarely agree to the point.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "common/expected.h"

namespace ts::eval {

inline constexpr size_t kMinRatedForAgreement = 10; // fewer paired ratings: no agreement figures

struct RaterAgreement
{
    size_t n = 0; // items both rated
    double percentAgreement = 0; // pₒ, 0..1
    std::optional<double> kappa; // nullopt when pₑ = 1 (both raters put every item in one band: κ is undefined)
};

// Cohen's kappa over category labels (0..categories − 1) given to the same items by two raters, in order.
// Errors: different lengths, no items, a label out of range.
Expected<RaterAgreement> cohensKappa(std::span<const int> raterA, std::span<const int> raterB, int categories);

// The band of a 1–10 rating: 0 poor (< 4), 1 fair (< 7), 2 good.
int ratingBand(double rating);

// Agreement of judge and user ratings (1–10, paired by item) in bands; nullopt below kMinRatedForAgreement items.
Expected<std::optional<RaterAgreement>> judgeUserAgreement(std::span<const double> judge, std::span<const double> user);

} // namespace ts::eval
