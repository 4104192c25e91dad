// Element conversions for GGUF export: bit-exact float16/bfloat16 rounding and ggml's Q8_0 block layout.
#include "export/gguf_quant.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstring>
#include <string>

namespace ts::gguf {

static_assert(std::endian::native == std::endian::little, "GGUF export assumes a little-endian host");

std::string_view ggmlTypeName(GgmlType type)
{
    switch (type) {
    case GgmlType::F32:
        return "f32";
    case GgmlType::F16:
        return "f16";
    case GgmlType::Q8_0:
        return "q8_0";
    case GgmlType::BF16:
        return "bf16";
    }
    return "?";
}

std::optional<GgmlType> ggmlTypeFromName(std::string_view name)
{
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    for (GgmlType t : {GgmlType::F32, GgmlType::F16, GgmlType::BF16, GgmlType::Q8_0})
        if (lower == ggmlTypeName(t))
            return t;
    return std::nullopt;
}

uint16_t f32ToF16(float value)
{
    const uint32_t bits = std::bit_cast<uint32_t>(value);
    const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
    const uint32_t absBits = bits & 0x7fffffffu;
    if (absBits > 0x7f800000u) // NaN: keep the top payload bits, force quiet
        return static_cast<uint16_t>(sign | 0x7e00u | ((absBits >> 13) & 0x3ffu));
    if (absBits >= 0x477ff000u) // >= 65520 rounds to infinity (also +-inf itself)
        return static_cast<uint16_t>(sign | 0x7c00u);
    if (absBits >= 0x38800000u) { // normal half (|x| >= 2^-14)
        // Rebias the exponent (127 -> 15) and round the 13 dropped mantissa bits to nearest even.
        uint32_t v = absBits - 0x38000000u;
        v += 0x0fffu + ((v >> 13) & 1u);
        return static_cast<uint16_t>(sign | (v >> 13));
    }
    if (absBits < 0x33000000u) // < 2^-25: rounds to zero (2^-25 exactly is a tie to even zero)
        return sign;
    // Subnormal half: value = m * 2^-24 with m in [0, 1023]; shift the full significand with RNE.
    const uint32_t exponent = absBits >> 23; // 102..112
    const uint32_t mantissa = (absBits & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126u - exponent; // 14..24
    uint32_t half = mantissa >> shift;
    const uint32_t rest = mantissa & ((1u << shift) - 1u);
    const uint32_t halfway = 1u << (shift - 1u);
    if (rest > halfway || (rest == halfway && (half & 1u)))
        ++half; // may carry into the smallest normal, which is the right encoding
    return static_cast<uint16_t>(sign | half);
}

float f16ToF32(uint16_t h)
{
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1fu;
    const uint32_t mantissa = h & 0x3ffu;
    uint32_t bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112u) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {
        const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
        return sign ? -magnitude : magnitude;
    }
    return std::bit_cast<float>(bits);
}

uint16_t f32ToBf16(float value)
{
    const uint32_t bits = std::bit_cast<uint32_t>(value);
    if ((bits & 0x7fffffffu) > 0x7f800000u)
        return static_cast<uint16_t>((bits >> 16) | 64u);
    return static_cast<uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

float bf16ToF32(uint16_t bits)
{
    return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16);
}

void toF32(SourceType type, const std::byte* src, size_t count, float* dst)
{
    switch (type) {
    case SourceType::F32:
        std::memcpy(dst, src, count * sizeof(float));
        return;
    case SourceType::F16:
        for (size_t i = 0; i < count; ++i) {
            uint16_t h;
            std::memcpy(&h, src + 2 * i, 2);
            dst[i] = f16ToF32(h);
        }
        return;
    case SourceType::BF16:
        for (size_t i = 0; i < count; ++i) {
            uint16_t h;
            std::memcpy(&h, src + 2 * i, 2);
            dst[i] = bf16ToF32(h);
        }
        return;
    }
}

size_t typeBytes(GgmlType type, int64_t count)
{
    switch (type) {
    case GgmlType::F32:
        return static_cast<size_t>(count) * 4;
    case GgmlType::F16:
    case GgmlType::BF16:
        return static_cast<size_t>(count) * 2;
    case GgmlType::Q8_0:
        return static_cast<size_t>(count / kQ8BlockSize) * kQ8BlockBytes;
    }
    return 0;
}

namespace {

void encodeQ8Block(const float* x, std::byte* out)
{
    float amax = 0.0f;
    for (int64_t j = 0; j < kQ8BlockSize; ++j)
        amax = std::max(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    const uint16_t dBits = f32ToF16(d);
    std::memcpy(out, &dBits, 2);
    for (int64_t j = 0; j < kQ8BlockSize; ++j) {
        const auto q = static_cast<int8_t>(std::roundf(x[j] * id));
        out[2 + j] = static_cast<std::byte>(q);
    }
}

} // namespace

void encodeRow(GgmlType type, const float* src, int64_t count, std::byte* dst)
{
    switch (type) {
    case GgmlType::F32:
        std::memcpy(dst, src, static_cast<size_t>(count) * 4);
        return;
    case GgmlType::F16:
        for (int64_t i = 0; i < count; ++i) {
            const uint16_t h = f32ToF16(src[i]);
            std::memcpy(dst + 2 * i, &h, 2);
        }
        return;
    case GgmlType::BF16:
        for (int64_t i = 0; i < count; ++i) {
            const uint16_t h = f32ToBf16(src[i]);
            std::memcpy(dst + 2 * i, &h, 2);
        }
        return;
    case GgmlType::Q8_0:
        for (int64_t b = 0; b < count / kQ8BlockSize; ++b)
            encodeQ8Block(src + b * kQ8BlockSize, dst + b * kQ8BlockBytes);
        return;
    }
}

} // namespace ts::gguf
