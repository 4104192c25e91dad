// RetryPolicy: when and how long to wait before trying a failed chat request again.
// Exponential backoff with full jitter (delay uniform in [0, min(maxDelay, baseDelay * 2^(n-1))]
// after the n-th failed attempt), a maximum number of attempts, and the server's Retry-After
// (delta-seconds or an HTTP-date) taking precedence over the computed delay.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>

#include "common/cancel.h"

namespace ts::llm {

using Millis = std::chrono::milliseconds;

struct RetrySettings
{
    int maxAttempts = 4; // first try included; 1 = never retry
    Millis baseDelay {500};
    Millis maxDelay {20000};
    // A Retry-After longer than this is not waited for: the call fails as rate limited instead.
    Millis maxRetryAfter {60000};

    bool operator==(const RetrySettings&) const = default;
};

class RetryPolicy
{
public:
    explicit RetryPolicy(RetrySettings settings);
    RetryPolicy(RetrySettings settings, uint64_t seed); // deterministic jitter, for tests

    const RetrySettings& settings() const { return m_settings; }

    // True when another attempt may follow the `failedAttempts`-th failed one.
    bool attemptsLeft(int failedAttempts) const { return failedAttempts < m_settings.maxAttempts; }

    // The jittered backoff after the `failedAttempts`-th failure (1-based). Thread-safe.
    Millis backoff(int failedAttempts);

    // The wait before the next attempt: Retry-After when the server sent one, else backoff().
    // nullopt when Retry-After exceeds settings().maxRetryAfter (do not retry).
    std::optional<Millis> delayBeforeRetry(int failedAttempts, std::optional<Millis> retryAfter);

    // The upper bound of backoff() for `failedAttempts` (the "cap" of full jitter).
    Millis backoffCeiling(int failedAttempts) const;

private:
    RetrySettings m_settings;
    std::mutex m_mutex;
    std::mt19937_64 m_rng;
};

// HTTP statuses worth retrying: 429, 500, 502, 503, 504 (and Anthropic's 529 "overloaded").
bool isRetryableHttpStatus(int status);

// Parses a Retry-After header value: delta-seconds ("120") or an HTTP-date (IMF-fixdate
// "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 or asctime form). A date in the past gives 0.
std::optional<Millis> parseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now);

// Parses an HTTP-date (the three forms above) as UTC.
std::optional<std::chrono::system_clock::time_point> parseHttpDate(std::string_view value);

// Sleeps for `duration`, waking early (within ~10 ms) when `cancel` is set. False when cancelled.
bool sleepUnlessCancelled(Millis duration, const CancelToken& cancel);

} // namespace ts::llm
