// NF4 codec, bnb's dynamic map, double quantization and bnb 4-bit checkpoint tensors, checked
// against hand-computed cases from bitsandbytes' published tables and algorithms
// (qlora_spec.md §1.1–1.4) rather than against outputs of this code.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include <nlohmann/json.hpp>

#include "model/model_config.h"
#include "model/safetensors.h"
#include "model/safetensors_writer.h"
#include "quant/bnb_checkpoint.h"
#include "quant/double_quant.h"
#include "quant/dynamic_map.h"
#include "quant/nf4.h"
#include "quant/nf4_kernels.h"
#include "test_support.h"

using namespace ts;

namespace {

// bnb's get_4bit_type("nf4") literals, as published.
const double kPublishedNf4[16] = {-1.0,
                                  -0.6961928009986877,
                                  -0.5250730514526367,
                                  -0.39491748809814453,
                                  -0.28444138169288635,
                                  -0.18477343022823334,
                                  -0.09105003625154495,
                                  0.0,
                                  0.07958029955625534,
                                  0.16093020141124725,
                                  0.24611230194568634,
                                  0.33791524171829224,
                                  0.44070982933044434,
                                  0.5626170039176941,
                                  0.7229568362236023,
                                  1.0};

// The thresholds of bnb's CUDA dQuantizeNF4 decision tree (csrc/kernels.cu), ascending.
const double kCudaThresholds[15]
    = {-0.8480964004993439,  -0.6106329262256622,   -0.4599952697753906, -0.33967943489551544, -0.23460740596055984,
       -0.13791173323988914, -0.045525018125772476, 0.03979014977812767, 0.1202552504837513,   0.2035212516784668,
       0.2920137718319893,   0.3893125355243683,    0.5016634166240692,  0.6427869200706482,   0.8614784181118011};

std::vector<uint8_t> codesOf(const Nf4Data& q)
{
    std::vector<uint8_t> codes;
    for (int64_t k = 0; k < q.numel; ++k)
        codes.push_back(nf4CodeAt(q.packed, k));
    return codes;
}

TensorData u8Tensor(std::string name, std::vector<int64_t> shape, const std::vector<uint8_t>& bytes)
{
    TensorData t;
    t.name = std::move(name);
    t.dtype = DType::U8;
    t.shape = std::move(shape);
    for (uint8_t b : bytes)
        t.data.push_back(static_cast<std::byte>(b));
    return t;
}

TensorData textTensor(std::string name, const std::string& text)
{
    return u8Tensor(std::move(name), {static_cast<int64_t>(text.size())},
                    std::vector<uint8_t>(text.begin(), text.end()));
}

std::vector<float> nf4TableVector()
{
    return std::vector<float>(kNf4Code.begin(), kNf4Code.end());
}

// Writes `tensors` to a file and opens it as a checkpoint.
std::shared_ptr<SafetensorsModel> openTensors(const tstest::TempDir& dir, const std::string& file,
                                              const std::vector<TensorData>& tensors)
{
    auto path = dir / file;
    auto written = writeSafetensors(path, tensors);
    EXPECT_TRUE(written) << (written ? "" : written.error().message);
    auto model = SafetensorsModel::open(path);
    EXPECT_TRUE(model) << (model ? "" : model.error().message);
    return model ? *model : nullptr;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// NF4 table and encoder

TEST(Nf4, TableIsThePublishedOneAndExactInFp32)
{
    for (int i = 0; i < 16; ++i) {
        EXPECT_EQ(static_cast<double>(kNf4Code[i]), kPublishedNf4[i]) << i;
        if (i > 0)
            EXPECT_LT(kNf4Code[i - 1], kNf4Code[i]);
    }
}

TEST(Nf4, ThresholdsAreBnbCudaTree)
{
    const auto& t = nf4Thresholds();
    for (int i = 0; i < 15; ++i)
        EXPECT_EQ(t[i], static_cast<float>(kCudaThresholds[i])) << i;
}

TEST(Nf4, EncodeMidpointsTieToLowerCode)
{
    const auto& t = nf4Thresholds();
    for (int i = 0; i < 15; ++i) {
        EXPECT_EQ(nf4Encode(t[i]), i) << "exactly on threshold " << i;
        EXPECT_EQ(nf4Encode(std::nextafter(t[i], 2.0f)), i + 1) << i;
        EXPECT_EQ(nf4Encode(std::nextafter(t[i], -2.0f)), i) << i;
    }
    EXPECT_EQ(nf4Encode(-1.0f), 0);
    EXPECT_EQ(nf4Encode(1.0f), 15);
    EXPECT_EQ(nf4Encode(0.0f), 7);
    EXPECT_EQ(nf4Encode(0.0397f), 7);
    EXPECT_EQ(nf4Encode(0.0398f), 8);
    EXPECT_EQ(nf4Encode(-0.05f), 6);
    EXPECT_EQ(nf4Encode(0.86f), 14);
    EXPECT_EQ(nf4Encode(0.87f), 15);
}

// ---------------------------------------------------------------------------------------------
// Quantize / dequantize

TEST(Nf4, TableEntriesTimesAbsmaxGiveExactCodesAndPacking)
{
    for (float absmax : {2.5f, 0.37f, 1.0f}) {
        SCOPED_TRACE(absmax);
        std::vector<float> values(64);
        for (int k = 0; k < 64; ++k)
            values[k] = kNf4Code[k % 16] * absmax; // contains ±absmax, so the block's absmax is `absmax`
        auto q = nf4Quantize(values);
        ASSERT_TRUE(q) << q.error().message;
        ASSERT_EQ(q->absmax.size(), 1u);
        EXPECT_EQ(q->absmax[0], absmax);
        ASSERT_EQ(q->packed.size(), 32u);
        const uint8_t expectedBytes[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF};
        for (size_t j = 0; j < 32; ++j)
            EXPECT_EQ(q->packed[j], expectedBytes[j % 8]) << j;
        const auto back = nf4Dequantize(*q);
        for (int k = 0; k < 64; ++k)
            EXPECT_EQ(back[k], values[k]) << k;
    }
}

TEST(Nf4, FirstElementGoesToTheHighNibble)
{
    auto q = nf4Quantize(std::vector<float> {1.0f, -1.0f, -1.0f, 1.0f, 0.0f, 0.5f});
    ASSERT_TRUE(q);
    ASSERT_EQ(q->packed.size(), 3u);
    EXPECT_EQ(q->packed[0], 0xF0); // 15, 0
    EXPECT_EQ(q->packed[1], 0x0F); // 0, 15
    EXPECT_EQ(q->packed[2], 0x7C); // 7 (0.0), 12 (0.5 → 0.4407)
    EXPECT_EQ(nf4CodeAt(q->packed, 0), 15);
    EXPECT_EQ(nf4CodeAt(q->packed, 1), 0);
    EXPECT_EQ(nf4CodeAt(q->packed, 5), 12);
}

TEST(Nf4, OddLengthIsPaddedWithTheCodeOfZero)
{
    auto q = nf4Quantize(std::vector<float> {1.0f, -1.0f, 1.0f});
    ASSERT_TRUE(q);
    ASSERT_EQ(q->packed.size(), 2u);
    EXPECT_EQ(q->packed[0], 0xF0);
    // bnb pads the scaled values with 0.0 (default backend: F.pad; CUDA: loads 0 past the end),
    // and 0.0 encodes as 7.
    EXPECT_EQ(q->packed[1], 0xF7);
    const auto back = nf4Dequantize(*q);
    EXPECT_EQ(back, (std::vector<float> {1.0f, -1.0f, 1.0f}));
}

TEST(Nf4, TrailingPartialBlockHasItsOwnAbsmax)
{
    std::vector<float> values(64 + 10);
    for (int k = 0; k < 64; ++k)
        values[k] = (k == 5 ? -4.0f : 0.25f);
    for (int k = 64; k < 74; ++k)
        values[k] = (k == 70 ? 0.5f : 0.0f);
    auto q = nf4Quantize(values);
    ASSERT_TRUE(q);
    ASSERT_EQ(q->absmax.size(), 2u);
    EXPECT_EQ(q->absmax[0], 4.0f);
    EXPECT_EQ(q->absmax[1], 0.5f);
    const auto codes = codesOf(*q);
    EXPECT_EQ(codes[5], 0); // -4 / 4 = -1
    EXPECT_EQ(codes[0], 8); // 0.25 / 4 = 0.0625 → 0.0796 (threshold 0.0398)
    EXPECT_EQ(codes[70], 15); // 0.5 / 0.5 = 1
    EXPECT_EQ(codes[64], 7);
    const auto back = nf4Dequantize(*q);
    EXPECT_EQ(back[0], kNf4Code[8] * 4.0f);
    EXPECT_EQ(back[70], 0.5f);
    EXPECT_EQ(back[71], 0.0f);
}

TEST(Nf4, AllZeroBlockDequantizesToZero)
{
    auto q = nf4Quantize(std::vector<float>(64, 0.0f));
    ASSERT_TRUE(q);
    EXPECT_EQ(q->absmax[0], 0.0f);
    for (uint8_t b : q->packed)
        EXPECT_EQ(b, 0x77);
    for (float v : nf4Dequantize(*q))
        EXPECT_EQ(v, 0.0f);
}

TEST(Nf4, OtherBlocksizesAndInvalidOnes)
{
    std::vector<float> values(300);
    for (size_t k = 0; k < values.size(); ++k)
        values[k] = static_cast<float>(k % 7) - 3.0f + (k == 200 ? 10.0f : 0.0f);
    for (int64_t bs : {32, 128, 256, 4096}) {
        SCOPED_TRACE(bs);
        auto q = nf4Quantize(values, bs);
        ASSERT_TRUE(q);
        EXPECT_EQ(q->absmax.size(), static_cast<size_t>((300 + bs - 1) / bs));
        // Each block's absmax is the max |x| over exactly its own values.
        for (size_t b = 0; b < q->absmax.size(); ++b) {
            float expected = 0;
            for (size_t k = b * bs; k < std::min<size_t>(300, (b + 1) * bs); ++k)
                expected = std::max(expected, std::fabs(values[k]));
            EXPECT_EQ(q->absmax[b], expected) << b;
        }
        const auto back = nf4Dequantize(*q);
        // Values ±absmax and 0 are exact table entries in every block.
        for (size_t k = 0; k < values.size(); ++k)
            if (values[k] == 0.0f || std::fabs(values[k]) == q->absmax[k / bs])
                EXPECT_EQ(back[k], values[k]) << k;
    }
    for (int64_t bs : {0, 16, 100, 8192}) {
        auto q = nf4Quantize(values, bs);
        ASSERT_FALSE(q) << bs;
        EXPECT_NE(q.error().message.find("blocksize"), std::string::npos);
    }
}

TEST(Nf4, RoundTripErrorIsAtMostHalfTheLargestCodeGap)
{
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 0.02f);
    std::vector<float> values(64 * 20 + 33);
    for (auto& v : values)
        v = normal(rng);
    auto q = nf4Quantize(values);
    ASSERT_TRUE(q);
    const auto back = nf4Dequantize(*q);
    double largestGap = 0;
    for (int i = 0; i < 15; ++i)
        largestGap = std::max(largestGap, kPublishedNf4[i + 1] - kPublishedNf4[i]);
    for (size_t k = 0; k < values.size(); ++k) {
        const double absmax = q->absmax[k / 64];
        EXPECT_LE(std::fabs(back[k] - values[k]), absmax * (largestGap / 2 + 1e-6)) << k;
    }
}

TEST(Nf4, HalfAndBfloat16InputsAreWidenedExactly)
{
    std::vector<float> values(130);
    for (size_t k = 0; k < values.size(); ++k)
        values[k] = std::sin(static_cast<float>(k)) * 0.3f;
    for (DType dtype : {DType::F16, DType::BF16}) {
        std::vector<uint16_t> bits;
        std::vector<float> widened;
        for (float v : values) {
            uint16_t b = dtype == DType::F16 ? floatToHalf(v) : floatToBfloat16(v);
            bits.push_back(b);
            widened.push_back(dtype == DType::F16 ? halfToFloat(b) : bfloat16ToFloat(b));
        }
        auto raw = nf4QuantizeRaw(reinterpret_cast<const std::byte*>(bits.data()), 130, dtype);
        auto ref = nf4Quantize(widened);
        ASSERT_TRUE(raw);
        ASSERT_TRUE(ref);
        EXPECT_EQ(raw->packed, ref->packed);
        EXPECT_EQ(raw->absmax, ref->absmax);
    }
    uint8_t bytes[4] = {};
    EXPECT_FALSE(nf4QuantizeRaw(reinterpret_cast<const std::byte*>(bytes), 4, DType::U8));
}

// ---------------------------------------------------------------------------------------------
// Dynamic map (bnb create_dynamic_map(signed=True, max_exponent_bits=7, total_bits=8))

TEST(DynamicMap, ShapeSignAndExtremes)
{
    const auto& map = dynamicMap();
    for (size_t i = 1; i < map.size(); ++i)
        EXPECT_LT(map[i - 1], map[i]) << i; // sorted, no duplicates
    EXPECT_EQ(map[127], 0.0f);
    EXPECT_EQ(map[255], 1.0f);
    // 127 negatives mirror the 127 positives below 1; the most negative entry is −max(<1), not −1.
    for (int j = 0; j < 127; ++j)
        EXPECT_EQ(map[126 - j], -map[128 + j]) << j;
    EXPECT_NEAR(map[0], -0.99296875, 1e-6);
    EXPECT_GT(map[0], -1.0f);
    // Exponent i ∈ [0, 7) contributes 2^i values in (10^(i−7), 10^(i−6)).
    for (int i = 0; i < 7; ++i) {
        int count = 0;
        for (float v : map)
            if (v > std::pow(10.0, i - 7) && v < std::pow(10.0, i - 6))
                ++count;
        EXPECT_EQ(count, 1 << i) << i;
    }
    EXPECT_EQ(createDynamicMap(true, 7, 8), std::vector<float>(map.begin(), map.end()));
}

TEST(DynamicMap, ExactEntriesFromBnbAlgorithm)
{
    const auto& map = dynamicMap();
    // i = 0: linspace(0.1, 1, 2) = [0.1, 1], one mean, times 1e-6 (fp32 products throughout).
    const float mean0 = (0.1f + 1.0f) / 2.0f;
    EXPECT_EQ(map[128], mean0 * static_cast<float>(1e-6));
    EXPECT_NEAR(map[128], 5.5e-7, 1e-13);
    // i = 1: linspace(0.1, 1, 3): step = 0.9 / 2; torch counts the second half back from the end.
    const float step1 = (1.0f - 0.1f) / 2.0f;
    const float b1 = 1.0f - step1 * 1.0f;
    EXPECT_EQ(map[129], ((0.1f + b1) / 2.0f) * static_cast<float>(1e-5));
    EXPECT_EQ(map[130], ((b1 + 1.0f) / 2.0f) * static_cast<float>(1e-5));
    // i = 6: linspace(0.1, 1, 65); the largest entry below 1 is the mean of the last two points.
    const float step6 = (1.0f - 0.1f) / 64.0f;
    EXPECT_EQ(map[254], ((1.0f - step6) + 1.0f) / 2.0f);
    EXPECT_EQ(map[127 - 1], -map[128]);
    // The unsigned variant: 255 positives plus 0, all in [0, 1].
    const auto unsignedMap = createDynamicMap(false, 7, 8);
    ASSERT_EQ(unsignedMap.size(), 256u);
    EXPECT_EQ(unsignedMap[0], 0.0f);
    EXPECT_EQ(unsignedMap[255], 1.0f);
    EXPECT_GT(unsignedMap[1], 0.0f);
}

TEST(DynamicMap, BlockwiseQuantizeIsNearestEntry)
{
    const auto& map = dynamicMap();
    // Map entries times absmax → exact codes; the block contains 1.0 · absmax.
    std::vector<float> values;
    for (int c = 0; c < 256; c += 5)
        values.push_back(map[c] * 0.5f);
    values.push_back(0.5f);
    auto q = quantizeBlockwise8(values, map, 256);
    ASSERT_EQ(q.absmax.size(), 1u);
    EXPECT_EQ(q.absmax[0], 0.5f);
    for (size_t i = 0; i + 1 < values.size(); ++i)
        EXPECT_EQ(static_cast<size_t>(q.codes[i]), i * 5) << i;
    EXPECT_EQ(q.codes.back(), 255);
    // Random values: the chosen entry is the nearest one.
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> r(700);
    for (auto& v : r)
        v = u(rng);
    auto qr = quantizeBlockwise8(r, map, 256);
    ASSERT_EQ(qr.absmax.size(), 3u);
    std::vector<float> back(r.size());
    dequantizeBlockwise8(qr.codes, qr.absmax, map, 256, back);
    for (size_t k = 0; k < r.size(); ++k) {
        const float scaled = std::clamp(r[k] * (1.0f / qr.absmax[k / 256]), -1.0f, 1.0f);
        double best = 1e9;
        for (float m : map)
            best = std::min(best, std::fabs(static_cast<double>(m) - scaled));
        EXPECT_LE(std::fabs(map[qr.codes[k]] - scaled), best + 1e-7) << k;
        EXPECT_EQ(back[k], map[qr.codes[k]] * qr.absmax[k / 256]);
    }
}

// ---------------------------------------------------------------------------------------------
// Double quantization

TEST(DoubleQuant, OffsetIsTheMeanAndRoundTripIsBounded)
{
    std::vector<float> absmax(600);
    for (size_t i = 0; i < absmax.size(); ++i)
        absmax[i] = 0.5f + 0.25f * static_cast<float>(i % 4); // mean exactly 0.875
    const auto dq = doubleQuantize(absmax);
    EXPECT_EQ(dq.offset, 0.875f);
    EXPECT_EQ(dq.codes.size(), 600u);
    ASSERT_EQ(dq.nestedAbsmax.size(), 3u); // ceil(600 / 256)
    for (float n : dq.nestedAbsmax)
        EXPECT_EQ(n, 0.375f); // max |absmax − offset|
    EXPECT_EQ(dq.nestedMap, std::vector<float>(dynamicMap().begin(), dynamicMap().end()));
    const auto back = doubleDequantize(dq);
    for (size_t i = 0; i < absmax.size(); ++i) {
        const float scaled = dq.nestedMap[dq.codes[i]] * dq.nestedAbsmax[i / 256];
        EXPECT_EQ(back[i], scaled + dq.offset) << i;
        // The dynamic map's widest gap is 0.9 / 64 (top decade), so half of it bounds the error.
        EXPECT_LE(std::fabs(back[i] - absmax[i]), 0.375 * 0.9 / 128 + 1e-6) << i;
    }
}

TEST(DoubleQuant, RandomScalesStayClose)
{
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(0.001f, 0.08f);
    std::vector<float> absmax(1000);
    for (auto& a : absmax)
        a = u(rng);
    const auto dq = doubleQuantize(absmax);
    double mean = 0;
    for (float a : absmax)
        mean += a;
    EXPECT_EQ(dq.offset, static_cast<float>(mean / 1000.0));
    const auto back = doubleDequantize(dq);
    for (size_t i = 0; i < absmax.size(); ++i)
        EXPECT_LE(std::fabs(back[i] - absmax[i]), dq.nestedAbsmax[i / 256] * 0.9 / 128 + 1e-7) << i;
}

// ---------------------------------------------------------------------------------------------
// quant_state JSON

TEST(BnbQuantState, PythonFloatRepr)
{
    EXPECT_EQ(pythonFloatRepr(0.1), "0.1");
    EXPECT_EQ(pythonFloatRepr(1e-05), "1e-05");
    EXPECT_EQ(pythonFloatRepr(1.5e-07), "1.5e-07");
    EXPECT_EQ(pythonFloatRepr(0.0001), "0.0001");
    EXPECT_EQ(pythonFloatRepr(123.0), "123.0");
    EXPECT_EQ(pythonFloatRepr(-2.5), "-2.5");
    EXPECT_EQ(pythonFloatRepr(1e16), "1e+16");
    EXPECT_EQ(pythonFloatRepr(1e22), "1e+22");
    EXPECT_EQ(pythonFloatRepr(12345678901234567.0), "1.2345678901234568e+16");
    EXPECT_EQ(pythonFloatRepr(1234567890123456.0), "1234567890123456.0");
    EXPECT_EQ(pythonFloatRepr(0.0), "0.0");
    EXPECT_EQ(pythonFloatRepr(static_cast<double>(0.01234f)), "0.01233999989926815");
}

TEST(BnbQuantState, WritesJsonDumpsFormatAndParsesIt)
{
    BnbQuantState s;
    s.quantType = "nf4";
    s.blocksize = 64;
    s.dtype = "bfloat16";
    s.shape = {4096, 4096};
    s.nestedBlocksize = 256;
    s.nestedDtype = "float32";
    s.nestedOffset = 0.0123;
    const std::string text = bnbQuantStateJson(s);
    EXPECT_EQ(text,
              "{\"quant_type\": \"nf4\", \"blocksize\": 64, \"dtype\": \"bfloat16\", \"shape\": [4096, 4096], "
              "\"nested_blocksize\": 256, \"nested_dtype\": \"float32\", \"nested_offset\": 0.0123}");
    auto p = parseBnbQuantState(text, "qs");
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->quantType, "nf4");
    EXPECT_EQ(p->blocksize, 64);
    EXPECT_EQ(p->dtype, "bfloat16");
    EXPECT_EQ(p->shape, (std::vector<int64_t> {4096, 4096}));
    EXPECT_TRUE(p->nested());
    EXPECT_EQ(*p->nestedOffset, 0.0123);

    auto plain
        = parseBnbQuantState(R"({"quant_type": "fp4", "blocksize": 128, "dtype": "float16", "shape": [3, 5]})", "qs");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->quantType, "fp4");
    EXPECT_FALSE(plain->nested());
}

TEST(BnbQuantState, Errors)
{
    auto expectError = [](const std::string& text, const std::string& needle) {
        auto p = parseBnbQuantState(text, "tensor 'x.quant_state'");
        ASSERT_FALSE(p) << text;
        EXPECT_NE(p.error().message.find(needle), std::string::npos) << p.error().message;
        EXPECT_NE(p.error().message.find("tensor 'x.quant_state'"), std::string::npos);
    };
    expectError("{not json", "invalid JSON");
    expectError("[1]", "object");
    expectError(R"({"blocksize": 64, "dtype": "float16", "shape": [2]})", "quant_type");
    expectError(R"({"quant_type": "int4", "blocksize": 64, "dtype": "float16", "shape": [2]})", "int4");
    expectError(R"({"quant_type": "nf4", "blocksize": 48, "dtype": "float16", "shape": [2]})", "blocksize 48");
    expectError(R"({"quant_type": "nf4", "blocksize": 64, "dtype": "int8", "shape": [2]})", "dtype");
    expectError(R"({"quant_type": "nf4", "blocksize": 64, "dtype": "float16", "shape": [2, 0]})", "shape");
    expectError(R"({"quant_type": "nf4", "blocksize": 64, "dtype": "float16"})", "shape");
    expectError(R"({"quant_type": "nf4", "blocksize": 64, "dtype": "float16", "shape": [2], "extra": 1})", "extra");
    expectError(R"({"quant_type": "nf4", "blocksize": 64, "dtype": "float16", "shape": [2], "nested_offset": 0.5})",
                "nested");
    expectError(R"({"quant_type": "nf4", "blocksize": 64, "dtype": "float16", "shape": [2], "nested_blocksize": 128,
                    "nested_dtype": "float32", "nested_offset": 0.5})",
                "nested_blocksize");
}

// ---------------------------------------------------------------------------------------------
// Checkpoint tensors

// A weight of shape [2, 3] written by hand from the documented layout, without double quant.
TEST(BnbCheckpoint, ReadsHandWrittenLayout)
{
    tstest::TempDir dir;
    const std::string w = "model.layers.0.mlp.up_proj.weight";
    // codes 15, 0, 7, 8, 12, 3 → bytes F0 78 C3 (first element in the high nibble)
    std::vector<TensorData> tensors = {
        u8Tensor(w, {3, 1}, {0xF0, 0x78, 0xC3}),
        makeTensor(w + ".absmax", {1}, {2.0f}, DType::F32),
        makeTensor(w + ".quant_map", {16}, nf4TableVector(), DType::F32),
        textTensor(w + ".quant_state.bitsandbytes__nf4",
                   R"({"quant_type": "nf4", "blocksize": 64, "dtype": "float16", "shape": [2, 3]})"),
        makeTensor("model.norm.weight", {3}, {1, 1, 1}, DType::F32),
    };
    auto model = openTensors(dir, "a.safetensors", tensors);
    ASSERT_TRUE(model);
    EXPECT_TRUE(hasBnbQuantState(*model, w));
    EXPECT_FALSE(hasBnbQuantState(*model, "model.norm.weight"));
    auto r = readBnbNf4Weight(*model, w);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->state.dtype, "float16");
    EXPECT_EQ(r->state.shape, (std::vector<int64_t> {2, 3}));
    EXPECT_EQ(r->numel, 6);
    EXPECT_FALSE(r->state.nested());
    const auto v = r->dequantize();
    const std::vector<float> expected = {2.0f,
                                         -2.0f,
                                         0.0f,
                                         static_cast<float>(0.07958029955625534) * 2.0f,
                                         static_cast<float>(0.44070982933044434) * 2.0f,
                                         static_cast<float>(-0.39491748809814453) * 2.0f};
    EXPECT_EQ(v, expected);
}

// Double quant by hand: the stored nested map is used as is; scale = map[code] · nested + offset.
TEST(BnbCheckpoint, ReadsHandWrittenDoubleQuantLayout)
{
    tstest::TempDir dir;
    const std::string w = "m.weight";
    std::vector<float> nestedMap(256, 0.0f);
    nestedMap[3] = 0.5f;
    nestedMap[9] = -0.25f;
    // 130 values, blocksize 64 → 3 blocks (the last has 2 values): scale codes 3, 9, 3.
    std::vector<uint8_t> packed(65, 0xF0); // every pair: 1.0, -1.0
    std::vector<TensorData> tensors = {
        u8Tensor(w, {65, 1}, packed),
        u8Tensor(w + ".absmax", {3}, {3, 9, 3}),
        makeTensor(w + ".quant_map", {16}, nf4TableVector(), DType::F32),
        makeTensor(w + ".nested_absmax", {1}, {2.0f}, DType::F32),
        makeTensor(w + ".nested_quant_map", {256}, nestedMap, DType::F32),
        textTensor(w + ".quant_state.bitsandbytes__nf4",
                   R"({"quant_type": "nf4", "blocksize": 64, "dtype": "bfloat16", "shape": [10, 13], )"
                   R"("nested_blocksize": 256, "nested_dtype": "float32", "nested_offset": 0.25})"),
    };
    auto model = openTensors(dir, "b.safetensors", tensors);
    ASSERT_TRUE(model);
    auto r = readBnbNf4Weight(*model, w);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->state.nested());
    EXPECT_EQ(r->blockScales(), (std::vector<float> {1.25f, -0.25f, 1.25f})); // 0.5·2+0.25, −0.25·2+0.25
    const auto v = r->dequantize();
    ASSERT_EQ(v.size(), 130u);
    EXPECT_EQ(v[0], 1.25f);
    EXPECT_EQ(v[1], -1.25f);
    EXPECT_EQ(v[64], -0.25f);
    EXPECT_EQ(v[65], 0.25f);
    EXPECT_EQ(v[128], 1.25f);
    EXPECT_EQ(v[129], -1.25f);
}

TEST(BnbCheckpoint, RefusesInconsistentTensorsNamingThem)
{
    const std::string w = "model.layers.1.self_attn.k_proj.weight";
    const std::string qs = R"({"quant_type": "nf4", "blocksize": 64, "dtype": "float16", "shape": [4, 40]})";
    auto base = [&] {
        return std::vector<TensorData> {
            u8Tensor(w, {80, 1}, std::vector<uint8_t>(80, 0x77)),
            makeTensor(w + ".absmax", {3}, {1, 1, 1}, DType::F32),
            makeTensor(w + ".quant_map", {16}, nf4TableVector(), DType::F32),
            textTensor(w + ".quant_state.bitsandbytes__nf4", qs),
        };
    };
    tstest::TempDir dir;
    int file = 0;
    auto check = [&](std::vector<TensorData> tensors, const std::string& needle) {
        auto model = openTensors(dir, std::to_string(file++) + ".safetensors", tensors);
        ASSERT_TRUE(model);
        auto r = readBnbNf4Weight(*model, w);
        ASSERT_FALSE(r) << needle;
        EXPECT_NE(r.error().message.find(needle), std::string::npos) << r.error().message;
    };
    {
        auto model = openTensors(dir, "ok.safetensors", base());
        auto r = readBnbNf4Weight(*model, w);
        ASSERT_TRUE(r) << r.error().message;
        for (float v : r->dequantize())
            EXPECT_EQ(v, 0.0f);
    }
    auto t = base();
    t.pop_back();
    check(t, "exactly one");
    t = base();
    t.push_back(textTensor(w + ".quant_state.bitsandbytes__fp4", qs));
    check(t, "found 2");
    t = base();
    t.back() = textTensor(w + ".quant_state.bitsandbytes__fp4",
                          R"({"quant_type": "fp4", "blocksize": 64, "dtype": "float16", "shape": [4, 40]})");
    check(t, "FP4 weights are unsupported");
    t = base();
    t.back() = textTensor(w + ".quant_state.bitsandbytes__nf4",
                          R"({"quant_type": "fp4", "blocksize": 64, "dtype": "float16", "shape": [4, 40]})");
    check(t, "unsupported");
    t = base();
    t[1] = makeTensor(w + ".absmax", {2}, {1, 1}, DType::F32);
    check(t, "tensor '" + w + ".absmax' has shape [2]");
    t = base();
    t[1] = u8Tensor(w + ".absmax", {3}, {1, 1, 1});
    check(t, "tensor '" + w + ".absmax' has dtype U8");
    t = base();
    t[0] = u8Tensor(w, {79, 1}, std::vector<uint8_t>(79, 0x77));
    check(t, "tensor '" + w + "' holds 79 bytes");
    t = base();
    auto wrongMap = nf4TableVector();
    wrongMap[3] = 0.1f;
    t[2] = makeTensor(w + ".quant_map", {16}, wrongMap, DType::F32);
    check(t, w + ".quant_map' is not the NF4 table");
    t = base();
    t.erase(t.begin() + 2);
    check(t, "checkpoint has no tensor '" + w + ".quant_map'");
    t = base();
    t.push_back(makeTensor(w + ".scales", {1}, {1}, DType::F32));
    check(t, w + ".scales");
    t = base();
    t.push_back(makeTensor(w + ".nested_absmax", {1}, {1}, DType::F32));
    check(t, "nested_absmax");
    t = base();
    t[1] = makeTensor(w + ".absmax", {3}, {1, NAN, 1}, DType::F32);
    check(t, "non-finite");
    t = base();
    t.back() = textTensor(w + ".quant_state.bitsandbytes__nf4",
                          R"({"quant_type": "nf4", "blocksize": 64, "dtype": "float16", "shape": [4, 40], )"
                          R"("nested_blocksize": 256, "nested_dtype": "float32", "nested_offset": 0.5})");
    check(t, "tensor '" + w + ".absmax' has dtype F32, expected U8");
}

TEST(BnbCheckpoint, WriterProducesTheDocumentedLayoutAndReadsBack)
{
    std::vector<float> values(5 * 27); // odd count, 3 blocks with a partial one
    for (size_t k = 0; k < values.size(); ++k)
        values[k] = std::cos(static_cast<float>(k) * 0.7f) * (k < 64 ? 0.05f : 0.2f);
    tstest::TempDir dir;
    for (bool dq : {false, true}) {
        SCOPED_TRACE(dq);
        BnbWriteOptions options;
        options.doubleQuant = dq;
        options.dtype = DType::F16;
        const std::string w = "model.layers.0.self_attn.o_proj.weight";
        auto tensors = makeBnbNf4Tensors(w, values, {5, 27}, options);
        ASSERT_TRUE(tensors) << tensors.error().message;
        const auto q = *nf4Quantize(values);
        // Names, dtypes and shapes in bnb's order.
        std::vector<std::string> names;
        for (const auto& t : *tensors)
            names.push_back(t.name);
        if (dq) {
            EXPECT_EQ(names,
                      (std::vector<std::string> {w, w + ".absmax", w + ".quant_map", w + ".nested_absmax",
                                                 w + ".nested_quant_map", w + ".quant_state.bitsandbytes__nf4"}));
        } else {
            EXPECT_EQ(
                names,
                (std::vector<std::string> {w, w + ".absmax", w + ".quant_map", w + ".quant_state.bitsandbytes__nf4"}));
        }
        const auto& tv = *tensors;
        EXPECT_EQ(tv[0].dtype, DType::U8);
        EXPECT_EQ(tv[0].shape, (std::vector<int64_t> {68, 1}));
        EXPECT_EQ(tv[1].dtype, dq ? DType::U8 : DType::F32);
        EXPECT_EQ(tv[1].shape, (std::vector<int64_t> {3}));
        EXPECT_EQ(tv[2].shape, (std::vector<int64_t> {16}));
        std::string json(reinterpret_cast<const char*>(tv.back().data.data()), tv.back().data.size());
        const auto dqData = doubleQuantize(q.absmax);
        if (dq) {
            EXPECT_EQ(tv[3].shape, (std::vector<int64_t> {1}));
            EXPECT_EQ(tv[4].shape, (std::vector<int64_t> {256}));
            EXPECT_EQ(json,
                      "{\"quant_type\": \"nf4\", \"blocksize\": 64, \"dtype\": \"float16\", \"shape\": [5, 27], "
                      "\"nested_blocksize\": 256, \"nested_dtype\": \"float32\", \"nested_offset\": "
                          + pythonFloatRepr(dqData.offset) + "}");
        } else {
            EXPECT_EQ(json, "{\"quant_type\": \"nf4\", \"blocksize\": 64, \"dtype\": \"float16\", \"shape\": [5, 27]}");
        }
        auto model = openTensors(dir, dq ? "dq.safetensors" : "plain.safetensors", *tensors);
        ASSERT_TRUE(model);
        auto r = readBnbNf4Weight(*model, w);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_EQ(std::vector<uint8_t>(r->packed.begin(), r->packed.end()), q.packed);
        const auto scales = dq ? doubleDequantize(dqData) : q.absmax;
        EXPECT_EQ(r->blockScales(), scales);
        std::vector<float> expected(values.size());
        nf4Dequantize(q.packed, scales, 64, expected);
        EXPECT_EQ(r->dequantize(), expected);
        for (size_t k = 0; k < values.size(); ++k)
            EXPECT_NEAR(expected[k], values[k], 0.2 * 0.17) << k;
    }
    EXPECT_FALSE(makeBnbNf4Tensors("x", values, {5, 26}, {}));
    EXPECT_TRUE(isBnbQuantizedLinearName("model.layers.3.mlp.down_proj.weight"));
    EXPECT_FALSE(isBnbQuantizedLinearName("lm_head.weight"));
    EXPECT_FALSE(isBnbQuantizedLinearName("model.layers.3.mlp.down_proj.bias"));
}

TEST(BnbCheckpoint, QuantizesAWholeCheckpoint)
{
    tstest::TempDir dir;
    std::vector<float> wq(8 * 16), norm(16, 1.0f);
    for (size_t k = 0; k < wq.size(); ++k)
        wq[k] = static_cast<float>(k % 11) * 0.01f - 0.05f;
    auto src = openTensors(dir, "src.safetensors",
                           {makeTensor("model.layers.0.self_attn.q_proj.weight", {8, 16}, wq, DType::BF16),
                            makeTensor("model.norm.weight", {16}, norm, DType::BF16)});
    ASSERT_TRUE(src);
    auto out = bnbQuantizeCheckpoint(*src, [](const std::string& n) { return isBnbQuantizedLinearName(n); }, {});
    ASSERT_TRUE(out) << out.error().message;
    auto model = openTensors(dir, "bnb.safetensors", *out);
    ASSERT_TRUE(model);
    EXPECT_EQ(model->find("model.norm.weight")->dtype, DType::BF16);
    auto r = readBnbNf4Weight(*model, "model.layers.0.self_attn.q_proj.weight");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->state.dtype, "bfloat16");
    EXPECT_TRUE(r->state.nested());
    const TensorView* dense = src->find("model.layers.0.self_attn.q_proj.weight");
    auto direct = nf4QuantizeRaw(dense->data, dense->numel(), DType::BF16);
    ASSERT_TRUE(direct);
    EXPECT_EQ(std::vector<uint8_t>(r->packed.begin(), r->packed.end()), direct->packed);
}

// ---------------------------------------------------------------------------------------------
// config.json quantization_config

TEST(BnbConfig, ParsesQuantizationConfig)
{
    nlohmann::json j = {{"architectures", {"LlamaForCausalLM"}},
                        {"hidden_size", 16},
                        {"intermediate_size", 32},
                        {"num_hidden_layers", 1},
                        {"num_attention_heads", 4},
                        {"vocab_size", 10}};
    auto plain = parseModelConfig(j);
    ASSERT_TRUE(plain);
    EXPECT_FALSE(plain->quantization);
    EXPECT_FALSE(modelConfigToJson(*plain).contains("quantization_config"));

    j["quantization_config"] = {{"quant_method", "bitsandbytes"},
                                {"load_in_4bit", true},
                                {"load_in_8bit", false},
                                {"bnb_4bit_quant_type", "nf4"},
                                {"bnb_4bit_use_double_quant", true},
                                {"bnb_4bit_compute_dtype", "bfloat16"},
                                {"bnb_4bit_quant_storage", "uint8"},
                                {"llm_int8_skip_modules", {"lm_head"}},
                                {"llm_int8_threshold", 6.0}};
    auto c = parseModelConfig(j);
    ASSERT_TRUE(c) << c.error().message;
    ASSERT_TRUE(c->quantization);
    EXPECT_EQ(c->quantization->quantMethod, "bitsandbytes");
    EXPECT_TRUE(c->quantization->loadIn4bit);
    EXPECT_FALSE(c->quantization->loadIn8bit);
    EXPECT_EQ(c->quantization->quantType, "nf4");
    EXPECT_TRUE(c->quantization->useDoubleQuant);
    EXPECT_EQ(c->quantization->computeDtype, "bfloat16");
    EXPECT_EQ(c->quantization->skipModules, (std::vector<std::string> {"lm_head"}));
    auto again = parseModelConfig(modelConfigToJson(*c));
    ASSERT_TRUE(again);
    ASSERT_TRUE(again->quantization);
    EXPECT_EQ(again->quantization->quantType, "nf4");
    EXPECT_TRUE(again->quantization->useDoubleQuant);
    EXPECT_EQ(again->quantization->skipModules, c->quantization->skipModules);

    j["quantization_config"] = {{"quant_method", "gptq"}, {"bits", 4}};
    auto gptq = parseModelConfig(j);
    ASSERT_TRUE(gptq);
    EXPECT_EQ(gptq->quantization->quantMethod, "gptq");
    EXPECT_FALSE(gptq->quantization->loadIn4bit);

    j["quantization_config"] = {{"load_in_4bit", "yes"}};
    auto bad = parseModelConfig(j);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("load_in_4bit"), std::string::npos);
    j["quantization_config"] = 3;
    EXPECT_FALSE(parseModelConfig(j));
}

// The fast CPU dequantization kernel (quant/nf4_kernels.h) against the codec's reference
// dequantization, odd lengths and partial blocks included.
TEST(Nf4Kernels, CpuKernelEqualsTheCodec)
{
    std::mt19937 rng(11);
    std::normal_distribution<float> normal(0.0f, 0.7f);
    for (int64_t n : {1, 2, 63, 64, 65, 1000, 4097}) {
        for (int64_t blocksize : {32, 64, 256}) {
            std::vector<float> values(static_cast<size_t>(n));
            for (auto& v : values)
                v = normal(rng);
            auto q = ts::nf4Quantize(values, blocksize);
            ASSERT_TRUE(q) << q.error().message;
            const auto want = ts::nf4Dequantize(*q);
            std::vector<float> got(static_cast<size_t>(n), -999.0f);
            ts::nf4DequantizeCpu(q->packed.data(), q->absmax.data(), n, blocksize, ts::kNf4Code.data(), got.data());
            ASSERT_EQ(std::memcmp(got.data(), want.data(), got.size() * sizeof(float)), 0)
                << "n=" << n << " blocksize=" << blocksize;
        }
    }
}
