#include "llm/retry_policy.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <thread>
#include <vector>

#include "llm/http_text.h"

namespace ts::llm {

RetryPolicy::RetryPolicy(RetrySettings settings)
    : RetryPolicy(settings, std::random_device {}())
{ }

RetryPolicy::RetryPolicy(RetrySettings settings, uint64_t seed)
    : m_settings(settings)
    , m_rng(seed)
{ }

Millis RetryPolicy::backoffCeiling(int failedAttempts) const
{
    const int64_t base = std::max<int64_t>(0, m_settings.baseDelay.count());
    const int64_t cap = std::max<int64_t>(0, m_settings.maxDelay.count());
    int64_t ceiling = base;
    for (int i = 1; i < failedAttempts && ceiling < cap; ++i)
        ceiling *= 2;
    return Millis(std::min(ceiling, cap));
}

Millis RetryPolicy::backoff(int failedAttempts)
{
    const int64_t ceiling = backoffCeiling(failedAttempts).count();
    std::lock_guard lock(m_mutex);
    std::uniform_int_distribution<int64_t> uniform(0, ceiling);
    return Millis(uniform(m_rng));
}

std::optional<Millis> RetryPolicy::delayBeforeRetry(int failedAttempts, std::optional<Millis> retryAfter)
{
    if (retryAfter) {
        if (*retryAfter > m_settings.maxRetryAfter)
            return std::nullopt;
        return *retryAfter;
    }
    return backoff(failedAttempts);
}

bool isRetryableHttpStatus(int status)
{
    switch (status) {
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
    case 529:
        return true;
    default:
        return false;
    }
}

namespace {

std::vector<std::string_view> splitFields(std::string_view s, std::string_view separators)
{
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && separators.find(s[i]) != std::string_view::npos)
            ++i;
        size_t j = i;
        while (j < s.size() && separators.find(s[j]) == std::string_view::npos)
            ++j;
        if (j > i)
            out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

std::optional<int> parseInt(std::string_view s)
{
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc {} || end != s.data() + s.size() || s.empty())
        return std::nullopt;
    return v;
}

std::optional<unsigned> parseMonth(std::string_view s)
{
    static constexpr std::array<std::string_view, 12> names
        = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (size_t i = 0; i < names.size(); ++i) {
        if (s == names[i])
            return static_cast<unsigned>(i + 1);
    }
    return std::nullopt;
}

std::optional<std::chrono::seconds> parseClock(std::string_view s)
{
    auto parts = splitFields(s, ":");
    if (parts.size() != 3)
        return std::nullopt;
    auto h = parseInt(parts[0]), m = parseInt(parts[1]), sec = parseInt(parts[2]);
    if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 60)
        return std::nullopt;
    return std::chrono::hours(*h) + std::chrono::minutes(*m) + std::chrono::seconds(*sec);
}

std::optional<std::chrono::system_clock::time_point> makeTime(int year, std::optional<unsigned> month, int day,
                                                              std::optional<std::chrono::seconds> clock)
{
    using namespace std::chrono;
    if (!month || !clock)
        return std::nullopt;
    year_month_day ymd {std::chrono::year(year), std::chrono::month(*month), std::chrono::day(unsigned(day))};
    if (!ymd.ok())
        return std::nullopt;
    return time_point_cast<system_clock::duration>(sys_days(ymd) + *clock);
}

} // namespace

std::optional<std::chrono::system_clock::time_point> parseHttpDate(std::string_view value)
{
    auto f = splitFields(trimAsciiSpace(value), " ,");
    if (f.size() == 4 && f[1].find('-') != std::string_view::npos) {
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" (two-digit years: 70..99 → 19xx, else 20xx)
        auto dmy = splitFields(f[1], "-");
        if (dmy.size() != 3 || f[3] != "GMT")
            return std::nullopt;
        auto day = parseInt(dmy[0]), year = parseInt(dmy[2]);
        if (!day || !year)
            return std::nullopt;
        int y = *year < 100 ? (*year >= 70 ? 1900 + *year : 2000 + *year) : *year;
        return makeTime(y, parseMonth(dmy[1]), *day, parseClock(f[2]));
    }
    if (f.size() == 6 && f[5] == "GMT") {
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        auto day = parseInt(f[1]), year = parseInt(f[3]);
        if (!day || !year)
            return std::nullopt;
        return makeTime(*year, parseMonth(f[2]), *day, parseClock(f[4]));
    }
    if (f.size() == 5) {
        // asctime: "Sun Nov  6 08:49:37 1994"
        auto day = parseInt(f[2]), year = parseInt(f[4]);
        if (!day || !year)
            return std::nullopt;
        return makeTime(*year, parseMonth(f[1]), *day, parseClock(f[3]));
    }
    return std::nullopt;
}

std::optional<Millis> parseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now)
{
    value = trimAsciiSpace(value);
    if (value.empty())
        return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        if (value.size() > 9)
            return Millis(int64_t(999999999) * 1000); // absurdly long: the caller will not wait for it
        return Millis(int64_t(*parseInt(value)) * 1000);
    }
    auto date = parseHttpDate(value);
    if (!date)
        return std::nullopt;
    if (*date <= now)
        return Millis(0);
    return std::chrono::ceil<Millis>(*date - now);
}

bool sleepUnlessCancelled(Millis duration, const CancelToken& cancel)
{
    const auto deadline = std::chrono::steady_clock::now() + duration;
    while (!cancel.stopRequested()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline)
            return true;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(deadline - now, Millis(10)));
    }
    return false;
}

} // namespace ts::llm
