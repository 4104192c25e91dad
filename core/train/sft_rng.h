// SftRng: the deterministic random numbers of the training data order (splitmix64-seeded
// xoshiro256**). Integer-only, so shuffles are the same on every platform and a resumed run replays them.
#pragma once

#include <cstdint>

namespace ts {

class SftRng
{
public:
    explicit SftRng(uint64_t seed);
    uint64_t next();
    uint64_t below(uint64_t bound); // uniform in [0, bound), bound > 0 (rejection, no modulo bias)

private:
    uint64_t m_s[4];
};

} // namespace ts
