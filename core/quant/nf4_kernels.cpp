#include "quant/nf4_kernels.h"

#include <algorithm>

namespace ts {

void nf4DequantizeCpu(const uint8_t* packed, const float* scales, int64_t n, int64_t blocksize, const float* table16,
                      float* out)
{
    float table[16];
    std::copy(table16, table16 + 16, table);
    for (int64_t begin = 0; begin < n; begin += blocksize) {
        const int64_t end = std::min(n, begin + blocksize);
        const float scale = scales[begin / blocksize];
        // blocksize is even (bnb's sizes are powers of two ≥ 32), so a block starts on a byte.
        int64_t i = begin;
        for (; i + 1 < end; i += 2) {
            const uint8_t byte = packed[i / 2];
            out[i] = table[byte >> 4] * scale;
            out[i + 1] = table[byte & 15] * scale;
        }
        if (i < end)
            out[i] = table[packed[i / 2] >> 4] * scale;
    }
}

} // namespace ts
