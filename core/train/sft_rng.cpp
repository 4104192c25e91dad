// SftRng (see sft_rng.h): xoshiro256** seeded through splitmix64; bounded draws by rejection.
#include "train/sft_rng.h"

namespace ts {

namespace {

uint64_t splitmix64(uint64_t& state)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

} // namespace

SftRng::SftRng(uint64_t seed)
{
    uint64_t state = seed;
    for (auto& s : m_s)
        s = splitmix64(state);
}

uint64_t SftRng::next()
{
    const uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

uint64_t SftRng::below(uint64_t bound)
{
    // Largest multiple of bound that fits in 2^64, then rejection.
    const uint64_t limit = -bound % bound; // (2^64 - bound) mod bound == 2^64 mod bound
    for (;;) {
        const uint64_t r = next();
        if (r >= limit)
            return r % bound;
    }
}

} // namespace ts
