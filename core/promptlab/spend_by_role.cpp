#include "promptlab/spend_by_role.h"

#include <cstdio>

namespace ts::promptlab {

const char* spendRoleName(SpendRole role)
{
    switch (role) {
    case SpendRole::Variant:
        return "variant";
    case SpendRole::Judge:
        return "judge";
    case SpendRole::Pairwise:
        return "pairwise";
    }
    return "variant";
}

double& SpendByRole::operator[](SpendRole role)
{
    return role == SpendRole::Judge ? judge : role == SpendRole::Pairwise ? pairwise : variant;
}

double SpendByRole::operator[](SpendRole role) const
{
    return role == SpendRole::Judge ? judge : role == SpendRole::Pairwise ? pairwise : variant;
}

SpendByRole& SpendByRole::operator+=(const SpendByRole& other)
{
    variant += other.variant;
    judge += other.judge;
    pairwise += other.pairwise;
    return *this;
}

std::string usdText(double usd)
{
    char text[48];
    std::snprintf(text, sizeof text, usd < 10 ? "$%.4f" : "$%.2f", usd);
    return text;
}

std::string spendText(const SpendByRole& spend)
{
    std::string text = "Spent " + usdText(spend.total());
    if (!(spend.variant > 0 || spend.judge > 0 || spend.pairwise > 0))
        return text;
    std::string parts;
    for (auto [role, label] : {std::pair {SpendRole::Variant, "variants"}, std::pair {SpendRole::Judge, "judge"},
                               std::pair {SpendRole::Pairwise, "pairwise"}}) {
        if (spend[role] <= 0)
            continue;
        parts += (parts.empty() ? "" : " · ") + std::string(label) + " " + usdText(spend[role]);
    }
    return text + ": " + parts;
}

nlohmann::json spendToJson(const SpendByRole& spend)
{
    return {{"total", spend.total()}, {"variant", spend.variant}, {"judge", spend.judge}, {"pairwise", spend.pairwise}};
}

} // namespace ts::promptlab
