// safetensors reader: mmap + a bounds-checked header parser (see safetensors.h).
#include "model/safetensors.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <set>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/json_file.h"

namespace ts {

namespace {

struct DTypeInfo
{
    DType dtype;
    const char* name;
    size_t size;
};

constexpr DTypeInfo kDTypes[] = {
    {DType::Bool, "BOOL", 1}, {DType::U8, "U8", 1},          {DType::I8, "I8", 1},          {DType::I16, "I16", 2},
    {DType::U16, "U16", 2},   {DType::F16, "F16", 2},        {DType::BF16, "BF16", 2},      {DType::I32, "I32", 4},
    {DType::U32, "U32", 4},   {DType::F32, "F32", 4},        {DType::F64, "F64", 8},        {DType::I64, "I64", 8},
    {DType::U64, "U64", 8},   {DType::F8E4M3, "F8_E4M3", 1}, {DType::F8E5M2, "F8_E5M2", 1},
};

std::string quotedName(std::string_view s)
{
    return "'" + std::string(s) + "'";
}

// Reads a non-negative integer that fits in uint64.
bool readUnsigned(const nlohmann::json& v, uint64_t& out)
{
    if (v.is_number_unsigned()) {
        out = v.get<uint64_t>();
        return true;
    }
    if (v.is_number_integer()) {
        auto i = v.get<int64_t>();
        if (i < 0)
            return false;
        out = static_cast<uint64_t>(i);
        return true;
    }
    return false;
}

} // namespace

size_t dtypeSize(DType dtype)
{
    for (const auto& info : kDTypes)
        if (info.dtype == dtype)
            return info.size;
    return 0;
}

std::string_view dtypeName(DType dtype)
{
    for (const auto& info : kDTypes)
        if (info.dtype == dtype)
            return info.name;
    return "?";
}

std::optional<DType> dtypeFromName(std::string_view name)
{
    for (const auto& info : kDTypes)
        if (name == info.name)
            return info.dtype;
    return std::nullopt;
}

int64_t TensorView::numel() const
{
    int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

// ---------------------------------------------------------------------------------------------
// MappedFile

Expected<std::shared_ptr<MappedFile>> MappedFile::open(const std::filesystem::path& path)
{
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return makeError(path.string() + ": cannot open: " + std::strerror(errno));
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return makeError(path.string() + ": not a regular file");
    }
    std::shared_ptr<MappedFile> file(new MappedFile());
    file->m_path = path;
    file->m_size = static_cast<size_t>(st.st_size);
    if (file->m_size > 0) {
        void* p = ::mmap(nullptr, file->m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            int err = errno;
            ::close(fd);
            return makeError(path.string() + ": mmap failed: " + std::strerror(err));
        }
        file->m_data = static_cast<const std::byte*>(p);
    }
    ::close(fd);
    return file;
}

MappedFile::~MappedFile()
{
    if (m_data)
        ::munmap(const_cast<std::byte*>(m_data), m_size);
}

// ---------------------------------------------------------------------------------------------
// SafetensorsFile

Expected<std::shared_ptr<SafetensorsFile>> SafetensorsFile::open(const std::filesystem::path& path)
{
    auto mapped = MappedFile::open(path);
    if (!mapped)
        return mapped.error();
    auto parsed = parse((*mapped)->data(), (*mapped)->size(), path.string());
    if (!parsed)
        return parsed.error();
    (*parsed)->m_file = *mapped;
    return parsed;
}

Expected<std::shared_ptr<SafetensorsFile>> SafetensorsFile::parse(const std::byte* data, size_t size,
                                                                  const std::string& label)
{
    auto fail = [&](const std::string& what) { return makeError(label + ": " + what); };
    if (size < 8)
        return fail("truncated: " + std::to_string(size) + " bytes, too short for the 8-byte header length");
    uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i)
        headerLen = (headerLen << 8) | static_cast<uint8_t>(data[i]);
    if (headerLen > kSafetensorsMaxHeader)
        return fail("header length " + std::to_string(headerLen) + " exceeds the limit of "
                    + std::to_string(kSafetensorsMaxHeader) + " bytes (corrupt or not a safetensors file)");
    if (headerLen < 2)
        return fail("header length " + std::to_string(headerLen) + " is too small for a JSON object");
    if (headerLen > size - 8)
        return fail("truncated: header length " + std::to_string(headerLen) + " but only " + std::to_string(size - 8)
                    + " bytes follow");

    const char* headerText = reinterpret_cast<const char*>(data + 8);
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(headerText, headerText + headerLen);
    } catch (const std::exception& e) {
        return fail(std::string("header is not valid JSON: ") + e.what());
    }
    if (!header.is_object())
        return fail("header JSON must be an object");

    const std::byte* buffer = data + 8 + headerLen;
    const uint64_t bufferSize = size - 8 - headerLen;

    std::shared_ptr<SafetensorsFile> file(new SafetensorsFile());
    file->m_label = label;
    struct Range
    {
        uint64_t begin, end;
        size_t tensor;
    };
    std::vector<Range> ranges;
    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string& name = it.key();
        const auto& entry = it.value();
        if (name == "__metadata__") {
            if (!entry.is_object())
                return fail("__metadata__ must be an object of strings");
            for (auto m = entry.begin(); m != entry.end(); ++m) {
                if (!m.value().is_string())
                    return fail("__metadata__ value " + quotedName(m.key()) + " is not a string");
                file->m_metadata[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        auto tfail = [&](const std::string& what) { return fail("tensor " + quotedName(name) + ": " + what); };
        if (!entry.is_object())
            return tfail("entry must be an object");
        auto dt = entry.find("dtype");
        if (dt == entry.end() || !dt->is_string())
            return tfail("missing string \"dtype\"");
        auto dtype = dtypeFromName(dt->get<std::string>());
        if (!dtype)
            return tfail("unknown dtype " + quotedName(dt->get<std::string>()));
        auto sh = entry.find("shape");
        if (sh == entry.end() || !sh->is_array())
            return tfail("missing array \"shape\"");
        TensorView view;
        view.name = name;
        view.dtype = *dtype;
        uint64_t numel = 1;
        for (const auto& d : *sh) {
            uint64_t dim = 0;
            if (!readUnsigned(d, dim))
                return tfail("shape entries must be non-negative integers");
            if (dim != 0 && numel > std::numeric_limits<uint64_t>::max() / 16 / dim)
                return tfail("shape is too large");
            numel *= dim;
            view.shape.push_back(static_cast<int64_t>(dim));
        }
        auto off = entry.find("data_offsets");
        if (off == entry.end() || !off->is_array() || off->size() != 2)
            return tfail("missing \"data_offsets\" [begin, end]");
        uint64_t begin = 0, end = 0;
        if (!readUnsigned((*off)[0], begin) || !readUnsigned((*off)[1], end))
            return tfail("data_offsets must be non-negative integers");
        if (end < begin)
            return tfail("data_offsets end " + std::to_string(end) + " is before begin " + std::to_string(begin));
        if (end > bufferSize)
            return tfail("data_offsets [" + std::to_string(begin) + ", " + std::to_string(end)
                         + "] run past the data buffer of " + std::to_string(bufferSize) + " bytes (file truncated?)");
        const uint64_t expected = numel * dtypeSize(*dtype);
        if (end - begin != expected)
            return tfail("data_offsets span " + std::to_string(end - begin) + " bytes but dtype "
                         + std::string(dtypeName(*dtype)) + " with " + std::to_string(numel) + " elements needs "
                         + std::to_string(expected));
        view.data = buffer + begin;
        view.bytes = static_cast<size_t>(end - begin);
        ranges.push_back({begin, end, file->m_tensors.size()});
        file->m_tensors.push_back(std::move(view));
    }

    // Tensors must tile the buffer: sorted by offset, each starts where the previous ended.
    std::sort(ranges.begin(), ranges.end(),
              [](const Range& a, const Range& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
    uint64_t cursor = 0;
    for (size_t i = 0; i < ranges.size(); ++i) {
        const auto& r = ranges[i];
        const std::string& name = file->m_tensors[r.tensor].name;
        if (r.begin < cursor)
            return fail("tensor " + quotedName(name) + ": data_offsets [" + std::to_string(r.begin) + ", "
                        + std::to_string(r.end) + "] overlap tensor "
                        + quotedName(file->m_tensors[ranges[i - 1].tensor].name));
        if (r.begin > cursor)
            return fail("tensor " + quotedName(name) + ": gap of " + std::to_string(r.begin - cursor)
                        + " bytes before its data (offsets must cover the buffer)");
        cursor = r.end;
    }
    if (cursor != bufferSize)
        return fail("data buffer has " + std::to_string(bufferSize) + " bytes but the tensors cover "
                    + std::to_string(cursor) + " (trailing bytes)");

    std::vector<TensorView> ordered;
    ordered.reserve(ranges.size());
    for (const auto& r : ranges)
        ordered.push_back(std::move(file->m_tensors[r.tensor]));
    file->m_tensors = std::move(ordered);
    for (size_t i = 0; i < file->m_tensors.size(); ++i)
        file->m_index[file->m_tensors[i].name] = i;
    return file;
}

const TensorView* SafetensorsFile::find(std::string_view name) const
{
    auto it = m_index.find(std::string(name));
    return it == m_index.end() ? nullptr : &m_tensors[it->second];
}

// ---------------------------------------------------------------------------------------------
// SafetensorsModel

Expected<std::shared_ptr<SafetensorsModel>> SafetensorsModel::open(const std::filesystem::path& path)
{
    namespace fs = std::filesystem;
    auto model = std::make_shared<SafetensorsModel>();
    auto addFile = [&](const std::shared_ptr<SafetensorsFile>& file) -> Status {
        for (const auto& t : file->tensors()) {
            if (!model->m_index.emplace(t.name, &t).second)
                return makeError(file->label() + ": tensor " + quotedName(t.name) + " also appears in another shard");
        }
        model->m_files.push_back(file);
        return {};
    };

    std::error_code ec;
    if (fs::is_regular_file(path, ec)) {
        auto file = SafetensorsFile::open(path);
        if (!file)
            return file.error();
        if (auto s = addFile(*file); !s)
            return s.error();
        return model;
    }
    if (!fs::is_directory(path, ec))
        return makeError(path.string() + ": no such file or folder");

    const fs::path indexPath = path / "model.safetensors.index.json";
    if (fs::exists(indexPath, ec)) {
        auto indexJson = readJsonFile(indexPath);
        if (!indexJson)
            return indexJson.error();
        nlohmann::json& index = *indexJson;
        if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
            return makeError(indexPath.string() + ": missing object \"weight_map\"");
        std::map<std::string, std::vector<std::string>> byShard;
        for (auto it = index["weight_map"].begin(); it != index["weight_map"].end(); ++it) {
            if (!it.value().is_string())
                return makeError(indexPath.string() + ": weight_map entry " + quotedName(it.key())
                                 + " is not a string");
            std::string shard = it.value().get<std::string>();
            fs::path rel(shard);
            if (shard.empty() || rel.is_absolute() || rel.has_parent_path() || shard == "." || shard == "..")
                return makeError(indexPath.string() + ": weight_map entry " + quotedName(it.key())
                                 + " names an invalid shard file " + quotedName(shard));
            byShard[shard].push_back(it.key());
        }
        for (const auto& [shard, names] : byShard) {
            auto file = SafetensorsFile::open(path / shard);
            if (!file)
                return file.error();
            for (const auto& name : names)
                if (!(*file)->find(name))
                    return makeError((path / shard).string() + ": tensor " + quotedName(name)
                                     + " listed in model.safetensors.index.json is missing");
            if (auto s = addFile(*file); !s)
                return s.error();
        }
        return model;
    }
    if (fs::exists(path / "model.safetensors", ec)) {
        auto file = SafetensorsFile::open(path / "model.safetensors");
        if (!file)
            return file.error();
        if (auto s = addFile(*file); !s)
            return s.error();
        return model;
    }
    std::vector<fs::path> candidates;
    for (const auto& entry : fs::directory_iterator(path, ec))
        if (entry.path().extension() == ".safetensors")
            candidates.push_back(entry.path());
    if (candidates.size() != 1)
        return makeError(path.string() + ": no model.safetensors or model.safetensors.index.json"
                         + (candidates.empty() ? std::string() : " (and several *.safetensors files)"));
    auto file = SafetensorsFile::open(candidates[0]);
    if (!file)
        return file.error();
    if (auto s = addFile(*file); !s)
        return s.error();
    return model;
}

const TensorView* SafetensorsModel::find(std::string_view name) const
{
    auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : it->second;
}

std::vector<std::string> SafetensorsModel::names() const
{
    std::vector<std::string> out;
    out.reserve(m_index.size());
    for (const auto& [name, view] : m_index)
        out.push_back(name);
    return out;
}

} // namespace ts
