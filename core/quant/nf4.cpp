// NF4 block quantization (see nf4.h).
#include "quant/nf4.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "model/safetensors_writer.h"

namespace ts {

namespace {

// bnb clamps absmax to 1e-38 before taking the reciprocal, so an all-zero block scales to 0.
constexpr float kMinAbsmax = 1e-38f;

// Reads element i of a raw F32 / F16 / BF16 little-endian buffer as fp32 (exact widening).
float readElement(const std::byte* data, DType dtype, int64_t i)
{
    if (dtype == DType::F32) {
        float f;
        std::memcpy(&f, data + 4 * i, 4);
        return f;
    }
    uint16_t h;
    std::memcpy(&h, data + 2 * i, 2);
    return dtype == DType::F16 ? halfToFloat(h) : bfloat16ToFloat(h);
}

// Blocks quantized between two looks at the cancel token.
constexpr int64_t kBlocksPerCancelCheck = 4096;

// The quantizer over any element reader: absmax per block, codes, packing. Stops when `cancel` (if any) is set.
template <typename Read>
Expected<Nf4Data> quantize(int64_t n, int64_t blocksize, Read read, const CancelToken* cancel = nullptr)
{
    Nf4Data q;
    q.numel = n;
    q.blocksize = blocksize;
    q.packed.assign(static_cast<size_t>((n + 1) / 2), 0);
    q.absmax.resize(static_cast<size_t>(blockCount(n, blocksize)));
    std::vector<float> block(static_cast<size_t>(blocksize));
    for (int64_t b = 0, start = 0; start < n; ++b, start += blocksize) {
        if (cancel && b % kBlocksPerCancelCheck == 0 && cancel->stopRequested())
            return cancelledError();
        const int64_t len = std::min(blocksize, n - start);
        float absmax = 0.0f;
        for (int64_t i = 0; i < len; ++i) {
            block[static_cast<size_t>(i)] = read(start + i);
            absmax = std::max(absmax, std::fabs(block[static_cast<size_t>(i)]));
        }
        q.absmax[static_cast<size_t>(b)] = absmax;
        const float recip = 1.0f / std::max(absmax, kMinAbsmax);
        for (int64_t i = 0; i < len; ++i) {
            const float scaled = std::clamp(block[static_cast<size_t>(i)] * recip, -1.0f, 1.0f);
            const uint8_t code = nf4Encode(scaled);
            const int64_t k = start + i;
            uint8_t& byte = q.packed[static_cast<size_t>(k / 2)];
            byte = k % 2 == 0 ? static_cast<uint8_t>(byte | (code << 4)) : static_cast<uint8_t>(byte | code);
        }
    }
    if (n % 2 == 1) // the padding value 0.0 in the low nibble of the last byte
        q.packed.back() = static_cast<uint8_t>(q.packed.back() | nf4Encode(0.0f));
    return q;
}

Status checkBlocksize(int64_t blocksize)
{
    if (!isValidBnb4bitBlocksize(blocksize))
        return makeError("NF4 blocksize " + std::to_string(blocksize)
                         + " is not supported (bitsandbytes accepts 32, 64, 128, 256, 512, 1024, 2048, 4096)");
    return {};
}

} // namespace

bool isValidBnb4bitBlocksize(int64_t blocksize)
{
    return std::find(kBnb4bitBlocksizes.begin(), kBnb4bitBlocksizes.end(), blocksize) != kBnb4bitBlocksizes.end();
}

const std::array<float, 15>& nf4Thresholds()
{
    static const std::array<float, 15> thresholds = [] {
        std::array<float, 15> t {};
        for (size_t i = 0; i < t.size(); ++i)
            t[i] = (kNf4Code[i] + kNf4Code[i + 1]) / 2.0f;
        return t;
    }();
    return thresholds;
}

uint8_t nf4Encode(float x)
{
    // Binary search over the sorted thresholds: the result counts the thresholds below x, so a
    // value equal to a threshold stays at the lower code.
    const auto& t = nf4Thresholds();
    int q = 0;
    q += x > t[static_cast<size_t>(q + 7)] ? 8 : 0;
    q += x > t[static_cast<size_t>(q + 3)] ? 4 : 0;
    q += x > t[static_cast<size_t>(q + 1)] ? 2 : 0;
    q += x > t[static_cast<size_t>(q)] ? 1 : 0;
    return static_cast<uint8_t>(q);
}

Expected<Nf4Data> nf4Quantize(std::span<const float> values, int64_t blocksize)
{
    return nf4Quantize(values, blocksize, CancelToken {});
}

Expected<Nf4Data> nf4Quantize(std::span<const float> values, int64_t blocksize, const CancelToken& cancel)
{
    if (auto s = checkBlocksize(blocksize); !s)
        return s.error();
    return quantize(
        static_cast<int64_t>(values.size()), blocksize, [&](int64_t i) { return values[static_cast<size_t>(i)]; },
        &cancel);
}

Expected<Nf4Data> nf4QuantizeRaw(const std::byte* data, int64_t count, DType dtype, int64_t blocksize)
{
    if (auto s = checkBlocksize(blocksize); !s)
        return s.error();
    if (dtype != DType::F32 && dtype != DType::F16 && dtype != DType::BF16)
        return makeError("NF4 quantization needs F32, F16 or BF16 input, got " + std::string(dtypeName(dtype)));
    if (count < 0)
        return makeError("NF4 quantization: negative element count");
    return quantize(count, blocksize, [&](int64_t i) { return readElement(data, dtype, i); });
}

void nf4Dequantize(std::span<const uint8_t> packed, std::span<const float> absmax, int64_t blocksize,
                   std::span<float> out)
{
    const int64_t n = static_cast<int64_t>(out.size());
    for (int64_t k = 0; k < n; ++k)
        out[static_cast<size_t>(k)] = kNf4Code[nf4CodeAt(packed, k)] * absmax[static_cast<size_t>(k / blocksize)];
}

std::vector<float> nf4Dequantize(const Nf4Data& data)
{
    std::vector<float> out(static_cast<size_t>(data.numel));
    nf4Dequantize(data.packed, data.absmax, data.blocksize, out);
    return out;
}

} // namespace ts
