// Element conversions for GGUF export: F32/F16/BF16 sources to F32, F16, BF16 and Q8_0 rows (ggml layouts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ts::gguf {

// ggml tensor types written by the exporter (values are ggml's enum ggml_type).
enum class GgmlType : uint32_t { F32 = 0, F16 = 1, Q8_0 = 8, BF16 = 30 };

// Element types a source checkpoint may hold.
enum class SourceType { F32, F16, BF16 };

inline constexpr int64_t kQ8BlockSize = 32; // elements per Q8_0 block
inline constexpr size_t kQ8BlockBytes = 34; // fp16 scale + 32 int8

std::string_view ggmlTypeName(GgmlType type); // "f32", "f16", "bf16", "q8_0"
std::optional<GgmlType> ggmlTypeFromName(std::string_view name); // case-insensitive

// IEEE binary16 with round-to-nearest-even; subnormals kept, overflow to inf, NaN stays NaN (quiet).
uint16_t f32ToF16(float value);
float f16ToF32(uint16_t bits);
// bfloat16 with round-to-nearest-even (as ggml: NaN is made quiet, no flush of subnormals).
uint16_t f32ToBf16(float value);
float bf16ToF32(uint16_t bits);

// Decodes `count` little-endian source elements into floats.
void toF32(SourceType type, const std::byte* src, size_t count, float* dst);

// Bytes taken by `count` elements of `type` (Q8_0 needs count % 32 == 0).
size_t typeBytes(GgmlType type, int64_t count);
// Encodes `count` floats as `type` into dst (typeBytes(type, count) bytes). Q8_0 follows ggml's reference
// quantize_row_q8_0: per block d = amax / 127 stored as fp16, q = roundf(x * (1 / d)) (halves away from zero).
void encodeRow(GgmlType type, const float* src, int64_t count, std::byte* dst);

} // namespace ts::gguf
