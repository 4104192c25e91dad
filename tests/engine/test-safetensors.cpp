// safetensors reader/writer: round trips, sharded folders, and corrupt files with clear errors.
#include <cstring>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model/safetensors.h"
#include "model/safetensors_writer.h"
#include "test_support.h"

namespace {

using ts::DType;

std::vector<std::byte> bytesOf(const std::string& s)
{
    std::vector<std::byte> out(s.size());
    std::memcpy(out.data(), s.data(), s.size());
    return out;
}

// A file image from a raw header text and a buffer of `bufferBytes` zero bytes.
std::vector<std::byte> rawFile(const std::string& header, size_t bufferBytes, uint64_t headerLen = UINT64_MAX)
{
    std::vector<std::byte> out(8);
    uint64_t n = headerLen == UINT64_MAX ? header.size() : headerLen;
    for (int i = 0; i < 8; ++i)
        out[i] = static_cast<std::byte>((n >> (8 * i)) & 0xff);
    auto h = bytesOf(header);
    out.insert(out.end(), h.begin(), h.end());
    out.resize(out.size() + bufferBytes);
    return out;
}

std::string parseError(const std::vector<std::byte>& image)
{
    auto parsed = ts::SafetensorsFile::parse(image.data(), image.size(), "test.safetensors");
    return parsed ? std::string() : parsed.error().message;
}

void writeFile(const std::filesystem::path& path, const std::vector<std::byte>& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

} // namespace

TEST(Safetensors, WriterRoundTripAllFloatTypes)
{
    tstest::TempDir dir;
    std::vector<float> a = {1.0f, -2.5f, 3.25f, 0.0f, 65504.0f, 1e-3f};
    std::vector<ts::TensorData> tensors = {
        ts::makeTensor("a.f32", {2, 3}, a, DType::F32),  ts::makeTensor("a.f16", {3, 2}, a, DType::F16),
        ts::makeTensor("a.bf16", {6}, a, DType::BF16),   ts::makeTensor("scalar", {}, {7.0f}, DType::F32),
        ts::makeTensor("empty", {0, 4}, {}, DType::F32),
    };
    auto path = dir / "model.safetensors";
    ASSERT_TRUE(ts::writeSafetensors(path, tensors, {{"note", "hi"}}));

    // Header: 8-byte aligned, space padded, __metadata__ with format pt.
    std::ifstream in(path, std::ios::binary);
    uint64_t n = 0;
    in.read(reinterpret_cast<char*>(&n), 8);
    EXPECT_EQ(n % 8, 0u);
    std::string header(n, '\0');
    in.read(header.data(), static_cast<std::streamsize>(n));
    auto j = nlohmann::json::parse(header);
    EXPECT_EQ(j["__metadata__"]["format"], "pt");
    EXPECT_EQ(j["__metadata__"]["note"], "hi");

    auto file = ts::SafetensorsFile::open(path);
    ASSERT_TRUE(file) << file.error().message;
    EXPECT_EQ((*file)->tensors().size(), 5u);
    EXPECT_EQ((*file)->metadata().at("format"), "pt");
    const auto* f32 = (*file)->find("a.f32");
    ASSERT_NE(f32, nullptr);
    EXPECT_EQ(f32->dtype, DType::F32);
    EXPECT_EQ(f32->shape, (std::vector<int64_t> {2, 3}));
    EXPECT_EQ(f32->bytes, 24u);
    EXPECT_EQ(std::memcmp(f32->data, a.data(), 24), 0);
    const auto* f16 = (*file)->find("a.f16");
    ASSERT_NE(f16, nullptr);
    const auto* bf16 = (*file)->find("a.bf16");
    ASSERT_NE(bf16, nullptr);
    for (size_t i = 0; i < a.size(); ++i) {
        uint16_t h, b;
        std::memcpy(&h, f16->data + 2 * i, 2);
        std::memcpy(&b, bf16->data + 2 * i, 2);
        EXPECT_NEAR(ts::halfToFloat(h), a[i], std::abs(a[i]) * 1e-3 + 1e-6);
        EXPECT_NEAR(ts::bfloat16ToFloat(b), a[i], std::abs(a[i]) * 1e-2 + 1e-6);
    }
    EXPECT_EQ((*file)->find("scalar")->numel(), 1);
    EXPECT_EQ((*file)->find("empty")->bytes, 0u);
    EXPECT_EQ((*file)->find("missing"), nullptr);

    // In-memory image = file bytes.
    auto image = ts::serializeSafetensors(tensors, {{"note", "hi"}});
    EXPECT_EQ(image.size(), std::filesystem::file_size(path));
}

TEST(Safetensors, HalfConversionRounding)
{
    EXPECT_EQ(ts::floatToHalf(1.0f), 0x3c00);
    EXPECT_EQ(ts::floatToHalf(-2.0f), 0xc000);
    EXPECT_EQ(ts::floatToHalf(65504.0f), 0x7bff);
    EXPECT_EQ(ts::floatToHalf(1e6f), 0x7c00); // overflow → inf
    EXPECT_EQ(ts::floatToHalf(5.9604645e-8f), 0x0001); // smallest subnormal
    EXPECT_FLOAT_EQ(ts::halfToFloat(0x0001), 5.9604645e-8f);
    EXPECT_EQ(ts::floatToHalf(1.0f + 1.0f / 2048), 0x3c00); // tie → even
    EXPECT_EQ(ts::floatToHalf(1.0f + 3.0f / 2048), 0x3c02); // tie → even (up)
    EXPECT_EQ(ts::floatToBfloat16(1.0f), 0x3f80);
    EXPECT_EQ(ts::floatToBfloat16(1.00390625f), 0x3f80); // tie → even
    EXPECT_FLOAT_EQ(ts::bfloat16ToFloat(0x3fc0), 1.5f);
    for (float v : {0.1f, -3.7f, 1234.5f, 6.1e-5f})
        EXPECT_NEAR(ts::halfToFloat(ts::floatToHalf(v)), v, std::abs(v) * 1e-3);
}

TEST(Safetensors, RejectsTruncatedFile)
{
    auto image = ts::serializeSafetensors({ts::makeTensor("w", {4, 4}, std::vector<float>(16, 1.0f), DType::F32)});
    image.resize(image.size() - 5);
    auto error = parseError(image);
    EXPECT_NE(error.find("test.safetensors"), std::string::npos) << error;
    EXPECT_NE(error.find("'w'"), std::string::npos) << error;
    EXPECT_NE(error.find("truncated"), std::string::npos) << error;

    // Shorter than the length prefix, and shorter than the header.
    EXPECT_NE(parseError(std::vector<std::byte>(5)).find("truncated"), std::string::npos);
    auto shortHeader = rawFile("{\"a\": 1}", 0, 400);
    EXPECT_NE(parseError(shortHeader).find("truncated"), std::string::npos) << parseError(shortHeader);

    // A truncated file on disk names the file.
    tstest::TempDir dir;
    writeFile(dir / "cut.safetensors", image);
    auto opened = ts::SafetensorsFile::open(dir / "cut.safetensors");
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("cut.safetensors"), std::string::npos);
}

TEST(Safetensors, RejectsHeaderTooBig)
{
    auto image = rawFile("{}", 0, ts::kSafetensorsMaxHeader + 1);
    auto error = parseError(image);
    EXPECT_NE(error.find("exceeds the limit"), std::string::npos) << error;
}

TEST(Safetensors, RejectsOverlappingOffsets)
{
    auto image = rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                         R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                         12);
    auto error = parseError(image);
    EXPECT_NE(error.find("overlap"), std::string::npos) << error;
    EXPECT_NE(error.find("'b'"), std::string::npos) << error;
}

TEST(Safetensors, RejectsWrongDtypeSize)
{
    auto image = rawFile(R"({"w":{"dtype":"F16","shape":[2,2],"data_offsets":[0,16]}})", 16);
    auto error = parseError(image);
    EXPECT_NE(error.find("'w'"), std::string::npos) << error;
    EXPECT_NE(error.find("needs 8"), std::string::npos) << error;
}

TEST(Safetensors, RejectsMalformedHeaders)
{
    struct Case
    {
        std::string header;
        size_t buffer;
        std::string expected;
    };
    const Case cases[] = {
        {"[1, 2]", 0, "must be an object"},
        {"{\"a\": ", 0, "not valid JSON"},
        {R"({"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}})", 4, "unknown dtype"},
        {R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4, "non-negative"},
        {R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", 4, "before begin"},
        {R"({"w":{"dtype":"F32","shape":[1]}})", 4, "data_offsets"},
        {R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 8, "trailing bytes"},
        {R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8, "gap"},
        {R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"__metadata__":{"x":1}})", 4, "not a string"},
        {R"({"w":"nope"})", 0, "must be an object"},
    };
    for (const auto& c : cases) {
        auto error = parseError(rawFile(c.header, c.buffer));
        EXPECT_NE(error.find(c.expected), std::string::npos) << c.header << " → " << error;
    }
    // Well-formed: zero-sized tensors and unpadded headers are fine.
    EXPECT_EQ(parseError(rawFile(R"({"w":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}})", 0)), "");
}

TEST(Safetensors, ShardedFolder)
{
    tstest::TempDir dir;
    ASSERT_TRUE(
        ts::writeSafetensors(dir / "model-00001-of-00002.safetensors", {ts::makeTensor("a", {2}, {1, 2}, DType::F32)}));
    ASSERT_TRUE(
        ts::writeSafetensors(dir / "model-00002-of-00002.safetensors",
                             {ts::makeTensor("b", {1}, {3}, DType::F32), ts::makeTensor("c", {1}, {4}, DType::BF16)}));
    nlohmann::json index = {{"metadata", {{"total_size", 14}}},
                            {"weight_map",
                             {{"a", "model-00001-of-00002.safetensors"},
                              {"b", "model-00002-of-00002.safetensors"},
                              {"c", "model-00002-of-00002.safetensors"}}}};
    std::ofstream(dir / "model.safetensors.index.json") << index.dump();
    auto model = ts::SafetensorsModel::open(dir.path());
    ASSERT_TRUE(model) << model.error().message;
    EXPECT_EQ((*model)->tensorCount(), 3u);
    EXPECT_EQ((*model)->names(), (std::vector<std::string> {"a", "b", "c"}));
    ASSERT_NE((*model)->find("c"), nullptr);
    EXPECT_EQ((*model)->find("c")->dtype, DType::BF16);

    // A weight_map entry missing from its shard is an error naming both.
    index["weight_map"]["d"] = "model-00001-of-00002.safetensors";
    std::ofstream(dir / "model.safetensors.index.json") << index.dump();
    auto broken = ts::SafetensorsModel::open(dir.path());
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().message.find("'d'"), std::string::npos) << broken.error().message;

    // Shard names may not leave the folder.
    index["weight_map"]["d"] = "../evil.safetensors";
    std::ofstream(dir / "model.safetensors.index.json") << index.dump();
    EXPECT_FALSE(ts::SafetensorsModel::open(dir.path()));
}

TEST(Safetensors, SingleFileFolderAndMissing)
{
    tstest::TempDir dir;
    EXPECT_FALSE(ts::SafetensorsModel::open(dir.path()));
    EXPECT_FALSE(ts::SafetensorsModel::open(dir / "nope"));
    ASSERT_TRUE(ts::writeSafetensors(dir / "model.safetensors", {ts::makeTensor("x", {1}, {1}, DType::F32)}));
    auto model = ts::SafetensorsModel::open(dir.path());
    ASSERT_TRUE(model) << model.error().message;
    EXPECT_NE((*model)->find("x"), nullptr);
}
