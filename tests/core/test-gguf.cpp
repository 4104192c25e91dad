// GGUF export: writer layout read back by an independent minimal reader, f16/bf16/q8_0 encodings, q/k order.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <sstream>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "export/gguf_export.h"
#include "export/gguf_quant.h"
#include "export/gguf_writer.h"
#include "model/model_config.h"
#include "model/safetensors_writer.h"
#include "test_support.h"

using namespace ts;
using namespace ts::gguf;

namespace {

// ---- A minimal GGUF reader written from the format description, independent of the writer. ----

struct Value
{
    uint32_t type = 0;
    uint64_t u = 0; // unsigned / bool
    int64_t i = 0; // signed
    double f = 0; // f32 / f64
    std::string s;
    uint32_t elementType = 0;
    std::vector<Value> array;
};

struct TensorInfo
{
    std::string name;
    std::vector<uint64_t> ne;
    uint32_t type = 0;
    uint64_t offset = 0;
};

struct ParsedGguf
{
    uint32_t version = 0;
    std::vector<std::pair<std::string, Value>> kv;
    std::vector<TensorInfo> tensors;
    uint64_t dataStart = 0;
    std::string bytes;

    const Value& at(const std::string& key) const
    {
        for (const auto& [k, v] : kv)
            if (k == key)
                return v;
        throw std::runtime_error("no key " + key);
    }
    bool has(const std::string& key) const
    {
        for (const auto& [k, v] : kv)
            if (k == key)
                return true;
        return false;
    }
    const TensorInfo* tensor(const std::string& name) const
    {
        for (const auto& t : tensors)
            if (t.name == name)
                return &t;
        return nullptr;
    }
    const char* data(const TensorInfo& t) const { return bytes.data() + dataStart + t.offset; }
};

class Cursor
{
public:
    explicit Cursor(const std::string& b)
        : m_b(b)
    { }
    template <typename T> T get()
    {
        if (m_pos + sizeof(T) > m_b.size())
            throw std::runtime_error("truncated");
        T v;
        std::memcpy(&v, m_b.data() + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return v;
    }
    std::string str()
    {
        const auto n = get<uint64_t>();
        if (m_pos + n > m_b.size())
            throw std::runtime_error("truncated string");
        std::string s = m_b.substr(m_pos, n);
        m_pos += n;
        return s;
    }
    Value value(uint32_t type)
    {
        Value v;
        v.type = type;
        switch (type) {
        case 0:
            v.u = get<uint8_t>();
            break;
        case 1:
            v.i = get<int8_t>();
            break;
        case 2:
            v.u = get<uint16_t>();
            break;
        case 3:
            v.i = get<int16_t>();
            break;
        case 4:
            v.u = get<uint32_t>();
            break;
        case 5:
            v.i = get<int32_t>();
            break;
        case 6:
            v.f = get<float>();
            break;
        case 7:
            v.u = get<uint8_t>();
            break;
        case 8:
            v.s = str();
            break;
        case 9: {
            v.elementType = get<uint32_t>();
            const auto n = get<uint64_t>();
            for (uint64_t k = 0; k < n; ++k)
                v.array.push_back(value(v.elementType));
            break;
        }
        case 10:
            v.u = get<uint64_t>();
            break;
        case 11:
            v.i = get<int64_t>();
            break;
        case 12:
            v.f = get<double>();
            break;
        default:
            throw std::runtime_error("bad value type " + std::to_string(type));
        }
        return v;
    }
    size_t pos() const { return m_pos; }

private:
    const std::string& m_b;
    size_t m_pos = 0;
};

ParsedGguf readGguf(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    ParsedGguf g;
    g.bytes = ss.str();
    Cursor c(g.bytes);
    if (g.bytes.substr(0, 4) != "GGUF")
        throw std::runtime_error("bad magic");
    c.get<uint32_t>();
    g.version = c.get<uint32_t>();
    const auto tensorCount = c.get<uint64_t>();
    const auto kvCount = c.get<uint64_t>();
    for (uint64_t k = 0; k < kvCount; ++k) {
        std::string key = c.str();
        const auto type = c.get<uint32_t>();
        g.kv.emplace_back(std::move(key), c.value(type));
    }
    for (uint64_t k = 0; k < tensorCount; ++k) {
        TensorInfo t;
        t.name = c.str();
        const auto dims = c.get<uint32_t>();
        for (uint32_t d = 0; d < dims; ++d)
            t.ne.push_back(c.get<uint64_t>());
        t.type = c.get<uint32_t>();
        t.offset = c.get<uint64_t>();
        g.tensors.push_back(std::move(t));
    }
    uint64_t alignment = 32;
    if (g.has("general.alignment"))
        alignment = g.at("general.alignment").u;
    g.dataStart = (c.pos() + alignment - 1) / alignment * alignment;
    return g;
}

float readF32(const char* p)
{
    float v;
    std::memcpy(&v, p, 4);
    return v;
}

uint16_t readU16(const char* p)
{
    uint16_t v;
    std::memcpy(&v, p, 2);
    return v;
}

float bitsToFloat(uint32_t bits)
{
    return std::bit_cast<float>(bits);
}

// Producer writing a fixed byte image.
TensorProducer bytesProducer(std::vector<std::byte> data)
{
    return [data = std::move(data)](TensorSink& sink) { return sink.write(data.data(), data.size()); };
}

std::vector<std::byte> floatBytes(const std::vector<float>& v)
{
    std::vector<std::byte> out(v.size() * 4);
    std::memcpy(out.data(), v.data(), out.size());
    return out;
}

} // namespace

// ---------------------------------------------------------------------------------------------------------------
// Writer

TEST(GgufWriter, RoundTripsMetadataTensorInfosAndAlignedData)
{
    tstest::TempDir dir;
    GgufWriter w;
    w.setU8("t.u8", 200);
    w.setI8("t.i8", -100);
    w.setU16("t.u16", 60000);
    w.setI16("t.i16", -30000);
    w.setU32("t.u32", 4000000000u);
    w.setI32("t.i32", -2000000000);
    w.setU64("t.u64", 1ull << 40);
    w.setI64("t.i64", -(1ll << 40));
    w.setF32("t.f32", 0.25f);
    w.setF64("t.f64", -1.5);
    w.setBool("t.bool", true);
    w.setString("t.str", "h\xC3\xA9llo");
    w.setStringArray("t.strs", {"a", "", "b c"});
    w.setF32Array("t.f32s", {1.0f, -2.5f});
    w.setI32Array("t.i32s", {3, -4, 5});
    w.setU32("t.u32", 7); // replaced in place

    const std::vector<float> a = {1, 2, 3, 4, 5, 6}; // torch shape [2, 3]
    ASSERT_TRUE(w.addTensor("a", {2, 3}, GgmlType::F32, bytesProducer(floatBytes(a))));
    ASSERT_TRUE(w.addTensor("b", {5}, GgmlType::F16, [](TensorSink& sink) {
        std::vector<uint16_t> h = {0x3C00, 0x4000, 0x4200, 0x4400, 0x4500};
        return sink.write(h.data(), h.size() * 2);
    }));
    ASSERT_TRUE(w.addTensor("c", {1, 64}, GgmlType::Q8_0, [](TensorSink& sink) {
        std::vector<std::byte> q(68, std::byte {1});
        return sink.write(q.data(), q.size());
    }));
    EXPECT_FALSE(w.addTensor("a", {1}, GgmlType::F32, bytesProducer({}))); // duplicate
    EXPECT_FALSE(w.addTensor("bad", {3, 33}, GgmlType::Q8_0, bytesProducer({}))); // not a multiple of 32
    EXPECT_FALSE(w.addTensor(std::string(64, 'x'), {1}, GgmlType::F32, bytesProducer({}))); // name too long
    EXPECT_FALSE(w.addTensor("five", {1, 1, 1, 1, 1}, GgmlType::F32, bytesProducer({})));

    const auto path = dir / "t.gguf";
    CancelToken cancel;
    NullProgress progress;
    ASSERT_TRUE(w.write(path, cancel, progress));
    EXPECT_FALSE(std::filesystem::exists(dir / ("t.gguf.partial-" + std::to_string(::getpid()))));

    const ParsedGguf g = readGguf(path);
    EXPECT_EQ(g.version, 3u);
    ASSERT_EQ(g.kv.size(), 16u);
    EXPECT_EQ(g.kv[0].first, "general.alignment");
    EXPECT_EQ(g.at("general.alignment").type, 4u);
    EXPECT_EQ(g.at("general.alignment").u, 32u);
    EXPECT_EQ(g.at("t.u8").type, 0u);
    EXPECT_EQ(g.at("t.u8").u, 200u);
    EXPECT_EQ(g.at("t.i8").i, -100);
    EXPECT_EQ(g.at("t.u16").u, 60000u);
    EXPECT_EQ(g.at("t.i16").i, -30000);
    EXPECT_EQ(g.kv[5].first, "t.u32"); // kept its position when replaced
    EXPECT_EQ(g.at("t.u32").u, 7u);
    EXPECT_EQ(g.at("t.i32").type, 5u);
    EXPECT_EQ(g.at("t.i32").i, -2000000000);
    EXPECT_EQ(g.at("t.u64").type, 10u);
    EXPECT_EQ(g.at("t.u64").u, 1ull << 40);
    EXPECT_EQ(g.at("t.i64").i, -(1ll << 40));
    EXPECT_EQ(g.at("t.f32").type, 6u);
    EXPECT_EQ(g.at("t.f32").f, 0.25);
    EXPECT_EQ(g.at("t.f64").type, 12u);
    EXPECT_EQ(g.at("t.f64").f, -1.5);
    EXPECT_EQ(g.at("t.bool").type, 7u);
    EXPECT_EQ(g.at("t.bool").u, 1u);
    EXPECT_EQ(g.at("t.str").s, "h\xC3\xA9llo");
    const Value& strs = g.at("t.strs");
    EXPECT_EQ(strs.type, 9u);
    EXPECT_EQ(strs.elementType, 8u);
    ASSERT_EQ(strs.array.size(), 3u);
    EXPECT_EQ(strs.array[2].s, "b c");
    EXPECT_EQ(g.at("t.f32s").elementType, 6u);
    EXPECT_EQ(g.at("t.f32s").array[1].f, -2.5);
    EXPECT_EQ(g.at("t.i32s").elementType, 5u);
    EXPECT_EQ(g.at("t.i32s").array[1].i, -4);

    ASSERT_EQ(g.tensors.size(), 3u);
    EXPECT_EQ(g.dataStart % 32, 0u);
    const TensorInfo& ta = g.tensors[0];
    EXPECT_EQ(ta.name, "a");
    EXPECT_EQ(ta.ne, (std::vector<uint64_t> {3, 2})); // reversed: ne[0] is the row length
    EXPECT_EQ(ta.type, 0u);
    EXPECT_EQ(ta.offset, 0u);
    for (size_t k = 0; k < a.size(); ++k)
        EXPECT_EQ(readF32(g.data(ta) + 4 * k), a[k]);
    const TensorInfo& tb = g.tensors[1];
    EXPECT_EQ(tb.ne, (std::vector<uint64_t> {5}));
    EXPECT_EQ(tb.type, 1u);
    EXPECT_EQ(tb.offset, 32u); // 24 bytes of "a", padded to 32
    EXPECT_EQ(readU16(g.data(tb) + 6), 0x4400);
    const TensorInfo& tc = g.tensors[2];
    EXPECT_EQ(tc.ne, (std::vector<uint64_t> {64, 1}));
    EXPECT_EQ(tc.type, 8u);
    EXPECT_EQ(tc.offset, 64u); // 10 bytes of "b", padded
    EXPECT_EQ(g.bytes.size(), g.dataStart + 64 + 96); // 68 bytes padded to 96
    EXPECT_EQ(g.bytes[g.dataStart + 24], '\0'); // padding is zeros
}

TEST(GgufWriter, RejectsShortProducerAndLeavesNoFile)
{
    tstest::TempDir dir;
    GgufWriter w;
    ASSERT_TRUE(w.addTensor("a", {4}, GgmlType::F32, bytesProducer(floatBytes({1, 2, 3}))));
    CancelToken cancel;
    NullProgress progress;
    auto st = w.write(dir / "x.gguf", cancel, progress);
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().message.find("tensor a"), std::string::npos);
    EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(GgufWriter, CancelRemovesTemporaryFile)
{
    tstest::TempDir dir;
    GgufWriter w;
    CancelToken cancel;
    ASSERT_TRUE(w.addTensor("a", {4}, GgmlType::F32, [cancel](TensorSink& sink) {
        cancel.requestStop();
        const float v[4] = {};
        return sink.write(v, sizeof(v));
    }));
    NullProgress progress;
    EXPECT_FALSE(w.write(dir / "x.gguf", cancel, progress));
    EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

// ---------------------------------------------------------------------------------------------------------------
// Conversions

TEST(GgufQuant, F16RoundsToNearestEven)
{
    EXPECT_EQ(f32ToF16(0.0f), 0x0000);
    EXPECT_EQ(f32ToF16(-0.0f), 0x8000);
    EXPECT_EQ(f32ToF16(1.0f), 0x3C00);
    EXPECT_EQ(f32ToF16(-2.0f), 0xC000);
    EXPECT_EQ(f32ToF16(0.333251953125f), 0x3555); // exactly representable
    EXPECT_EQ(f32ToF16(65504.0f), 0x7BFF); // largest finite
    EXPECT_EQ(f32ToF16(65519.0f), 0x7BFF); // below the midpoint to 65536
    EXPECT_EQ(f32ToF16(65520.0f), 0x7C00); // midpoint: 0x7BFF is odd, rounds up to inf
    EXPECT_EQ(f32ToF16(1e9f), 0x7C00);
    // Ties between 1 and 1 + 2^-10: 1 + 2^-11 goes to the even 1.0; 1 + 3*2^-11 goes up to the even 0x3C02.
    EXPECT_EQ(f32ToF16(1.0f + std::ldexp(1.0f, -11)), 0x3C00);
    EXPECT_EQ(f32ToF16(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3C02);
    EXPECT_EQ(f32ToF16(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20)), 0x3C01); // above the tie
    // Subnormals: 2^-24 is the smallest; 2^-25 is a tie with zero (even); 3*2^-25 is a tie between 1 and 2 ulps.
    EXPECT_EQ(f32ToF16(std::ldexp(1.0f, -24)), 0x0001);
    EXPECT_EQ(f32ToF16(std::ldexp(1.0f, -25)), 0x0000);
    EXPECT_EQ(f32ToF16(std::ldexp(1.5f, -25)), 0x0001);
    EXPECT_EQ(f32ToF16(std::ldexp(3.0f, -25)), 0x0002);
    EXPECT_EQ(f32ToF16(-std::ldexp(5.0f, -25)), 0x8002); // 2.5 ulps: tie to even 2
    EXPECT_EQ(f32ToF16(std::ldexp(1023.0f, -24)), 0x03FF); // largest subnormal
    EXPECT_EQ(f32ToF16(std::ldexp(1023.5f, -24)), 0x0400); // tie rounds up into the smallest normal
    EXPECT_EQ(f32ToF16(std::ldexp(1.0f, -14)), 0x0400);
    EXPECT_EQ(f32ToF16(std::ldexp(1.0f, -30)), 0x0000);
    // Inf and NaN.
    EXPECT_EQ(f32ToF16(std::numeric_limits<float>::infinity()), 0x7C00);
    EXPECT_EQ(f32ToF16(-std::numeric_limits<float>::infinity()), 0xFC00);
    const uint16_t nan = f32ToF16(std::numeric_limits<float>::quiet_NaN());
    EXPECT_EQ(nan & 0x7C00, 0x7C00);
    EXPECT_NE(nan & 0x03FF, 0);
    EXPECT_NE(f32ToF16(bitsToFloat(0x7F800001u)) & 0x03FF, 0); // a signalling NaN stays NaN
    EXPECT_TRUE(std::isnan(f16ToF32(0x7E00)));

    // Every non-NaN half round-trips through float.
    for (uint32_t h = 0; h < 0x10000; ++h) {
        if ((h & 0x7C00) == 0x7C00 && (h & 0x03FF))
            continue;
        ASSERT_EQ(f32ToF16(f16ToF32(static_cast<uint16_t>(h))), h) << h;
    }
    EXPECT_EQ(f16ToF32(0x0001), std::ldexp(1.0f, -24));
    EXPECT_EQ(f16ToF32(0x8001), -std::ldexp(1.0f, -24));
    EXPECT_EQ(f16ToF32(0x3555), 0.333251953125f);
}

TEST(GgufQuant, Bf16RoundsToNearestEven)
{
    EXPECT_EQ(f32ToBf16(1.0f), 0x3F80);
    EXPECT_EQ(f32ToBf16(-2.0f), 0xC000);
    EXPECT_EQ(f32ToBf16(bitsToFloat(0x3F808000u)), 0x3F80); // tie, even stays
    EXPECT_EQ(f32ToBf16(bitsToFloat(0x3F818000u)), 0x3F82); // tie, odd rounds up
    EXPECT_EQ(f32ToBf16(bitsToFloat(0x3F808001u)), 0x3F81); // above the tie
    EXPECT_EQ(f32ToBf16(bitsToFloat(0x3F807FFFu)), 0x3F80);
    EXPECT_EQ(f32ToBf16(bitsToFloat(0x00018000u)), 0x0002); // subnormals are rounded, not flushed
    EXPECT_EQ(f32ToBf16(bitsToFloat(0x7F7FFFFFu)), 0x7F80); // max float rounds to inf
    EXPECT_EQ(f32ToBf16(std::numeric_limits<float>::infinity()), 0x7F80);
    EXPECT_EQ(f32ToBf16(bitsToFloat(0x7F800001u)), 0x7FC0); // signalling NaN becomes quiet NaN
    EXPECT_EQ(bf16ToF32(0x3F82), bitsToFloat(0x3F820000u));
}

TEST(GgufQuant, Q8BlockMatchesReferenceRounding)
{
    // amax 127 → d = 1, so q = roundf(x): halves round away from zero (2.5 → 3, -2.5 → -3), unlike RNE.
    std::vector<float> x(32, 0.0f);
    x[0] = 127.0f;
    x[1] = 2.5f;
    x[2] = -2.5f;
    x[3] = 0.5f;
    x[4] = -0.49f;
    x[5] = 100.4f;
    x[6] = -127.0f;
    std::vector<std::byte> out(kQ8BlockBytes);
    encodeRow(GgmlType::Q8_0, x.data(), 32, out.data());
    EXPECT_EQ(readU16(reinterpret_cast<const char*>(out.data())), 0x3C00); // d = 1.0 in fp16
    auto q = [&](int j) { return static_cast<int8_t>(out[2 + j]); };
    EXPECT_EQ(q(0), 127);
    EXPECT_EQ(q(1), 3);
    EXPECT_EQ(q(2), -3);
    EXPECT_EQ(q(3), 1);
    EXPECT_EQ(q(4), 0);
    EXPECT_EQ(q(5), 100);
    EXPECT_EQ(q(6), -127);
    EXPECT_EQ(q(31), 0);

    // x_j = (j - 16) / 2: amax 8 (at j = 0), d = 8/127, 1/d = 15.875; scale stored as fp16(0.0629921...) = 0x2C08.
    for (int j = 0; j < 32; ++j)
        x[j] = static_cast<float>(j - 16) * 0.5f;
    encodeRow(GgmlType::Q8_0, x.data(), 32, out.data());
    EXPECT_EQ(readU16(reinterpret_cast<const char*>(out.data())), f32ToF16(8.0f / 127.0f));
    EXPECT_EQ(readU16(reinterpret_cast<const char*>(out.data())), 0x2C08);
    EXPECT_EQ(q(0), -127); // -8 * 15.875
    EXPECT_EQ(q(16), 0);
    EXPECT_EQ(q(17), 8); // 0.5 * 15.875 = 7.9375
    EXPECT_EQ(q(18), 16); // 15.875
    EXPECT_EQ(q(31), 119); // 7.5 * 15.875 = 119.0625

    // An all-zero block: d = 0, all q = 0.
    std::vector<float> zeros(64, 0.0f);
    std::vector<std::byte> two(2 * kQ8BlockBytes, std::byte {0xAB});
    encodeRow(GgmlType::Q8_0, zeros.data(), 64, two.data());
    for (auto b : two)
        EXPECT_EQ(b, std::byte {0});
    EXPECT_EQ(typeBytes(GgmlType::Q8_0, 64), 68u);
}

TEST(GgufQuant, SourceDecodingAndTypeNames)
{
    const uint16_t src[3] = {0x3C00, 0xC000, 0x0001};
    float out[3];
    toF32(SourceType::F16, reinterpret_cast<const std::byte*>(src), 3, out);
    EXPECT_EQ(out[0], 1.0f);
    EXPECT_EQ(out[1], -2.0f);
    EXPECT_EQ(out[2], std::ldexp(1.0f, -24));
    const uint16_t bsrc[2] = {0x3F80, 0xC040};
    toF32(SourceType::BF16, reinterpret_cast<const std::byte*>(bsrc), 2, out);
    EXPECT_EQ(out[0], 1.0f);
    EXPECT_EQ(out[1], -3.0f);
    EXPECT_EQ(ggmlTypeFromName("Q8_0"), GgmlType::Q8_0);
    EXPECT_EQ(ggmlTypeFromName("bf16"), GgmlType::BF16);
    EXPECT_FALSE(ggmlTypeFromName("q4_0"));
}

// ---------------------------------------------------------------------------------------------------------------
// Q/K permutation and rope factors

TEST(GgufPermutation, LlamaQkRowOrderInterleavesHalves)
{
    // 2 heads of dim 4. HF rows per head: [x0, x1 | y0, y1] (rotate-half pairs are (x_i, y_i)).
    // llama.cpp wants consecutive pairs: [x0, y0, x1, y1].
    EXPECT_EQ(llamaQkRowOrder(2, 4), (std::vector<int64_t> {0, 2, 1, 3, 4, 6, 5, 7}));
    // head dim 6: [0,1,2 | 3,4,5] → [0,3,1,4,2,5]
    EXPECT_EQ(llamaQkRowOrder(1, 6), (std::vector<int64_t> {0, 3, 1, 4, 2, 5}));
}

TEST(GgufPermutation, Llama3RopeFactors)
{
    // theta 500000, head dim 8: inv_freq = 500000^(-i/8) for i = 0, 2, 4, 6.
    const auto f = llama3RopeFactors(500000.0, 8, 8.0, 1.0, 4.0, 8192);
    ASSERT_EQ(f.size(), 4u);
    EXPECT_EQ(f[0], 1.0f); // wavelen 2π < 8192/4
    EXPECT_EQ(f[1], 1.0f); // 2π·500000^0.25 ≈ 167 < 2048
    // i = 4: wavelen = 2π·500000^0.5 ≈ 4442.9, between 2048 and 8192: smooth = (8192/4442.9 − 1)/3 ≈ 0.28128,
    // factor = 1/((1 − s)/8 + s) ≈ 2.6945.
    const double wavelen = 2 * std::numbers::pi * std::sqrt(500000.0);
    const double s = (8192.0 / wavelen - 1.0) / 3.0;
    EXPECT_NEAR(f[2], 1.0 / ((1 - s) / 8 + s), 1e-5);
    EXPECT_NEAR(f[2], 2.6945, 1e-3);
    EXPECT_EQ(f[3], 8.0f); // 2π·500000^0.75 ≈ 1.18e5 > 8192
}

// ---------------------------------------------------------------------------------------------------------------
// Whole export of a tiny hand-made model

namespace {

void writeText(const std::filesystem::path& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

// A SentencePiece-style tokenizer.json with 8 tokens.
const char* kTinySpmTokenizer = R"({
  "version": "1.0",
  "added_tokens": [
    {"id": 0, "content": "<unk>", "special": true},
    {"id": 1, "content": "<s>", "special": true},
    {"id": 2, "content": "</s>", "special": true}
  ],
  "normalizer": {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "\u2581"},
                 {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]},
  "pre_tokenizer": null,
  "post_processor": {"type": "TemplateProcessing",
                     "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                                {"Sequence": {"id": "A", "type_id": 0}}]},
  "model": {"type": "BPE", "unk_token": "<unk>", "byte_fallback": true,
            "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "<0x41>": 3, "\u2581": 4, "a": 5, "\u2581a": 6, "aa": 7},
            "merges": ["\u2581 a", "a a"]}
})";

struct TinyModel
{
    ModelConfig config;
    std::vector<float> q; // [heads*headDim, hidden]
    std::vector<float> k;
};

TinyModel writeTinyLlama(const std::filesystem::path& dir, bool tied, DType dtype)
{
    std::filesystem::create_directories(dir);
    TinyModel m;
    ModelConfig& c = m.config;
    c.arch = ModelArch::Llama;
    c.hiddenSize = 32;
    c.intermediateSize = 64;
    c.numLayers = 1;
    c.numHeads = 2;
    c.numKvHeads = 1;
    c.headDim = 16;
    c.vocabSize = 10; // 2 more rows than the tokenizer: padded with [PADn]
    c.tieWordEmbeddings = tied;
    c.bosTokenIds = {1};
    c.eosTokenIds = {2};
    writeText(dir / "config.json", modelConfigToJson(c).dump());
    writeText(dir / "tokenizer.json", kTinySpmTokenizer);
    writeText(dir / "tokenizer_config.json", R"({"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
        "chat_template": "{{ messages }}"})");
    auto values = [](int64_t n, float base) {
        std::vector<float> v(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i)
            v[i] = base + static_cast<float>(i) * 0.001f;
        return v;
    };
    const int64_t C = c.hiddenSize, F = c.intermediateSize;
    m.q = values(2 * 16 * C, 0.0f);
    m.k = values(16 * C, 1.0f);
    std::vector<TensorData> t;
    t.push_back(makeTensor("model.embed_tokens.weight", {10, C}, values(10 * C, 2.0f), dtype));
    t.push_back(makeTensor("model.norm.weight", {C}, values(C, 1.0f), dtype));
    t.push_back(makeTensor("model.layers.0.input_layernorm.weight", {C}, values(C, 1.0f), dtype));
    t.push_back(makeTensor("model.layers.0.post_attention_layernorm.weight", {C}, values(C, 1.0f), dtype));
    t.push_back(makeTensor("model.layers.0.self_attn.q_proj.weight", {32, C}, m.q, dtype));
    t.push_back(makeTensor("model.layers.0.self_attn.k_proj.weight", {16, C}, m.k, dtype));
    t.push_back(makeTensor("model.layers.0.self_attn.v_proj.weight", {16, C}, values(16 * C, 3.0f), dtype));
    t.push_back(makeTensor("model.layers.0.self_attn.o_proj.weight", {C, 32}, values(32 * C, 4.0f), dtype));
    t.push_back(makeTensor("model.layers.0.mlp.gate_proj.weight", {F, C}, values(F * C, 5.0f), dtype));
    t.push_back(makeTensor("model.layers.0.mlp.up_proj.weight", {F, C}, values(F * C, 6.0f), dtype));
    t.push_back(makeTensor("model.layers.0.mlp.down_proj.weight", {C, F}, values(F * C, 7.0f), dtype));
    if (!tied)
        t.push_back(makeTensor("lm_head.weight", {10, C}, values(10 * C, 8.0f), dtype));
    EXPECT_TRUE(writeSafetensors(dir / "model.safetensors", t));
    return m;
}

} // namespace

TEST(GgufExport, TinyLlamaMetadataNamesAndPermutedRows)
{
    tstest::TempDir dir;
    const TinyModel m = writeTinyLlama(dir / "tiny", false, DType::F32);
    CancelToken cancel;
    NullProgress progress;
    auto info = exportGguf(dir / "tiny", dir / "tiny.gguf", GgufType::F32, cancel, progress);
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info->tensors, 12u);
    EXPECT_EQ(info->bytes, std::filesystem::file_size(dir / "tiny.gguf"));

    const ParsedGguf g = readGguf(dir / "tiny.gguf");
    EXPECT_EQ(g.at("general.architecture").s, "llama");
    EXPECT_EQ(g.at("general.file_type").u, 0u);
    EXPECT_EQ(g.at("llama.embedding_length").type, 4u); // u32
    EXPECT_EQ(g.at("llama.embedding_length").u, 32u);
    EXPECT_EQ(g.at("llama.block_count").u, 1u);
    EXPECT_EQ(g.at("llama.feed_forward_length").u, 64u);
    EXPECT_EQ(g.at("llama.attention.head_count").u, 2u);
    EXPECT_EQ(g.at("llama.attention.head_count_kv").u, 1u);
    EXPECT_EQ(g.at("llama.rope.dimension_count").u, 16u);
    EXPECT_EQ(g.at("llama.rope.freq_base").type, 6u);
    EXPECT_EQ(g.at("llama.attention.layer_norm_rms_epsilon").type, 6u);
    EXPECT_EQ(g.at("llama.context_length").u, static_cast<uint64_t>(m.config.maxPositionEmbeddings));

    // Tokenizer: SentencePiece-style "llama" vocab with types and merge-rank scores, padded to vocab_size.
    EXPECT_EQ(g.at("tokenizer.ggml.model").s, "llama");
    EXPECT_FALSE(g.has("tokenizer.ggml.pre"));
    const auto& tokens = g.at("tokenizer.ggml.tokens").array;
    ASSERT_EQ(tokens.size(), 10u);
    EXPECT_EQ(tokens[6].s,
              "\xE2\x96\x81"
              "a");
    EXPECT_EQ(tokens[8].s, "[PAD8]");
    const auto& types = g.at("tokenizer.ggml.token_type").array;
    EXPECT_EQ(types[0].i, 2); // unknown
    EXPECT_EQ(types[1].i, 3); // control
    EXPECT_EQ(types[3].i, 6); // byte
    EXPECT_EQ(types[5].i, 1); // normal
    EXPECT_EQ(types[9].i, 5); // unused padding
    const auto& scores = g.at("tokenizer.ggml.scores").array;
    EXPECT_EQ(scores[6].f, 0.0); // first merge
    EXPECT_EQ(scores[7].f, -1.0); // second merge
    EXPECT_EQ(g.at("tokenizer.ggml.bos_token_id").u, 1u);
    EXPECT_EQ(g.at("tokenizer.ggml.eos_token_id").u, 2u);
    EXPECT_EQ(g.at("tokenizer.ggml.unknown_token_id").u, 0u);
    EXPECT_EQ(g.at("tokenizer.ggml.add_bos_token").u, 1u);
    EXPECT_EQ(g.at("tokenizer.ggml.add_space_prefix").u, 1u); // the Prepend("▁") normalizer
    EXPECT_EQ(g.at("tokenizer.chat_template").s, "{{ messages }}");

    // Tensors: renamed, dims reversed, 1-D kept F32, q and k rows interleaved per head.
    ASSERT_NE(g.tensor("output.weight"), nullptr);
    const TensorInfo* embd = g.tensor("token_embd.weight");
    ASSERT_NE(embd, nullptr);
    EXPECT_EQ(embd->ne, (std::vector<uint64_t> {32, 10}));
    EXPECT_NE(g.tensor("blk.0.ffn_down.weight"), nullptr);
    EXPECT_EQ(g.tensor("blk.0.ffn_down.weight")->ne, (std::vector<uint64_t> {64, 32}));
    for (const auto& t : g.tensors)
        EXPECT_EQ(t.offset % 32, 0u) << t.name;
    const TensorInfo* q = g.tensor("blk.0.attn_q.weight");
    ASSERT_NE(q, nullptr);
    const int64_t C = 32;
    // Output row 1 of head 0 = source row 8 (second half, i = 0); output row 2 = source row 1.
    const int64_t expectedSource[] = {0, 8, 1, 9, 2, 10};
    for (int r = 0; r < 6; ++r)
        for (int64_t col = 0; col < C; ++col)
            ASSERT_EQ(readF32(g.data(*q) + 4 * (r * C + col)), m.q[expectedSource[r] * C + col]) << r;
    // Head 1 starts at row 16: output row 17 = source row 24.
    EXPECT_EQ(readF32(g.data(*q) + 4 * (17 * C)), m.q[24 * C]);
    const TensorInfo* k = g.tensor("blk.0.attn_k.weight");
    EXPECT_EQ(readF32(g.data(*k) + 4 * (1 * C + 3)), m.k[8 * C + 3]);
    EXPECT_EQ(readF32(g.data(*k) + 4 * (15 * C)), m.k[15 * C]);
}

TEST(GgufExport, TiedQ8AndF16Types)
{
    tstest::TempDir dir;
    writeTinyLlama(dir / "tiny", true, DType::BF16);
    CancelToken cancel;
    NullProgress progress;
    auto info = exportGguf(dir / "tiny", dir / "q8.gguf", GgufType::Q8_0, cancel, progress);
    ASSERT_TRUE(info) << info.error().message;
    const ParsedGguf g = readGguf(dir / "q8.gguf");
    EXPECT_EQ(g.tensor("output.weight"), nullptr); // tied
    EXPECT_EQ(g.at("general.file_type").u, 7u);
    EXPECT_EQ(g.at("general.quantization_version").u, 2u);
    EXPECT_EQ(g.tensor("blk.0.attn_q.weight")->type, 8u);
    EXPECT_EQ(g.tensor("blk.0.attn_norm.weight")->type, 0u);
    EXPECT_EQ(g.tensor("token_embd.weight")->type, 8u);

    auto f16 = exportGguf(dir / "tiny", dir / "f16.gguf", GgufType::F16, cancel, progress);
    ASSERT_TRUE(f16);
    const ParsedGguf h = readGguf(dir / "f16.gguf");
    const TensorInfo* v = h.tensor("blk.0.attn_v.weight");
    EXPECT_EQ(v->type, 1u);
    // bf16 source 3.0 (exact) → f16 0x4200.
    EXPECT_EQ(readU16(h.data(*v)), 0x4200);
}

TEST(GgufExport, ClearErrors)
{
    tstest::TempDir dir;
    CancelToken cancel;
    NullProgress progress;
    auto missing = exportGguf(dir / "nope", dir / "x.gguf", GgufType::F32, cancel, progress);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("nope"), std::string::npos);

    writeTinyLlama(dir / "tiny", false, DType::F32);
    std::filesystem::remove(dir / "tiny" / "tokenizer.json");
    auto noTok = exportGguf(dir / "tiny", dir / "x.gguf", GgufType::F32, cancel, progress);
    ASSERT_FALSE(noTok);
    EXPECT_NE(noTok.error().message.find("tokenizer.json"), std::string::npos);

    // A shape that disagrees with config.json names the tensor.
    writeTinyLlama(dir / "bad", false, DType::F32);
    auto j = nlohmann::json::parse(std::ifstream(dir / "bad" / "config.json"));
    j["intermediate_size"] = 96;
    writeText(dir / "bad" / "config.json", j.dump());
    auto bad = exportGguf(dir / "bad", dir / "x.gguf", GgufType::F32, cancel, progress);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("down_proj"), std::string::npos) << bad.error().message;
    EXPECT_FALSE(std::filesystem::exists(dir / "x.gguf"));

    // Untied config without lm_head.weight.
    writeTinyLlama(dir / "untied", true, DType::F32);
    auto u = nlohmann::json::parse(std::ifstream(dir / "untied" / "config.json"));
    u["tie_word_embeddings"] = false;
    writeText(dir / "untied" / "config.json", u.dump());
    auto untied = exportGguf(dir / "untied", dir / "x.gguf", GgufType::F32, cancel, progress);
    ASSERT_FALSE(untied);
    EXPECT_NE(untied.error().message.find("lm_head"), std::string::npos) << untied.error().message;
}
