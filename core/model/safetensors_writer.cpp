// safetensors writer (see safetensors_writer.h).
#include "model/safetensors_writer.h"

#include <bit>
#include <cstring>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

namespace ts {

namespace {

// The JSON header, space-padded to a multiple of 8 bytes; `total` receives the buffer size.
std::string headerText(const std::vector<TensorData>& tensors, const std::map<std::string, std::string>& metadata,
                       uint64_t& total)
{
    // nlohmann::ordered_json keeps the tensors in the caller's order in the header.
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    nlohmann::ordered_json meta = nlohmann::ordered_json::object();
    meta["format"] = "pt";
    for (const auto& [k, v] : metadata)
        meta[k] = v;
    header["__metadata__"] = meta;
    uint64_t offset = 0;
    for (const auto& t : tensors) {
        header[t.name] = {{"dtype", std::string(dtypeName(t.dtype))},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + t.data.size()}}};
        offset += t.data.size();
    }
    total = offset;
    std::string text = header.dump();
    while (text.size() % 8 != 0)
        text.push_back(' ');

    return text;
}

} // namespace

std::vector<std::byte> serializeSafetensors(const std::vector<TensorData>& tensors,
                                            const std::map<std::string, std::string>& metadata)
{
    uint64_t offset = 0;
    std::string text = headerText(tensors, metadata, offset);
    std::vector<std::byte> out;
    out.reserve(8 + text.size() + offset);
    uint64_t n = text.size();
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<std::byte>((n >> (8 * i)) & 0xff));
    for (char c : text)
        out.push_back(static_cast<std::byte>(c));
    for (const auto& t : tensors)
        out.insert(out.end(), t.data.begin(), t.data.end());
    return out;
}

Status writeSafetensors(const std::filesystem::path& path, const std::vector<TensorData>& tensors,
                        const std::map<std::string, std::string>& metadata)
{
    std::set<std::string> names;
    for (const auto& t : tensors) {
        if (t.name == "__metadata__" || !names.insert(t.name).second)
            return makeError(path.string() + ": duplicate or reserved tensor name '" + t.name + "'");
        int64_t numel = 1;
        for (auto d : t.shape)
            numel *= d;
        if (static_cast<size_t>(numel) * dtypeSize(t.dtype) != t.data.size())
            return makeError(path.string() + ": tensor '" + t.name + "' has " + std::to_string(t.data.size())
                             + " bytes, its shape and dtype need "
                             + std::to_string(static_cast<size_t>(numel) * dtypeSize(t.dtype)));
    }
    // Streams the file rather than building the image, so large models are not held twice.
    uint64_t offset = 0;
    std::string text = headerText(tensors, metadata, offset);

    std::filesystem::path tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            return makeError(tmp.string() + ": cannot create");
        char len[8];
        uint64_t n = text.size();
        for (int i = 0; i < 8; ++i)
            len[i] = static_cast<char>((n >> (8 * i)) & 0xff);
        out.write(len, 8);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        for (const auto& t : tensors)
            out.write(reinterpret_cast<const char*>(t.data.data()), static_cast<std::streamsize>(t.data.size()));
        out.flush();
        if (!out)
            return makeError(tmp.string() + ": write failed (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec)
        return makeError(path.string() + ": cannot rename the temporary file: " + ec.message());
    return {};
}

uint16_t floatToHalf(float value)
{
    uint32_t x = std::bit_cast<uint32_t>(value);
    uint32_t sign = (x >> 16) & 0x8000u;
    uint32_t exp = (x >> 23) & 0xffu;
    uint32_t mant = x & 0x7fffffu;
    if (exp == 0xff) // inf / nan
        return static_cast<uint16_t>(sign | 0x7c00u | (mant ? 0x200u : 0u));
    int e = static_cast<int>(exp) - 127 + 15;
    if (e >= 31)
        return static_cast<uint16_t>(sign | 0x7c00u); // overflow → inf
    if (e <= 0) {
        if (e < -10)
            return static_cast<uint16_t>(sign); // underflow → ±0
        mant |= 0x800000u; // implicit bit
        int shift = 14 - e; // 24-bit mantissa down to (10 + e) bits
        uint32_t half = mant >> shift;
        uint32_t rem = mant & ((1u << shift) - 1);
        uint32_t halfway = 1u << (shift - 1);
        if (rem > halfway || (rem == halfway && (half & 1u)))
            ++half;
        return static_cast<uint16_t>(sign | half);
    }
    uint32_t half = (static_cast<uint32_t>(e) << 10) | (mant >> 13);
    uint32_t rem = mant & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (half & 1u)))
        ++half; // may carry into the exponent, which is the correct rounding (up to inf)
    return static_cast<uint16_t>(sign | half);
}

float halfToFloat(uint16_t h)
{
    uint32_t sign = (static_cast<uint32_t>(h) & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu;
    uint32_t mant = h & 0x3ffu;
    uint32_t x;
    if (exp == 0) {
        if (mant == 0) {
            x = sign;
        } else { // subnormal: normalise
            int e = -1;
            do {
                ++e;
                mant <<= 1;
            } while ((mant & 0x400u) == 0);
            x = sign | (static_cast<uint32_t>(127 - 15 - e) << 23) | ((mant & 0x3ffu) << 13);
        }
    } else if (exp == 31) {
        x = sign | 0x7f800000u | (mant << 13);
    } else {
        x = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    return std::bit_cast<float>(x);
}

uint16_t floatToBfloat16(float value)
{
    uint32_t x = std::bit_cast<uint32_t>(value);
    if ((x & 0x7fffffffu) > 0x7f800000u)
        return static_cast<uint16_t>((x >> 16) | 0x40u); // quiet nan
    uint32_t rounding = 0x7fffu + ((x >> 16) & 1u);
    return static_cast<uint16_t>((x + rounding) >> 16);
}

float bfloat16ToFloat(uint16_t value)
{
    return std::bit_cast<float>(static_cast<uint32_t>(value) << 16);
}

TensorData makeTensor(std::string name, std::vector<int64_t> shape, const std::vector<float>& values, DType dtype)
{
    TensorData t;
    t.name = std::move(name);
    t.shape = std::move(shape);
    t.dtype = dtype;
    t.data.resize(values.size() * dtypeSize(dtype));
    if (dtype == DType::F32) {
        std::memcpy(t.data.data(), values.data(), t.data.size());
    } else if (dtype == DType::F16 || dtype == DType::BF16) {
        for (size_t i = 0; i < values.size(); ++i) {
            uint16_t v = dtype == DType::F16 ? floatToHalf(values[i]) : floatToBfloat16(values[i]);
            t.data[2 * i] = static_cast<std::byte>(v & 0xff);
            t.data[2 * i + 1] = static_cast<std::byte>(v >> 8);
        }
    } else {
        t.data.clear(); // only float dtypes are produced from floats
        t.shape = {0};
    }
    return t;
}

} // namespace ts
