// Rater agreement: the confusion table of two raters, pₒ, pₑ and κ.
#include "eval/rater_agreement.h"

#include <string>

namespace ts::eval {

Expected<RaterAgreement> cohensKappa(std::span<const int> a, std::span<const int> b, int categories)
{
    if (a.size() != b.size())
        return makeError("rater agreement: the raters rated " + std::to_string(a.size()) + " and "
                         + std::to_string(b.size()) + " items");
    if (a.empty())
        return makeError("rater agreement: no items rated by both");
    if (categories < 1)
        return makeError("rater agreement: no categories");
    std::vector<double> rowTotals(static_cast<size_t>(categories)), columnTotals(static_cast<size_t>(categories));
    double agreed = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        if (a[i] < 0 || a[i] >= categories || b[i] < 0 || b[i] >= categories)
            return makeError("rater agreement: item " + std::to_string(i + 1) + " has a label out of range");
        rowTotals[static_cast<size_t>(a[i])] += 1;
        columnTotals[static_cast<size_t>(b[i])] += 1;
        agreed += a[i] == b[i] ? 1 : 0;
    }
    const double n = static_cast<double>(a.size());
    RaterAgreement out;
    out.n = a.size();
    out.percentAgreement = agreed / n;
    double chance = 0;
    for (size_t k = 0; k < rowTotals.size(); ++k)
        chance += (rowTotals[k] / n) * (columnTotals[k] / n);
    if (chance < 1)
        out.kappa = (out.percentAgreement - chance) / (1 - chance);
    return out;
}

int ratingBand(double rating)
{
    return rating < 4 ? 0 : rating < 7 ? 1 : 2;
}

Expected<std::optional<RaterAgreement>> judgeUserAgreement(std::span<const double> judge, std::span<const double> user)
{
    if (judge.size() != user.size())
        return makeError("rater agreement: " + std::to_string(judge.size()) + " judge ratings for "
                         + std::to_string(user.size()) + " user ratings");
    if (judge.size() < kMinRatedForAgreement)
        return std::optional<RaterAgreement>();
    std::vector<int> a, b;
    for (size_t i = 0; i < judge.size(); ++i) {
        a.push_back(ratingBand(judge[i]));
        b.push_back(ratingBand(user[i]));
    }
    auto k = cohensKappa(a, b, 3);
    if (!k)
        return k.error();
    return std::optional<RaterAgreement>(*k);
}

} // namespace ts::eval
