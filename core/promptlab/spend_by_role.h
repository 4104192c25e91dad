// What an A/B test run spent, by the role of the calls: the variants' answers, the judge's single
// gradings, and the pairwise judgements (both orders). A spend cap counts all three.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace ts::promptlab {

enum class SpendRole { Variant, Judge, Pairwise };
const char* spendRoleName(SpendRole role); // "variant", "judge", "pairwise"

struct SpendByRole
{
    double variant = 0, judge = 0, pairwise = 0; // USD

    double total() const { return variant + judge + pairwise; }
    double& operator[](SpendRole role);
    double operator[](SpendRole role) const;
    SpendByRole& operator+=(const SpendByRole& other);
};

// "$0.4200" under $10, else "$12.34".
std::string usdText(double usd);
// "Spent $0.4200: variants $0.3000 · judge $0.0800 · pairwise $0.0400" (roles with nothing spent left
// out; "Spent $0.0000" when nothing was).
std::string spendText(const SpendByRole& spend);

// {"total": 0.42, "variant": 0.30, "judge": 0.08, "pairwise": 0.04}
nlohmann::json spendToJson(const SpendByRole& spend);

} // namespace ts::promptlab
