// bitsandbytes 4-bit weights in a transformers safetensors checkpoint (qlora_spec.md §1.4):
// reading them back (validated) and writing them. Torch-free.
//
// For a linear module M (e.g. "model.layers.0.self_attn.q_proj"), bnb's Linear4bit saves
//   M.weight                                  U8 [(n+1)/2, 1]  packed NF4 codes (nf4.h)
//   M.weight.absmax                           F32 [nblocks]    scales, or U8 [nblocks] with double quant
//   M.weight.quant_map                        F32 [16]         the NF4 table
//   M.weight.nested_absmax                    F32 [ceil(nblocks / 256)]   double quant only
//   M.weight.nested_quant_map                 F32 [256]        double quant only (dynamic map)
//   M.weight.quant_state.bitsandbytes__nf4    U8 [len]         UTF-8 of json.dumps({quant_type,
//        blocksize, dtype, shape[, nested_blocksize, nested_dtype, nested_offset]})
// with n = prod(shape) and nblocks = ceil(n / blocksize). Dequantized values are cast to `dtype`.
// Only NF4 is supported; FP4 checkpoints are refused with a clear error.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"
#include "model/safetensors.h"
#include "model/safetensors_writer.h"

namespace ts {

// The non-tensor part of a bnb QuantState (the JSON dict).
struct BnbQuantState
{
    std::string quantType = "nf4"; // "nf4" ("fp4" parses but is refused by the weight reader)
    int64_t blocksize = 64;
    std::string dtype = "bfloat16"; // "float32", "float16" or "bfloat16": the dequantized dtype
    std::vector<int64_t> shape;
    // Double quantization: all three or none.
    std::optional<int64_t> nestedBlocksize; // 256
    std::optional<std::string> nestedDtype; // "float32"
    std::optional<double> nestedOffset; // mean of the first-level absmax (an fp32 value)

    bool nested() const { return nestedBlocksize.has_value(); }
};

// Parses and validates the JSON text (keys as bnb's QuantState.valid_qs_keys; `label` names the
// tensor in errors).
Expected<BnbQuantState> parseBnbQuantState(std::string_view json, const std::string& label);
// json.dumps of the dict in bnb's key order, with Python's separators and float repr.
std::string bnbQuantStateJson(const BnbQuantState& state);
// Python's repr() of a float (shortest round-trip digits; exponent form below 1e-4 or from 1e16).
std::string pythonFloatRepr(double value);

// "float32" / "float16" / "bfloat16" ↔ F32 / F16 / BF16.
std::optional<DType> dtypeFromTorchName(std::string_view name);
std::string_view torchDtypeName(DType dtype); // "" for other dtypes

// A module's NF4 weight as stored in a checkpoint. `packed` points into the checkpoint mapping
// (keep the SafetensorsModel alive); the small tensors are copied.
struct BnbNf4Weight
{
    std::string name; // the weight tensor, e.g. "model.layers.0.self_attn.q_proj.weight"
    BnbQuantState state;
    int64_t numel = 0;
    std::span<const uint8_t> packed; // (numel + 1) / 2 bytes
    std::vector<float> absmax; // without double quant: one fp32 scale per block
    std::vector<uint8_t> absmaxCodes; // with double quant: one code per block
    std::vector<float> nestedAbsmax; // with double quant
    std::vector<float> nestedMap; // with double quant: 256 entries
    float offset = 0.0f; // with double quant (nested_offset as fp32)

    int64_t blocks() const;
    // The fp32 scale of every block (double quant resolved as bnb does).
    std::vector<float> blockScales() const;
    // The fp32 values (before the cast to state.dtype), numel of them, row-major.
    std::vector<float> dequantize() const;
};

// Whether the checkpoint stores `weightName` in bnb 4-bit form (any bnb companion tensor exists).
bool hasBnbQuantState(const SafetensorsModel& checkpoint, const std::string& weightName);
// Reads and validates every tensor of the weight; errors name the offending tensor.
Expected<BnbNf4Weight> readBnbNf4Weight(const SafetensorsModel& checkpoint, const std::string& weightName);

struct BnbWriteOptions
{
    int64_t blocksize = 64;
    bool doubleQuant = true; // bnb Linear4bit's compress_statistics default
    DType dtype = DType::BF16; // the quant_state dtype (the weight's original dtype)
};

// The tensors bnb would save for `weightName` holding `values` (row-major, prod(shape) of them),
// in bnb's order: weight, absmax, quant_map, [nested_absmax, nested_quant_map], quant_state.
Expected<std::vector<TensorData>> makeBnbNf4Tensors(const std::string& weightName, std::span<const float> values,
                                                    const std::vector<int64_t>& shape, const BnbWriteOptions& options);
// The same from a checkpoint tensor (F32 / F16 / BF16; options.dtype is taken from it).
Expected<std::vector<TensorData>> makeBnbNf4Tensors(const TensorView& dense, BnbWriteOptions options);

// Every tensor of `checkpoint` (sorted by name), those whose name `quantize` accepts replaced by
// their bnb NF4 tensors, the others copied as they are: a bnb-format checkpoint image.
Expected<std::vector<TensorData>> bnbQuantizeCheckpoint(const SafetensorsModel& checkpoint,
                                                        const std::function<bool(const std::string&)>& quantize,
                                                        const BnbWriteOptions& options);

// Linear weights bnb quantizes in a decoder checkpoint (transformers replaces every nn.Linear but
// lm_head): names ending in one of the q/k/v/o/gate/up/down projection weights.
bool isBnbQuantizedLinearName(std::string_view tensorName);

} // namespace ts
