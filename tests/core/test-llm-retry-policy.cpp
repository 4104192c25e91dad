// RetryPolicy: full-jitter backoff bounds, Retry-After parsing (seconds and HTTP-dates), which
// statuses are retried, and the cancellable sleep.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "llm/retry_policy.h"

using namespace ts::llm;
using namespace std::chrono;

TEST(LlmRetryPolicy, BackoffStaysWithinExponentialCeilingAndIsSeeded)
{
    RetrySettings s;
    s.baseDelay = milliseconds(100);
    s.maxDelay = milliseconds(1000);
    EXPECT_EQ(RetryPolicy(s, 1).backoffCeiling(1), milliseconds(100));
    EXPECT_EQ(RetryPolicy(s, 1).backoffCeiling(2), milliseconds(200));
    EXPECT_EQ(RetryPolicy(s, 1).backoffCeiling(4), milliseconds(800));
    EXPECT_EQ(RetryPolicy(s, 1).backoffCeiling(5), milliseconds(1000)); // capped
    EXPECT_EQ(RetryPolicy(s, 1).backoffCeiling(60), milliseconds(1000)); // no overflow

    RetryPolicy a(s, 42), b(s, 42), c(s, 43);
    bool differsFromOtherSeed = false;
    for (int n = 1; n <= 8; ++n) {
        int64_t maxSeen = 0, minSeen = 1 << 30;
        for (int i = 0; i < 200; ++i) {
            const milliseconds da = a.backoff(n);
            EXPECT_EQ(da, b.backoff(n)); // same seed, same schedule
            differsFromOtherSeed |= da != c.backoff(n);
            EXPECT_GE(da.count(), 0);
            EXPECT_LE(da, a.backoffCeiling(n));
            maxSeen = std::max<int64_t>(maxSeen, da.count());
            minSeen = std::min<int64_t>(minSeen, da.count());
        }
        // Full jitter spreads over the whole [0, ceiling] range.
        EXPECT_GT(maxSeen, a.backoffCeiling(n).count() * 3 / 4);
        EXPECT_LT(minSeen, a.backoffCeiling(n).count() / 4);
    }
    EXPECT_TRUE(differsFromOtherSeed);
}

TEST(LlmRetryPolicy, AttemptsAndRetryAfterPrecedence)
{
    RetrySettings s;
    s.maxAttempts = 3;
    s.baseDelay = milliseconds(10);
    s.maxDelay = milliseconds(10);
    s.maxRetryAfter = seconds(5);
    RetryPolicy p(s, 7);
    EXPECT_TRUE(p.attemptsLeft(1));
    EXPECT_TRUE(p.attemptsLeft(2));
    EXPECT_FALSE(p.attemptsLeft(3));
    EXPECT_EQ(p.delayBeforeRetry(1, milliseconds(2000)), milliseconds(2000));
    EXPECT_EQ(p.delayBeforeRetry(1, seconds(6)), std::nullopt); // longer than the limit: give up
    EXPECT_LE(p.delayBeforeRetry(1, std::nullopt).value(), milliseconds(10));
}

TEST(LlmRetryPolicy, RetryableStatuses)
{
    for (int status : {429, 500, 502, 503, 504, 529})
        EXPECT_TRUE(isRetryableHttpStatus(status)) << status;
    for (int status : {200, 400, 401, 403, 404, 422, 501})
        EXPECT_FALSE(isRetryableHttpStatus(status)) << status;
}

TEST(LlmRetryPolicy, ParsesRetryAfterSecondsAndHttpDates)
{
    const auto now = sys_days(year(2025) / 3 / 14) + hours(12);
    EXPECT_EQ(parseRetryAfter("7", now), seconds(7));
    EXPECT_EQ(parseRetryAfter(" 0 ", now), seconds(0));
    EXPECT_EQ(parseRetryAfter("Fri, 14 Mar 2025 12:00:30 GMT", now), seconds(30));
    EXPECT_EQ(parseRetryAfter("Friday, 14-Mar-25 12:01:00 GMT", now), seconds(60)); // RFC 850
    EXPECT_EQ(parseRetryAfter("Fri Mar 14 12:00:05 2025", now), seconds(5)); // asctime
    EXPECT_EQ(parseRetryAfter("Fri, 14 Mar 2025 11:00:00 GMT", now), seconds(0)); // in the past
    EXPECT_EQ(parseRetryAfter("", now), std::nullopt);
    EXPECT_EQ(parseRetryAfter("-3", now), std::nullopt);
    EXPECT_EQ(parseRetryAfter("soon", now), std::nullopt);
    EXPECT_EQ(parseRetryAfter("Fri, 32 Mar 2025 12:00:30 GMT", now), std::nullopt);
    EXPECT_EQ(parseRetryAfter("Fri, 14 Foo 2025 12:00:30 GMT", now), std::nullopt);

    auto date = parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT");
    ASSERT_TRUE(date);
    EXPECT_EQ(duration_cast<seconds>(date->time_since_epoch()).count(), 784111777); // date -d ... +%s
}

TEST(LlmRetryPolicy, SleepWakesOnCancel)
{
    ts::CancelToken cancel;
    EXPECT_TRUE(sleepUnlessCancelled(milliseconds(20), cancel));
    std::thread stopper([&] {
        std::this_thread::sleep_for(milliseconds(50));
        cancel.requestStop();
    });
    const auto start = steady_clock::now();
    EXPECT_FALSE(sleepUnlessCancelled(seconds(10), cancel));
    EXPECT_LT(steady_clock::now() - start, milliseconds(1000));
    stopper.join();
}
