// PEFT LoRA adapter files (see peft_adapter.h). Field names and defaults follow peft's LoraConfig
// (src/peft/tuners/lora/config.py, src/peft/config.py); key layout follows src/peft/utils/save_and_load.py.
#include "peft/peft_adapter.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <unistd.h>

#include "common/file_io.h"
#include "common/json_file.h"
#include "model/safetensors_writer.h"

namespace ts {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = "base_model.model.";
constexpr std::string_view kSuffixA = ".lora_A.weight";
constexpr std::string_view kSuffixB = ".lora_B.weight";

std::string lastComponent(const std::string& module)
{
    const size_t dot = module.rfind('.');
    return dot == std::string::npos ? module : module.substr(dot + 1);
}

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string shapeText(const std::vector<int64_t>& shape)
{
    std::string out = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + "]";
}

// fsync a file or a directory (directories: so a rename in them is durable).
Status syncPath(const fs::path& path, bool directory)
{
    const int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
    if (fd < 0)
        return makeError(path.string() + ": cannot open to sync: " + std::strerror(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0 && err != EINVAL) // some filesystems cannot sync directories
        return makeError(path.string() + ": fsync failed: " + std::strerror(err));
    return {};
}

std::string randomSuffix()
{
    std::random_device rd;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
    return buf;
}

// lora_alpha as peft stores it: an int when integral.
nlohmann::json number(double v)
{
    if (std::isfinite(v) && v == std::floor(v) && std::abs(v) < 1e15)
        return static_cast<int64_t>(v);
    return v;
}

std::vector<float> toFloats(const TensorView& t)
{
    const size_t n = static_cast<size_t>(t.numel());
    std::vector<float> out(n);
    for (size_t i = 0; i < n; ++i) {
        if (t.dtype == DType::F32) {
            std::memcpy(&out[i], t.data + 4 * i, 4);
        } else {
            uint16_t h;
            std::memcpy(&h, t.data + 2 * i, 2);
            out[i] = t.dtype == DType::F16 ? halfToFloat(h) : bfloat16ToFloat(h);
        }
    }
    return out;
}

// peft's get_pattern_key: a rank_pattern / alpha_pattern key matches a module name as
// re.match(rf"(.*\.)?({key})$", name).
bool patternMatches(const std::string& key, const std::string& module)
{
    try {
        return std::regex_match(module, std::regex("(.*\\.)?(" + key + ")"));
    } catch (const std::regex_error&) {
        return module == key || endsWith(module, "." + key);
    }
}

} // namespace

std::string peftTensorName(const std::string& module, char which)
{
    return std::string(kPrefix) + module + (which == 'B' ? std::string(kSuffixB) : std::string(kSuffixA));
}

nlohmann::json peftAdapterConfig(const LoraConfig& lora, const std::string& baseModel)
{
    // Every LoraConfig field with a default that matters to loaders, as peft's save_pretrained writes it
    // (json.dumps(..., indent=2, sort_keys=True); nlohmann::json keeps keys sorted). peft_version is left
    // out: it names the peft release that wrote the file, and peft tolerates its absence.
    nlohmann::json targets = nlohmann::json::array();
    std::set<std::string> seen;
    for (const auto& t : lora.targetModules)
        if (seen.insert(t).second)
            targets.push_back(t);
    return nlohmann::json {{"alpha_pattern", nlohmann::json::object()},
                           {"auto_mapping", nullptr},
                           {"base_model_name_or_path", baseModel},
                           {"bias", "none"},
                           {"exclude_modules", nullptr},
                           {"fan_in_fan_out", false},
                           {"inference_mode", true},
                           {"init_lora_weights", true},
                           {"layers_pattern", nullptr},
                           {"layers_to_transform", nullptr},
                           {"lora_alpha", number(lora.alpha)},
                           {"lora_bias", false},
                           {"lora_dropout", lora.dropout},
                           {"modules_to_save", nullptr},
                           {"peft_type", "LORA"},
                           {"r", lora.r},
                           {"rank_pattern", nlohmann::json::object()},
                           {"revision", nullptr},
                           {"target_modules", targets},
                           {"task_type", "CAUSAL_LM"},
                           {"use_dora", false},
                           {"use_rslora", lora.useRsLora}};
}

Status writePeftAdapter(const fs::path& dir, const LoraConfig& lora, const std::string& baseModel,
                        const std::vector<PeftLoraModule>& modules, const PeftWriteOptions& options)
{
    const std::string where = (dir / kPeftWeightsFile).string();
    if (lora.r <= 0)
        return makeError(where + ": r must be positive (got " + std::to_string(lora.r) + ")");
    if (options.dtype != DType::F32 && options.dtype != DType::BF16 && options.dtype != DType::F16)
        return makeError(where + ": adapter weights are written as F32, BF16 or F16, not "
                         + std::string(dtypeName(options.dtype)));
    const std::set<std::string> targets(lora.targetModules.begin(), lora.targetModules.end());
    std::set<std::string> names;
    std::vector<TensorData> tensors;
    tensors.reserve(2 * modules.size());
    const int64_t r = lora.r;
    for (const auto& m : modules) {
        const std::string keyA = peftTensorName(m.module, 'A'), keyB = peftTensorName(m.module, 'B');
        if (m.module.empty() || !names.insert(m.module).second)
            return makeError(where + ": empty or duplicate module name '" + m.module + "'");
        if (!targets.count(lastComponent(m.module)))
            return makeError(where + ": " + keyA + ": module '" + m.module
                             + "' is not one of target_modules, so peft would not load it");
        if (m.in <= 0 || m.out <= 0)
            return makeError(where + ": " + keyA + ": in and out must be positive");
        if (static_cast<int64_t>(m.a.size()) != r * m.in)
            return makeError(where + ": " + keyA + ": " + std::to_string(m.a.size()) + " values, shape "
                             + shapeText({r, m.in}) + " needs " + std::to_string(r * m.in));
        if (static_cast<int64_t>(m.b.size()) != m.out * r)
            return makeError(where + ": " + keyB + ": " + std::to_string(m.b.size()) + " values, shape "
                             + shapeText({m.out, r}) + " needs " + std::to_string(m.out * r));
        tensors.push_back(makeTensor(keyA, {r, m.in}, m.a, options.dtype));
        tensors.push_back(makeTensor(keyB, {m.out, r}, m.b, options.dtype));
    }

    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        return makeError(dir.string() + ": exists and is not a directory");
    fs::path parent = dir.parent_path();
    if (parent.empty())
        parent = ".";
    fs::create_directories(parent, ec);
    if (ec)
        return makeError(parent.string() + ": cannot create: " + ec.message());
    const fs::path tmp = parent / ("." + dir.filename().string() + ".tmp-" + randomSuffix());
    fs::create_directory(tmp, ec);
    if (ec)
        return makeError(tmp.string() + ": cannot create: " + ec.message());
    auto fail = [&](std::string message) -> Status {
        std::error_code ignored;
        fs::remove_all(tmp, ignored);
        return makeError(std::move(message));
    };

    // Files already in dir (other than the adapter's) come along.
    const bool replacing = fs::exists(dir, ec);
    if (replacing) {
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            const std::string name = entry.path().filename().string();
            if (name == kPeftConfigFile || name == kPeftWeightsFile)
                continue;
            fs::copy(entry.path(), tmp / name, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
            if (ec)
                return fail(entry.path().string() + ": cannot copy into the new adapter folder: " + ec.message());
        }
        if (ec)
            return fail(dir.string() + ": cannot list: " + ec.message());
    }

    const fs::path configPath = tmp / kPeftConfigFile;
    {
        std::ofstream out(configPath, std::ios::binary | std::ios::trunc);
        out << peftAdapterConfig(lora, baseModel).dump(2) << '\n';
        out.flush();
        if (!out)
            return fail(configPath.string() + ": write failed (disk full?)");
    }
    if (auto st = writeSafetensors(tmp / kPeftWeightsFile, tensors); !st)
        return fail(st.error().message);
    for (const auto& file : {configPath, tmp / kPeftWeightsFile})
        if (auto st = syncPath(file, false); !st)
            return fail(st.error().message);
    if (auto st = syncPath(tmp, true); !st)
        return fail(st.error().message);

    if (!replacing) {
        fs::rename(tmp, dir, ec);
        if (ec)
            return fail(dir.string() + ": cannot move the new adapter into place: " + ec.message());
    } else if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) == 0) {
        fs::remove_all(tmp, ec); // now the old adapter
    } else {
        // No atomic exchange on this filesystem: move the old folder aside first. A crash in between
        // leaves the complete old adapter in the .old- folder and the new one in the .tmp- folder.
        const fs::path old = parent / ("." + dir.filename().string() + ".old-" + randomSuffix());
        fs::rename(dir, old, ec);
        if (ec)
            return fail(dir.string() + ": cannot move the old adapter aside: " + ec.message());
        fs::rename(tmp, dir, ec);
        if (ec) {
            std::error_code ignored;
            fs::rename(old, dir, ignored);
            return fail(dir.string() + ": cannot move the new adapter into place: " + ec.message());
        }
        fs::remove_all(old, ec);
    }
    return syncPath(parent, true);
}

Expected<PeftAdapter> readPeftAdapter(const fs::path& dir)
{
    const fs::path configPath = dir / kPeftConfigFile;
    const fs::path weightsPath = dir / kPeftWeightsFile;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return makeError(dir.string() + ": not an adapter folder (no such directory)");
    if (!fs::exists(configPath, ec))
        return makeError(configPath.string() + ": missing");
    auto config = readJsonFile(configPath);
    if (!config)
        return config.error();
    PeftAdapter adapter;
    adapter.config = std::move(*config);
    const auto& c = adapter.config;
    const std::string cfg = configPath.string();
    if (!c.is_object())
        return makeError(cfg + ": expected a JSON object");
    if (!c.contains("peft_type") || !c["peft_type"].is_string())
        return makeError(cfg + ": \"peft_type\" is missing");
    if (c["peft_type"] != "LORA")
        return makeError(cfg + ": \"peft_type\" is " + c["peft_type"].dump() + ", only \"LORA\" is supported");
    if (!c.contains("r") || !c["r"].is_number_integer() || c["r"].get<int64_t>() <= 0)
        return makeError(cfg + ": \"r\" must be a positive integer");
    adapter.lora.r = c["r"].get<int>();
    auto optionalNumber = [&](const char* key, double fallback) -> Expected<double> {
        if (!c.contains(key) || c[key].is_null())
            return fallback;
        if (!c[key].is_number())
            return makeError(cfg + ": \"" + key + "\" must be a number");
        return c[key].get<double>();
    };
    auto optionalBool = [&](const char* key) -> Expected<bool> {
        if (!c.contains(key) || c[key].is_null())
            return false;
        if (!c[key].is_boolean())
            return makeError(cfg + ": \"" + key + "\" must be true or false");
        return c[key].get<bool>();
    };
    auto alpha = optionalNumber("lora_alpha", 8.0); // peft's defaults
    if (!alpha)
        return alpha.error();
    auto dropout = optionalNumber("lora_dropout", 0.0);
    if (!dropout)
        return dropout.error();
    auto rs = optionalBool("use_rslora");
    if (!rs)
        return rs.error();
    adapter.lora.alpha = *alpha;
    adapter.lora.dropout = *dropout;
    adapter.lora.useRsLora = *rs;
    for (const char* key : {"use_dora", "fan_in_fan_out"}) {
        auto v = optionalBool(key);
        if (!v)
            return v.error();
        if (*v)
            return makeError(cfg + ": \"" + key + "\" is true, which is not supported");
    }
    if (c.contains("bias") && !c["bias"].is_null() && c["bias"] != "none")
        return makeError(cfg + ": \"bias\" is " + c["bias"].dump() + ", only \"none\" is supported");
    adapter.lora.targetModules.clear();
    if (c.contains("target_modules") && !c["target_modules"].is_null()) {
        const auto& t = c["target_modules"];
        if (t.is_string()) {
            adapter.lora.targetModules.push_back(t.get<std::string>());
        } else if (t.is_array()) {
            for (const auto& m : t) {
                if (!m.is_string())
                    return makeError(cfg + ": \"target_modules\" must list strings");
                adapter.lora.targetModules.push_back(m.get<std::string>());
            }
        } else {
            return makeError(cfg + ": \"target_modules\" must be a list of names or a string");
        }
    }
    if (c.contains("base_model_name_or_path") && c["base_model_name_or_path"].is_string())
        adapter.baseModel = c["base_model_name_or_path"].get<std::string>();
    std::vector<std::pair<std::string, int64_t>> rankPattern;
    if (c.contains("rank_pattern") && c["rank_pattern"].is_object())
        for (const auto& [key, value] : c["rank_pattern"].items()) {
            if (!value.is_number_integer() || value.get<int64_t>() <= 0)
                return makeError(cfg + ": \"rank_pattern\".\"" + key + "\" must be a positive integer");
            rankPattern.emplace_back(key, value.get<int64_t>());
        }

    if (!fs::exists(weightsPath, ec)) {
        if (fs::exists(dir / "adapter_model.bin", ec))
            return makeError((dir / "adapter_model.bin").string()
                             + ": legacy pickle weights are not supported; save the adapter with safetensors");
        return makeError(weightsPath.string() + ": missing");
    }
    auto file = SafetensorsFile::open(weightsPath);
    if (!file)
        return file.error();
    const std::string wts = weightsPath.string();

    struct Pair
    {
        const TensorView* a = nullptr;
        const TensorView* b = nullptr;
    };
    std::vector<std::string> order;
    std::map<std::string, Pair> pairs;
    bool first = true;
    for (const auto& t : (*file)->tensors()) {
        const bool isA = endsWith(t.name, kSuffixA), isB = endsWith(t.name, kSuffixB);
        if (!isA && !isB) {
            adapter.ignoredTensors.push_back(t.name);
            continue;
        }
        if (t.name.rfind(kPrefix, 0) != 0)
            return makeError(wts + ": " + t.name + ": LoRA weights must be named \"base_model.model.<module>"
                             + std::string(isA ? kSuffixA : kSuffixB) + "\"");
        const std::string module
            = t.name.substr(kPrefix.size(), t.name.size() - kPrefix.size() - (isA ? kSuffixA : kSuffixB).size());
        if (module.empty())
            return makeError(wts + ": " + t.name + ": no module path");
        if (t.dtype != DType::F32 && t.dtype != DType::F16 && t.dtype != DType::BF16)
            return makeError(wts + ": " + t.name + ": dtype " + std::string(dtypeName(t.dtype))
                             + " (expected F32, F16 or BF16)");
        if (t.shape.size() != 2)
            return makeError(wts + ": " + t.name + ": shape " + shapeText(t.shape) + " is not 2-D");
        if (first) {
            adapter.dtype = t.dtype;
            first = false;
        }
        auto [it, inserted] = pairs.try_emplace(module);
        if (inserted)
            order.push_back(module);
        (isA ? it->second.a : it->second.b) = &t;
    }
    for (const auto& module : order) {
        const Pair& p = pairs[module];
        if (!p.a)
            return makeError(wts + ": " + peftTensorName(module, 'B') + " has no " + peftTensorName(module, 'A'));
        if (!p.b)
            return makeError(wts + ": " + peftTensorName(module, 'A') + " has no " + peftTensorName(module, 'B'));
        int64_t r = adapter.lora.r;
        for (const auto& [key, rank] : rankPattern)
            if (patternMatches(key, module)) {
                r = rank;
                break;
            }
        if (p.a->shape[0] != r)
            return makeError(wts + ": " + p.a->name + ": shape " + shapeText(p.a->shape) + ", expected ["
                             + std::to_string(r) + ", in] for r = " + std::to_string(r));
        if (p.b->shape[1] != r)
            return makeError(wts + ": " + p.b->name + ": shape " + shapeText(p.b->shape) + ", expected [out, "
                             + std::to_string(r) + "] for r = " + std::to_string(r));
        PeftLoraModule m;
        m.module = module;
        m.in = p.a->shape[1];
        m.out = p.b->shape[0];
        if (m.in <= 0 || m.out <= 0)
            return makeError(wts + ": " + p.a->name + ": empty LoRA matrices");
        m.a = toFloats(*p.a);
        m.b = toFloats(*p.b);
        adapter.modules.push_back(std::move(m));
    }
    if (adapter.modules.empty())
        return makeError(wts + ": no base_model.model.<module>.lora_A.weight / lora_B.weight tensors");
    return adapter;
}

} // namespace ts
