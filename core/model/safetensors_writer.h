// safetensors writer: named tensors → one .safetensors file. The JSON header is padded with spaces
// to a multiple of 8 bytes and carries {"__metadata__": {"format": "pt"}} like transformers writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/expected.h"
#include "model/safetensors.h"

namespace ts {

// One tensor to write; `data` holds exactly numel * dtypeSize(dtype) little-endian bytes.
struct TensorData
{
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    std::vector<std::byte> data;
};

// Writes tensors in the given order (names must be unique). `metadata` is merged over
// {"format": "pt"}. Writes to a temporary file next to `path` and renames it into place.
Status writeSafetensors(const std::filesystem::path& path, const std::vector<TensorData>& tensors,
                        const std::map<std::string, std::string>& metadata = {});

// The whole file image in memory (used by writeSafetensors and tests).
std::vector<std::byte> serializeSafetensors(const std::vector<TensorData>& tensors,
                                            const std::map<std::string, std::string>& metadata = {});

// Float conversions used when writing F16/BF16 tensors (round to nearest even).
uint16_t floatToHalf(float value);
float halfToFloat(uint16_t value);
uint16_t floatToBfloat16(float value);
float bfloat16ToFloat(uint16_t value);

// float values → a TensorData in F32, F16 or BF16.
TensorData makeTensor(std::string name, std::vector<int64_t> shape, const std::vector<float>& values, DType dtype);

} // namespace ts
