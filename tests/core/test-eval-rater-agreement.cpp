// Rater agreement against published, independently computed values: Cohen's (1960) kappa on the textbook 2×2
// example (50 items: 20 both yes, 15 both no, 5 and 10 split; pₒ = 0.70, pₑ = 0.50, κ = 0.40) and a 3×3 table
// whose κ was worked by hand below; then the judge-vs-user bands and the minimum of 10 rated items.
#include <gtest/gtest.h>

#include "eval/rater_agreement.h"

using namespace ts::eval;

TEST(RaterAgreement, CohensKappaOfTheTextbookTwoByTwoTable)
{
    std::vector<int> a, b;
    auto add = [&](int x, int y, int count) {
        for (int i = 0; i < count; ++i) {
            a.push_back(x);
            b.push_back(y);
        }
    };
    add(1, 1, 20); // both yes
    add(1, 0, 5); // A yes, B no
    add(0, 1, 10); // A no, B yes
    add(0, 0, 15); // both no
    auto k = cohensKappa(a, b, 2);
    ASSERT_TRUE(k) << k.error().message;
    EXPECT_EQ(k->n, 50u);
    EXPECT_DOUBLE_EQ(k->percentAgreement, 0.7);
    ASSERT_TRUE(k->kappa);
    EXPECT_NEAR(*k->kappa, 0.4, 1e-12);
}

TEST(RaterAgreement, ThreeBandsWorkedByHand)
{
    // Rows judge band, columns user band (poor, fair, good):
    //   [4 1 0]
    //   [1 3 1]   n = 20, pₒ = (4+3+8)/20 = 0.75
    //   [0 2 8]   rows 5,5,10; columns 5,6,9 → pₑ = (25+30+90)/400 = 0.3625; κ = 0.3875/0.6375 = 0.607843…
    const double judgeOf[3] = {2, 5, 9}, userOf[3] = {1, 6, 8};
    const int table[3][3] = {{4, 1, 0}, {1, 3, 1}, {0, 2, 8}};
    std::vector<double> judge, user;
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            for (int i = 0; i < table[r][c]; ++i) {
                judge.push_back(judgeOf[r]);
                user.push_back(userOf[c]);
            }
    auto agreement = judgeUserAgreement(judge, user);
    ASSERT_TRUE(agreement) << agreement.error().message;
    ASSERT_TRUE(*agreement);
    EXPECT_DOUBLE_EQ((*agreement)->percentAgreement, 0.75);
    ASSERT_TRUE((*agreement)->kappa);
    EXPECT_NEAR(*(*agreement)->kappa, 0.3875 / 0.6375, 1e-12);
}

TEST(RaterAgreement, TooFewRatingsOrOneBandGiveNoKappa)
{
    const std::vector<double> nine(9, 8.0);
    auto few = judgeUserAgreement(nine, nine);
    ASSERT_TRUE(few);
    EXPECT_FALSE(few->has_value()) << "fewer than 10 rated items";
    const std::vector<double> ten(10, 8.0);
    auto same = judgeUserAgreement(ten, ten);
    ASSERT_TRUE(same && *same);
    EXPECT_DOUBLE_EQ((*same)->percentAgreement, 1.0);
    EXPECT_FALSE((*same)->kappa) << "every item in one band: chance agreement is 1, kappa undefined";
    EXPECT_EQ(ratingBand(3.9), 0);
    EXPECT_EQ(ratingBand(4), 1);
    EXPECT_EQ(ratingBand(6.5), 1);
    EXPECT_EQ(ratingBand(7), 2);
    const std::vector<int> a = {0, 1}, b = {0};
    EXPECT_FALSE(cohensKappa(a, b, 2));
    const std::vector<int> bad = {0, 3};
    EXPECT_FALSE(cohensKappa(bad, bad, 2));
}
