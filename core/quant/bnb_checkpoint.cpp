// bitsandbytes 4-bit checkpoint tensors (see bnb_checkpoint.h).
#include "quant/bnb_checkpoint.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include <nlohmann/json.hpp>

#include "quant/double_quant.h"
#include "quant/dynamic_map.h"
#include "quant/nf4.h"

namespace ts {

namespace {

using json = nlohmann::json;

const char* const kQuantStatePrefix = "quant_state.bitsandbytes__";

// Tensor suffixes (after "<weight>.") that bnb writes.
const char* const kAbsmax = "absmax";
const char* const kQuantMap = "quant_map";
const char* const kNestedAbsmax = "nested_absmax";
const char* const kNestedQuantMap = "nested_quant_map";

std::string shapeText(const std::vector<int64_t>& shape)
{
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::vector<float> readFloats(const TensorView& view)
{
    std::vector<float> out(static_cast<size_t>(view.numel()));
    std::memcpy(out.data(), view.data, out.size() * sizeof(float));
    return out;
}

// The view must exist with dtype F32 / U8 and `count` elements.
Expected<const TensorView*> requireTensor(const SafetensorsModel& checkpoint, const std::string& name, DType dtype,
                                          int64_t count, const std::string& why)
{
    const TensorView* view = checkpoint.find(name);
    if (!view)
        return makeError("checkpoint has no tensor '" + name + "' (" + why + ")");
    if (view->dtype != dtype)
        return makeError("tensor '" + name + "' has dtype " + std::string(dtypeName(view->dtype)) + ", expected "
                         + std::string(dtypeName(dtype)));
    if (view->numel() != count)
        return makeError("tensor '" + name + "' has shape " + shapeText(view->shape) + " ("
                         + std::to_string(view->numel()) + " elements), expected " + std::to_string(count)
                         + " elements");
    return view;
}

Status checkFinite(const std::vector<float>& values, const std::string& name)
{
    for (size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]))
            return makeError("tensor '" + name + "' has a non-finite value at index " + std::to_string(i));
    return {};
}

TensorData bytesTensor(std::string name, DType dtype, std::vector<int64_t> shape, const void* data, size_t bytes)
{
    TensorData t;
    t.name = std::move(name);
    t.dtype = dtype;
    t.shape = std::move(shape);
    t.data.resize(bytes);
    if (bytes)
        std::memcpy(t.data.data(), data, bytes);
    return t;
}

TensorData floatTensor(std::string name, const std::vector<float>& values)
{
    return bytesTensor(std::move(name), DType::F32, {static_cast<int64_t>(values.size())}, values.data(),
                       values.size() * sizeof(float));
}

// The tensors for already quantized data.
std::vector<TensorData> bnbTensors(const std::string& weightName, const Nf4Data& q, const std::vector<int64_t>& shape,
                                   const BnbWriteOptions& options)
{
    std::vector<TensorData> out;
    out.push_back(bytesTensor(weightName, DType::U8, {static_cast<int64_t>(q.packed.size()), 1}, q.packed.data(),
                              q.packed.size()));
    BnbQuantState state;
    state.quantType = "nf4";
    state.blocksize = options.blocksize;
    state.dtype = std::string(torchDtypeName(options.dtype));
    state.shape = shape;
    const std::vector<float> nf4(kNf4Code.begin(), kNf4Code.end());
    if (options.doubleQuant) {
        const auto dq = doubleQuantize(q.absmax);
        out.push_back(bytesTensor(weightName + "." + kAbsmax, DType::U8, {static_cast<int64_t>(dq.codes.size())},
                                  dq.codes.data(), dq.codes.size()));
        out.push_back(floatTensor(weightName + "." + kQuantMap, nf4));
        out.push_back(floatTensor(weightName + "." + kNestedAbsmax, dq.nestedAbsmax));
        out.push_back(floatTensor(weightName + "." + kNestedQuantMap, dq.nestedMap));
        state.nestedBlocksize = dq.nestedBlocksize;
        state.nestedDtype = "float32";
        state.nestedOffset = static_cast<double>(dq.offset);
    } else {
        out.push_back(floatTensor(weightName + "." + kAbsmax, q.absmax));
        out.push_back(floatTensor(weightName + "." + kQuantMap, nf4));
    }
    const std::string text = bnbQuantStateJson(state);
    out.push_back(bytesTensor(weightName + "." + kQuantStatePrefix + "nf4", DType::U8,
                              {static_cast<int64_t>(text.size())}, text.data(), text.size()));
    return out;
}

Expected<int64_t> checkedNumel(const std::vector<int64_t>& shape, const std::string& label)
{
    int64_t n = 1;
    for (int64_t d : shape) {
        if (d <= 0)
            return makeError(label + ": shape " + shapeText(shape) + " has a non-positive dimension");
        if (n > std::numeric_limits<int64_t>::max() / d)
            return makeError(label + ": shape " + shapeText(shape) + " is too large");
        n *= d;
    }
    return n;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// quant_state JSON

std::optional<DType> dtypeFromTorchName(std::string_view name)
{
    if (name == "float32")
        return DType::F32;
    if (name == "float16")
        return DType::F16;
    if (name == "bfloat16")
        return DType::BF16;
    return std::nullopt;
}

std::string_view torchDtypeName(DType dtype)
{
    switch (dtype) {
    case DType::F32:
        return "float32";
    case DType::F16:
        return "float16";
    case DType::BF16:
        return "bfloat16";
    default:
        return "";
    }
}

Expected<BnbQuantState> parseBnbQuantState(std::string_view text, const std::string& label)
{
    json j;
    try {
        j = json::parse(text.begin(), text.end());
    } catch (const std::exception& e) {
        return makeError(label + ": invalid JSON: " + e.what());
    }
    if (!j.is_object())
        return makeError(label + ": must be a JSON object");
    static const char* const kKeys[]
        = {"quant_type", "blocksize", "dtype", "shape", "nested_blocksize", "nested_dtype", "nested_offset"};
    for (const auto& [key, value] : j.items()) {
        bool known = false;
        for (const char* k : kKeys)
            known = known || key == k;
        if (!known)
            return makeError(label + ": unexpected key \"" + key + "\"");
    }
    BnbQuantState s;
    if (!j.contains("quant_type") || !j["quant_type"].is_string())
        return makeError(label + ": \"quant_type\" must be a string");
    s.quantType = j["quant_type"].get<std::string>();
    if (s.quantType != "nf4" && s.quantType != "fp4")
        return makeError(label + ": unknown quant_type '" + s.quantType + "' (bitsandbytes has nf4 and fp4)");
    if (!j.contains("blocksize") || !j["blocksize"].is_number_integer())
        return makeError(label + ": \"blocksize\" must be an integer");
    s.blocksize = j["blocksize"].get<int64_t>();
    if (!isValidBnb4bitBlocksize(s.blocksize))
        return makeError(label + ": blocksize " + std::to_string(s.blocksize)
                         + " is not a bitsandbytes 4-bit blocksize (32, 64, ..., 4096)");
    if (!j.contains("dtype") || !j["dtype"].is_string() || !dtypeFromTorchName(j["dtype"].get<std::string>()))
        return makeError(label + ": \"dtype\" must be \"float32\", \"float16\" or \"bfloat16\"");
    s.dtype = j["dtype"].get<std::string>();
    if (!j.contains("shape") || !j["shape"].is_array() || j["shape"].empty())
        return makeError(label + ": \"shape\" must be a non-empty list of integers");
    for (const auto& d : j["shape"]) {
        if (!d.is_number_integer() || d.get<int64_t>() <= 0)
            return makeError(label + ": \"shape\" must be a list of positive integers");
        s.shape.push_back(d.get<int64_t>());
    }
    if (auto n = checkedNumel(s.shape, label); !n)
        return n.error();
    const int nestedKeys = static_cast<int>(j.contains("nested_blocksize"))
        + static_cast<int>(j.contains("nested_dtype")) + static_cast<int>(j.contains("nested_offset"));
    if (nestedKeys != 0 && nestedKeys != 3)
        return makeError(label + ": double quantization needs all of nested_blocksize, nested_dtype and nested_offset");
    if (nestedKeys == 3) {
        if (!j["nested_blocksize"].is_number_integer() || j["nested_blocksize"].get<int64_t>() != kNestedBlocksize)
            return makeError(label + ": nested_blocksize must be 256 (the only value bitsandbytes writes)");
        if (!j["nested_dtype"].is_string() || j["nested_dtype"].get<std::string>() != "float32")
            return makeError(label + ": nested_dtype must be \"float32\"");
        if (!j["nested_offset"].is_number() || !std::isfinite(j["nested_offset"].get<double>()))
            return makeError(label + ": nested_offset must be a finite number");
        s.nestedBlocksize = j["nested_blocksize"].get<int64_t>();
        s.nestedDtype = j["nested_dtype"].get<std::string>();
        s.nestedOffset = j["nested_offset"].get<double>();
    }
    return s;
}

std::string pythonFloatRepr(double v)
{
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "Infinity" : "-Infinity";
    if (v == 0)
        return std::signbit(v) ? "-0.0" : "0.0";
    // Shortest round-trip digits d1.d2d3…e±X, then Python's layout for repr().
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    const size_t e = sci.find('e');
    std::string mantissa = sci.substr(0, e);
    const int exponent = std::stoi(sci.substr(e + 1));
    std::string sign;
    if (mantissa[0] == '-') {
        sign = "-";
        mantissa.erase(0, 1);
    }
    std::string digits;
    for (char c : mantissa)
        if (c != '.')
            digits += c;
    if (exponent < -4 || exponent >= 16) {
        std::string out = sign + digits.substr(0, 1);
        if (digits.size() > 1)
            out += "." + digits.substr(1);
        const int a = std::abs(exponent);
        return out + "e" + (exponent < 0 ? "-" : "+") + (a < 10 ? "0" : "") + std::to_string(a);
    }
    const int point = exponent + 1; // digits before the decimal point
    if (point <= 0)
        return sign + "0." + std::string(static_cast<size_t>(-point), '0') + digits;
    if (static_cast<size_t>(point) >= digits.size())
        return sign + digits + std::string(static_cast<size_t>(point) - digits.size(), '0') + ".0";
    return sign + digits.substr(0, static_cast<size_t>(point)) + "." + digits.substr(static_cast<size_t>(point));
}

std::string bnbQuantStateJson(const BnbQuantState& s)
{
    std::string out = "{\"quant_type\": " + json(s.quantType).dump() + ", \"blocksize\": " + std::to_string(s.blocksize)
        + ", \"dtype\": " + json(s.dtype).dump() + ", \"shape\": [";
    for (size_t i = 0; i < s.shape.size(); ++i)
        out += (i ? ", " : "") + std::to_string(s.shape[i]);
    out += "]";
    if (s.nested()) {
        out += ", \"nested_blocksize\": " + std::to_string(*s.nestedBlocksize)
            + ", \"nested_dtype\": " + json(s.nestedDtype.value_or("float32")).dump()
            + ", \"nested_offset\": " + pythonFloatRepr(s.nestedOffset.value_or(0.0));
    }
    return out + "}";
}

// ---------------------------------------------------------------------------------------------
// Reading

int64_t BnbNf4Weight::blocks() const
{
    return blockCount(numel, state.blocksize);
}

std::vector<float> BnbNf4Weight::blockScales() const
{
    if (!state.nested())
        return absmax;
    std::vector<float> scales(absmaxCodes.size());
    doubleDequantize(absmaxCodes, nestedAbsmax, nestedMap, offset, *state.nestedBlocksize, scales);
    return scales;
}

std::vector<float> BnbNf4Weight::dequantize() const
{
    std::vector<float> out(static_cast<size_t>(numel));
    const auto scales = blockScales();
    nf4Dequantize(packed, scales, state.blocksize, out);
    return out;
}

bool hasBnbQuantState(const SafetensorsModel& checkpoint, const std::string& weightName)
{
    for (const char* suffix : {kAbsmax, kQuantMap, kNestedAbsmax, kNestedQuantMap, "quant_state.bitsandbytes__nf4",
                               "quant_state.bitsandbytes__fp4"})
        if (checkpoint.find(weightName + "." + suffix))
            return true;
    return false;
}

Expected<BnbNf4Weight> readBnbNf4Weight(const SafetensorsModel& checkpoint, const std::string& weightName)
{
    const std::string prefix = weightName + ".";
    // Companion tensors: only bnb's keys, and exactly one quant_state.
    std::vector<std::string> quantStateKeys;
    for (const auto& name : checkpoint.names()) {
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        const std::string suffix = name.substr(prefix.size());
        if (suffix.rfind("quant_state.", 0) == 0) {
            quantStateKeys.push_back(name);
            continue;
        }
        if (suffix != kAbsmax && suffix != kQuantMap && suffix != kNestedAbsmax && suffix != kNestedQuantMap)
            return makeError("tensor '" + name + "' is not part of a bitsandbytes 4-bit weight (expected " + prefix
                             + "{absmax, quant_map, nested_absmax, nested_quant_map, quant_state.bitsandbytes__nf4})");
    }
    if (quantStateKeys.size() != 1) {
        std::string list;
        for (const auto& k : quantStateKeys)
            list += (list.empty() ? "" : ", ") + k;
        return makeError("weight '" + weightName + "' needs exactly one '" + prefix + kQuantStatePrefix
                         + "{nf4,fp4}' tensor, found " + std::to_string(quantStateKeys.size())
                         + (list.empty() ? "" : " (" + list + ")"));
    }
    const std::string& stateName = quantStateKeys[0];
    const std::string stateSuffix = stateName.substr(prefix.size());
    if (stateSuffix == std::string(kQuantStatePrefix) + "fp4")
        return makeError("tensor '" + stateName + "': bitsandbytes FP4 weights are unsupported (only NF4)");
    if (stateSuffix != std::string(kQuantStatePrefix) + "nf4")
        return makeError("tensor '" + stateName + "': unknown quant_state key (expected " + kQuantStatePrefix + "nf4)");
    const TensorView* stateView = checkpoint.find(stateName);
    if (stateView->dtype != DType::U8 || stateView->shape.size() != 1)
        return makeError("tensor '" + stateName + "' must be a 1-D U8 tensor (UTF-8 JSON bytes)");

    BnbNf4Weight w;
    w.name = weightName;
    auto state = parseBnbQuantState(std::string_view(reinterpret_cast<const char*>(stateView->data), stateView->bytes),
                                    "tensor '" + stateName + "'");
    if (!state)
        return state.error();
    w.state = std::move(*state);
    if (w.state.quantType != "nf4")
        return makeError("tensor '" + stateName + "': quant_type '" + w.state.quantType
                         + "' is unsupported (only nf4), and it disagrees with the key's bitsandbytes__nf4");
    auto numel = checkedNumel(w.state.shape, "tensor '" + stateName + "'");
    if (!numel)
        return numel.error();
    w.numel = *numel;

    const TensorView* packed = checkpoint.find(weightName);
    if (!packed)
        return makeError("checkpoint has no tensor '" + weightName + "' (the packed NF4 codes)");
    const size_t packedBytes = static_cast<size_t>((w.numel + 1) / 2);
    // bnb stores uint8 by default; another quant_storage dtype holds the same bytes.
    if (packed->bytes != packedBytes)
        return makeError("tensor '" + weightName + "' holds " + std::to_string(packed->bytes) + " bytes, but shape "
                         + shapeText(w.state.shape) + " packed two 4-bit codes per byte needs "
                         + std::to_string(packedBytes));
    w.packed = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(packed->data), packedBytes);

    const int64_t blocks = w.blocks();
    const std::string absmaxName = prefix + kAbsmax;
    if (!w.state.nested()) {
        if (checkpoint.find(prefix + kNestedAbsmax) || checkpoint.find(prefix + kNestedQuantMap))
            return makeError("weight '" + weightName
                             + "' has nested_absmax / nested_quant_map tensors but its quant_state "
                               "has no nested_* fields");
        auto view = requireTensor(checkpoint, absmaxName, DType::F32, blocks, "one fp32 scale per block");
        if (!view)
            return view.error();
        w.absmax = readFloats(**view);
        if (auto s = checkFinite(w.absmax, absmaxName); !s)
            return s.error();
    } else {
        auto view = requireTensor(checkpoint, absmaxName, DType::U8, blocks, "one 8-bit scale code per block");
        if (!view)
            return view.error();
        const auto* codes = reinterpret_cast<const uint8_t*>((*view)->data);
        w.absmaxCodes.assign(codes, codes + blocks);
        const int64_t nestedBlocks = blockCount(blocks, *w.state.nestedBlocksize);
        const std::string nestedName = prefix + kNestedAbsmax, mapName = prefix + kNestedQuantMap;
        auto nested = requireTensor(checkpoint, nestedName, DType::F32, nestedBlocks,
                                    "one fp32 scale per 256 blocks, for double quantization");
        if (!nested)
            return nested.error();
        w.nestedAbsmax = readFloats(**nested);
        if (auto s = checkFinite(w.nestedAbsmax, nestedName); !s)
            return s.error();
        auto map = requireTensor(checkpoint, mapName, DType::F32, 256, "the 256-entry dynamic map");
        if (!map)
            return map.error();
        w.nestedMap = readFloats(**map);
        if (auto s = checkFinite(w.nestedMap, mapName); !s)
            return s.error();
        w.offset = static_cast<float>(*w.state.nestedOffset);
    }
    const std::string mapName = prefix + kQuantMap;
    auto quantMap = requireTensor(checkpoint, mapName, DType::F32, 16, "the NF4 code table");
    if (!quantMap)
        return quantMap.error();
    const auto table = readFloats(**quantMap);
    for (size_t i = 0; i < table.size(); ++i)
        if (!(std::fabs(table[i] - kNf4Code[i]) <= 1e-6f))
            return makeError("tensor '" + mapName + "' is not the NF4 table (entry " + std::to_string(i) + " is "
                             + std::to_string(table[i]) + ", NF4 has " + std::to_string(kNf4Code[i]) + ")");
    return w;
}

// ---------------------------------------------------------------------------------------------
// Writing

Expected<std::vector<TensorData>> makeBnbNf4Tensors(const std::string& weightName, std::span<const float> values,
                                                    const std::vector<int64_t>& shape, const BnbWriteOptions& options)
{
    auto numel = checkedNumel(shape, weightName);
    if (!numel)
        return numel.error();
    if (shape.empty() || static_cast<size_t>(*numel) != values.size())
        return makeError(weightName + ": shape " + shapeText(shape) + " does not match " + std::to_string(values.size())
                         + " values");
    if (torchDtypeName(options.dtype).empty())
        return makeError(weightName + ": the quant_state dtype must be F32, F16 or BF16");
    auto q = nf4Quantize(values, options.blocksize);
    if (!q)
        return makeError(weightName + ": " + q.error().message);
    return bnbTensors(weightName, *q, shape, options);
}

Expected<std::vector<TensorData>> makeBnbNf4Tensors(const TensorView& dense, BnbWriteOptions options)
{
    if (dense.shape.empty() || dense.numel() <= 0)
        return makeError("tensor '" + dense.name + "': cannot quantize an empty or scalar tensor");
    options.dtype = dense.dtype;
    if (torchDtypeName(options.dtype).empty())
        return makeError("tensor '" + dense.name + "': NF4 quantization needs F32, F16 or BF16, not "
                         + std::string(dtypeName(dense.dtype)));
    auto q = nf4QuantizeRaw(dense.data, dense.numel(), dense.dtype, options.blocksize);
    if (!q)
        return makeError("tensor '" + dense.name + "': " + q.error().message);
    return bnbTensors(dense.name, *q, dense.shape, options);
}

Expected<std::vector<TensorData>> bnbQuantizeCheckpoint(const SafetensorsModel& checkpoint,
                                                        const std::function<bool(const std::string&)>& quantize,
                                                        const BnbWriteOptions& options)
{
    std::vector<TensorData> out;
    for (const auto& name : checkpoint.names()) {
        const TensorView* view = checkpoint.find(name);
        if (quantize(name)) {
            auto tensors = makeBnbNf4Tensors(*view, options);
            if (!tensors)
                return tensors.error();
            for (auto& t : *tensors)
                out.push_back(std::move(t));
        } else {
            out.push_back(bytesTensor(name, view->dtype, view->shape, view->data, view->bytes));
        }
    }
    return out;
}

bool isBnbQuantizedLinearName(std::string_view name)
{
    for (const char* module : {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"}) {
        const std::string suffix = std::string(".") + module + ".weight";
        if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix)
            return true;
    }
    return false;
}

} // namespace ts
