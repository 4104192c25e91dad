// GGUF v3 writer: serializes metadata and tensor infos, then streams each tensor's data with alignment padding.
#include "export/gguf_writer.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>
#include <unistd.h>

namespace ts::gguf {

namespace {

constexpr size_t kMaxTensorName = 63; // GGML_MAX_NAME is 64 including the terminating NUL
constexpr size_t kMaxDims = 4;

template <typename T> void append(std::string& out, T value)
{
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T)); // host is little-endian (checked in gguf_quant.cpp)
    out.append(bytes, sizeof(T));
}

void appendString(std::string& out, std::string_view text)
{
    append<uint64_t>(out, text.size());
    out.append(text.data(), text.size());
}

template <typename T> std::string arrayPayload(ValueType elementType, const std::vector<T>& values)
{
    std::string out;
    append<uint32_t>(out, static_cast<uint32_t>(elementType));
    append<uint64_t>(out, values.size());
    for (const T& v : values)
        append<T>(out, v);
    return out;
}

uint64_t alignUp(uint64_t value, uint64_t alignment)
{
    return (value + alignment - 1) / alignment * alignment;
}

struct FileCloser
{
    void operator()(std::FILE* f) const
    {
        if (f)
            std::fclose(f);
    }
};

class FileSink final : public TensorSink
{
public:
    FileSink(std::FILE* file, const std::filesystem::path& path, const CancelToken& cancel, ProgressSink& progress,
             uint64_t total)
        : m_file(file)
        , m_path(path)
        , m_cancel(cancel)
        , m_progress(progress)
        , m_total(total)
    { }

    void begin(const std::string& tensor, uint64_t expected)
    {
        m_tensor = tensor;
        m_expected = expected;
        m_written = 0;
    }
    uint64_t written() const { return m_written; }
    uint64_t done() const { return m_done; }

    Status write(const void* data, size_t bytes) override
    {
        if (m_cancel.stopRequested())
            return makeError("GGUF export cancelled");
        if (m_written + bytes > m_expected)
            return makeError("tensor " + m_tensor + ": producer wrote more than its " + std::to_string(m_expected)
                             + " bytes");
        if (bytes && std::fwrite(data, 1, bytes, m_file) != bytes)
            return makeError("cannot write " + m_path.string() + ": " + std::strerror(errno));
        m_written += bytes;
        m_done += bytes;
        if (m_done - m_lastReport >= (8u << 20)) {
            m_lastReport = m_done;
            m_progress.report({static_cast<int64_t>(m_done), static_cast<int64_t>(m_total), "writing " + m_tensor});
        }
        return {};
    }

    Status pad(uint64_t bytes)
    {
        static const char zeros[256] = {};
        while (bytes) {
            const size_t n = static_cast<size_t>(std::min<uint64_t>(bytes, sizeof(zeros)));
            if (std::fwrite(zeros, 1, n, m_file) != n)
                return makeError("cannot write " + m_path.string() + ": " + std::strerror(errno));
            bytes -= n;
            m_done += n;
        }
        return {};
    }

private:
    std::FILE* m_file;
    std::filesystem::path m_path;
    const CancelToken& m_cancel;
    ProgressSink& m_progress;
    uint64_t m_total;
    std::string m_tensor;
    uint64_t m_expected = 0;
    uint64_t m_written = 0;
    uint64_t m_done = 0;
    uint64_t m_lastReport = 0;
};

} // namespace

GgufWriter::GgufWriter(uint32_t alignment)
    : m_alignment(alignment && (alignment & (alignment - 1)) == 0 ? alignment : kDefaultAlignment)
{
    setU32("general.alignment", m_alignment);
}

void GgufWriter::setRaw(std::string_view key, ValueType type, std::string payload)
{
    std::string value;
    append<uint32_t>(value, static_cast<uint32_t>(type));
    value += payload;
    for (auto& [k, v] : m_kv) {
        if (k == key) {
            v = std::move(value);
            return;
        }
    }
    m_kv.emplace_back(std::string(key), std::move(value));
}

void GgufWriter::setU8(std::string_view key, uint8_t value)
{
    std::string p;
    append(p, value);
    setRaw(key, ValueType::U8, std::move(p));
}

void GgufWriter::setI8(std::string_view key, int8_t value)
{
    std::string p;
    append(p, value);
    setRaw(key, ValueType::I8, std::move(p));
}

void GgufWriter::setU16(std::string_view key, uint16_t value)
{
    std::string p;
    append(p, value);
    setRaw(key, ValueType::U16, std::move(p));
}

void GgufWriter::setI16(std::string_view key, int16_t value)
{
    std::string p;
    append(p, value);
    setRaw(key, ValueType::I16, std::move(p));
}

void GgufWriter::setU32(std::string_view key, uint32_t value)
{
    std::string p;
    append(p, value);
    setRaw(key, ValueType::U32, std::move(p));
}

void GgufWriter::setI32(std::string_view key, int32_t value)
{
    std::string p;
    append(p, value);
    setRaw(key, ValueType::I32, std::move(p));
}

void GgufWriter::setU64(std::string_view key, uint64_t value)
{
    std::string p;
    append(p, value);
    setRaw(key, ValueType::U64, std::move(p));
}

void GgufWriter::setI64(std::string_view key, int64_t value)
{
    std::string p;
    append(p, value);
    setRaw(key, ValueType::I64, std::move(p));
}

void GgufWriter::setF32(std::string_view key, float value)
{
    std::string p;
    append(p, value);
    setRaw(key, ValueType::F32, std::move(p));
}

void GgufWriter::setF64(std::string_view key, double value)
{
    std::string p;
    append(p, value);
    setRaw(key, ValueType::F64, std::move(p));
}

void GgufWriter::setBool(std::string_view key, bool value)
{
    std::string p;
    append<uint8_t>(p, value ? 1 : 0);
    setRaw(key, ValueType::Bool, std::move(p));
}

void GgufWriter::setString(std::string_view key, std::string_view value)
{
    std::string p;
    appendString(p, value);
    setRaw(key, ValueType::String, std::move(p));
}

void GgufWriter::setStringArray(std::string_view key, const std::vector<std::string>& values)
{
    std::string p;
    append<uint32_t>(p, static_cast<uint32_t>(ValueType::String));
    append<uint64_t>(p, values.size());
    for (const auto& v : values)
        appendString(p, v);
    setRaw(key, ValueType::Array, std::move(p));
}

void GgufWriter::setF32Array(std::string_view key, const std::vector<float>& values)
{
    setRaw(key, ValueType::Array, arrayPayload(ValueType::F32, values));
}

void GgufWriter::setI32Array(std::string_view key, const std::vector<int32_t>& values)
{
    setRaw(key, ValueType::Array, arrayPayload(ValueType::I32, values));
}

void GgufWriter::setU32Array(std::string_view key, const std::vector<uint32_t>& values)
{
    setRaw(key, ValueType::Array, arrayPayload(ValueType::U32, values));
}

void GgufWriter::setI64Array(std::string_view key, const std::vector<int64_t>& values)
{
    setRaw(key, ValueType::Array, arrayPayload(ValueType::I64, values));
}

bool GgufWriter::hasKey(std::string_view key) const
{
    return std::any_of(m_kv.begin(), m_kv.end(), [&](const auto& kv) { return kv.first == key; });
}

Status GgufWriter::addTensor(std::string name, std::vector<int64_t> shape, GgmlType type, TensorProducer producer)
{
    if (name.empty() || name.size() > kMaxTensorName)
        return makeError("GGUF tensor name '" + name + "' must have 1 to " + std::to_string(kMaxTensorName) + " bytes");
    if (shape.empty() || shape.size() > kMaxDims)
        return makeError("GGUF tensor " + name + ": " + std::to_string(shape.size())
                         + " dimensions (1 to 4 supported)");
    for (int64_t d : shape)
        if (d <= 0)
            return makeError("GGUF tensor " + name + ": dimension " + std::to_string(d) + " is not positive");
    for (const auto& t : m_tensors)
        if (t.name == name)
            return makeError("GGUF tensor " + name + " added twice");
    if (type == GgmlType::Q8_0 && shape.back() % kQ8BlockSize != 0)
        return makeError("GGUF tensor " + name + ": row length " + std::to_string(shape.back())
                         + " is not a multiple of 32, required by q8_0");
    int64_t count = 1;
    for (int64_t d : shape)
        count *= d;
    Tensor t;
    t.name = std::move(name);
    t.shape = std::move(shape);
    t.type = type;
    t.bytes = typeBytes(type, count);
    t.offset = m_tensors.empty() ? 0 : alignUp(m_tensors.back().offset + m_tensors.back().bytes, m_alignment);
    t.producer = std::move(producer);
    m_tensors.push_back(std::move(t));
    return {};
}

uint64_t GgufWriter::dataBytes() const
{
    if (m_tensors.empty())
        return 0;
    return alignUp(m_tensors.back().offset + m_tensors.back().bytes, m_alignment);
}

std::string GgufWriter::headerBytes() const
{
    std::string out;
    out.append("GGUF", 4);
    append<uint32_t>(out, kGgufVersion);
    append<uint64_t>(out, m_tensors.size());
    append<uint64_t>(out, m_kv.size());
    for (const auto& [key, value] : m_kv) {
        appendString(out, key);
        out += value;
    }
    for (const auto& t : m_tensors) {
        appendString(out, t.name);
        append<uint32_t>(out, static_cast<uint32_t>(t.shape.size()));
        for (auto it = t.shape.rbegin(); it != t.shape.rend(); ++it)
            append<uint64_t>(out, static_cast<uint64_t>(*it));
        append<uint32_t>(out, static_cast<uint32_t>(t.type));
        append<uint64_t>(out, t.offset);
    }
    out.resize(alignUp(out.size(), m_alignment), '\0');
    return out;
}

Status GgufWriter::write(const std::filesystem::path& path, const CancelToken& cancel, ProgressSink& progress)
{
    std::filesystem::path temp = path;
    temp += ".partial-" + std::to_string(::getpid());
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(temp.c_str(), "wb"));
    if (!file)
        return makeError("cannot create " + temp.string() + ": " + std::strerror(errno));
    auto cleanup = [&](Error error) -> Status {
        file.reset();
        std::error_code ec;
        std::filesystem::remove(temp, ec);
        return error;
    };

    const std::string header = headerBytes();
    if (std::fwrite(header.data(), 1, header.size(), file.get()) != header.size())
        return cleanup(makeError("cannot write " + temp.string() + ": " + std::strerror(errno)));

    const uint64_t total = dataBytes();
    FileSink sink(file.get(), temp, cancel, progress, total);
    progress.report({0, static_cast<int64_t>(total), "writing tensors"});
    for (const auto& t : m_tensors) {
        if (cancel.stopRequested())
            return cleanup(makeError("GGUF export cancelled"));
        if (sink.done() != t.offset) // padding before this tensor
            if (auto st = sink.pad(t.offset - sink.done()); !st)
                return cleanup(st.error());
        sink.begin(t.name, t.bytes);
        if (auto st = t.producer(sink); !st)
            return cleanup(st.error());
        if (sink.written() != t.bytes)
            return cleanup(makeError("tensor " + t.name + ": producer wrote " + std::to_string(sink.written())
                                     + " bytes, expected " + std::to_string(t.bytes)));
    }
    if (auto st = sink.pad(total - sink.done()); !st)
        return cleanup(st.error());
    if (std::fclose(file.release()) != 0)
        return cleanup(makeError("cannot write " + temp.string() + ": " + std::strerror(errno)));
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec)
        return cleanup(makeError("cannot rename " + temp.string() + " to " + path.string() + ": " + ec.message()));
    progress.report({static_cast<int64_t>(total), static_cast<int64_t>(total), "done"});
    return {};
}

} // namespace ts::gguf
