// GGUF v3 writer: typed key/value metadata, tensor infos in ggml dimension order, aligned streamed tensor data.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/cancel.h"
#include "common/expected.h"
#include "common/progress.h"
#include "export/gguf_quant.h"

namespace ts::gguf {

inline constexpr uint32_t kGgufVersion = 3;
inline constexpr uint32_t kDefaultAlignment = 32;

// GGUF metadata value types (gguf_type in ggml).
enum class ValueType : uint32_t {
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12,
};

// Receives one tensor's bytes in order; the writer checks the total against the declared size.
class TensorSink
{
public:
    virtual ~TensorSink() = default;
    virtual Status write(const void* data, size_t bytes) = 0;
};

// Produces one tensor's data into the sink (called once, while the file is being written).
using TensorProducer = std::function<Status(TensorSink& sink)>;

class GgufWriter
{
public:
    explicit GgufWriter(uint32_t alignment = kDefaultAlignment); // power of two; written as general.alignment

    // Metadata. Setting a key again replaces its value and keeps its position.
    void setU8(std::string_view key, uint8_t value);
    void setI8(std::string_view key, int8_t value);
    void setU16(std::string_view key, uint16_t value);
    void setI16(std::string_view key, int16_t value);
    void setU32(std::string_view key, uint32_t value);
    void setI32(std::string_view key, int32_t value);
    void setU64(std::string_view key, uint64_t value);
    void setI64(std::string_view key, int64_t value);
    void setF32(std::string_view key, float value);
    void setF64(std::string_view key, double value);
    void setBool(std::string_view key, bool value);
    void setString(std::string_view key, std::string_view value);
    void setStringArray(std::string_view key, const std::vector<std::string>& values);
    void setF32Array(std::string_view key, const std::vector<float>& values);
    void setI32Array(std::string_view key, const std::vector<int32_t>& values);
    void setU32Array(std::string_view key, const std::vector<uint32_t>& values);
    void setI64Array(std::string_view key, const std::vector<int64_t>& values);
    bool hasKey(std::string_view key) const;
    size_t keyCount() const { return m_kv.size(); }

    // Declares a tensor. `shape` is in PyTorch order (outermost first); it is written reversed (ggml ne[0] is
    // the innermost dimension). Fails on a duplicate or over-long name, more than 4 dims, or a row length that
    // the type cannot hold (Q8_0 needs a multiple of 32).
    Status addTensor(std::string name, std::vector<int64_t> shape, GgmlType type, TensorProducer producer);
    size_t tensorCount() const { return m_tensors.size(); }
    uint64_t dataBytes() const; // tensor data section size including padding

    // Writes the whole file: to a temporary file next to `path`, renamed over it at the end; removed on failure
    // or cancellation. Progress counts tensor data bytes.
    Status write(const std::filesystem::path& path, const CancelToken& cancel, ProgressSink& progress);

private:
    struct Tensor
    {
        std::string name;
        std::vector<int64_t> shape;
        GgmlType type;
        uint64_t bytes = 0;
        uint64_t offset = 0;
        TensorProducer producer;
    };

    void setRaw(std::string_view key, ValueType type, std::string payload);
    std::string headerBytes() const;

    uint32_t m_alignment;
    std::vector<std::pair<std::string, std::string>> m_kv; // key -> serialized (type + value)
    std::vector<Tensor> m_tensors;
};

} // namespace ts::gguf
