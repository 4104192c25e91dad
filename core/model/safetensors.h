// safetensors reader: memory-maps a file (no copy) and validates its header before exposing any
// tensor. Format (huggingface/safetensors): u64 LE header length N, N bytes of UTF-8 JSON
// {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}},
// then the byte buffer; offsets are relative to the buffer, end exclusive, tensors row-major and
// little-endian, and together they cover the buffer exactly with no overlap.
// Also reads sharded checkpoints (model.safetensors.index.json with a "weight_map").
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"

namespace ts {

enum class DType { Bool, U8, I8, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64, F8E4M3, F8E5M2 };

size_t dtypeSize(DType dtype); // bytes per element
std::string_view dtypeName(DType dtype); // "F32", "BF16", ... as written in safetensors headers
std::optional<DType> dtypeFromName(std::string_view name);

// One tensor inside a mapped file. `data` points into the mapping and lives as long as the file.
struct TensorView
{
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    const std::byte* data = nullptr;
    size_t bytes = 0;

    int64_t numel() const;
};

// Largest accepted JSON header (the reference implementation's limit).
inline constexpr uint64_t kSafetensorsMaxHeader = 100'000'000;

// A read-only memory mapping of a whole file.
class MappedFile
{
public:
    static Expected<std::shared_ptr<MappedFile>> open(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::byte* data() const { return m_data; }
    size_t size() const { return m_size; }
    const std::filesystem::path& path() const { return m_path; }

private:
    MappedFile() = default;
    std::filesystem::path m_path;
    const std::byte* m_data = nullptr;
    size_t m_size = 0;
};

// One .safetensors file. Tensors are in header order of their data offsets.
class SafetensorsFile
{
public:
    static Expected<std::shared_ptr<SafetensorsFile>> open(const std::filesystem::path& path);
    // Parses an in-memory image (for tests and fuzzing); `label` names it in error messages.
    // The bytes must outlive the returned object.
    static Expected<std::shared_ptr<SafetensorsFile>> parse(const std::byte* data, size_t size,
                                                            const std::string& label);

    const std::vector<TensorView>& tensors() const { return m_tensors; }
    const TensorView* find(std::string_view name) const;
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    const std::string& label() const { return m_label; }

private:
    std::shared_ptr<MappedFile> m_file; // keeps the mapping alive (null for parse())
    std::string m_label;
    std::vector<TensorView> m_tensors;
    std::map<std::string, size_t> m_index;
    std::map<std::string, std::string> m_metadata;
};

// All tensors of a checkpoint: a single file, or a folder with model.safetensors or a sharded
// model.safetensors.index.json. Tensor names must be unique across shards.
class SafetensorsModel
{
public:
    // `path`: a .safetensors file, or a folder holding model.safetensors.index.json or
    // model.safetensors (or exactly one *.safetensors file).
    static Expected<std::shared_ptr<SafetensorsModel>> open(const std::filesystem::path& path);

    const TensorView* find(std::string_view name) const;
    std::vector<std::string> names() const; // sorted
    const std::vector<std::shared_ptr<SafetensorsFile>>& files() const { return m_files; }
    size_t tensorCount() const { return m_index.size(); }

private:
    std::vector<std::shared_ptr<SafetensorsFile>> m_files;
    std::map<std::string, const TensorView*, std::less<>> m_index;
};

} // namespace ts
