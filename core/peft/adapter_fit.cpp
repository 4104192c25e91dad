#include "peft/adapter_fit.h"

#include <map>
#include <regex>
#include <system_error>

#include "common/json_file.h"
#include "model/model_config.h"
#include "model/safetensors.h"
#include "peft/peft_adapter.h"

namespace ts {

namespace {

std::string shapeText(const std::vector<int64_t>& shape)
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

// A projection's (out, in) in a model, and the config.json fields they come from.
struct ProjectionShape
{
    int64_t out = 0, in = 0;
    const char* outField = "";
    const char* inField = "";
};

ProjectionShape projectionShape(const ModelConfig& c, const std::string& projection)
{
    const int64_t headDim = c.headDim > 0 ? c.headDim : (c.numHeads > 0 ? c.hiddenSize / c.numHeads : 0);
    const int64_t kvHeads = c.numKvHeads > 0 ? c.numKvHeads : c.numHeads;
    if (projection == "self_attn.q_proj")
        return {c.numHeads * headDim, c.hiddenSize, "num_attention_heads x head_dim", "hidden_size"};
    if (projection == "self_attn.k_proj" || projection == "self_attn.v_proj")
        return {kvHeads * headDim, c.hiddenSize, "num_key_value_heads x head_dim", "hidden_size"};
    if (projection == "self_attn.o_proj")
        return {c.hiddenSize, c.numHeads * headDim, "hidden_size", "num_attention_heads x head_dim"};
    if (projection == "mlp.down_proj")
        return {c.hiddenSize, c.intermediateSize, "hidden_size", "intermediate_size"};
    return {c.intermediateSize, c.hiddenSize, "intermediate_size", "hidden_size"}; // gate_proj, up_proj
}

} // namespace

Status checkAdapterFitsModel(const std::filesystem::path& adapterDir, const std::filesystem::path& modelDir)
{
    const std::string where = "adapter " + adapterDir.string() + ": ";
    std::error_code ec;
    if (!std::filesystem::is_directory(adapterDir, ec))
        return makeError(where + "not a folder");
    const auto configPath = adapterDir / kPeftConfigFile;
    if (!std::filesystem::exists(configPath, ec))
        return makeError(where + kPeftConfigFile + " is missing: not a PEFT adapter folder");
    auto config = readJsonFile(configPath);
    if (!config)
        return makeError(where + config.error().message);
    if (!config->is_object())
        return makeError(where + std::string(kPeftConfigFile) + ": expected a JSON object");
    if (auto type = config->find("peft_type"); type != config->end() && *type != "LORA")
        return makeError(where + std::string(kPeftConfigFile) + ": peft_type is " + type->dump()
                         + ", only LORA adapters can be merged");
    auto r = config->find("r");
    if (r == config->end() || !r->is_number_integer() || r->get<int64_t>() < 1)
        return makeError(where + std::string(kPeftConfigFile) + ": r (the rank) is missing or not a positive integer");

    auto model = loadModelConfig(modelDir);
    if (!model)
        return makeError(where + "the model's " + model.error().message);

    const auto weightsPath = adapterDir / kPeftWeightsFile;
    if (!std::filesystem::exists(weightsPath, ec))
        return makeError(where + kPeftWeightsFile + " is missing");
    auto weights = SafetensorsFile::open(weightsPath);
    if (!weights)
        return makeError(where + weights.error().message);

    static const std::regex pattern(
        R"(^base_model\.model\.model\.layers\.(\d+)\.(self_attn\.[qkvo]_proj|mlp\.(?:gate|up|down)_proj)\.lora_([AB])\.weight$)");
    const std::string file = std::string(kPeftWeightsFile) + ": ";
    std::map<std::string, int> pairs; // module → bit 1 for A, 2 for B
    for (const TensorView& t : (*weights)->tensors()) {
        const bool lora = t.name.find(".lora_A.") != std::string::npos || t.name.find(".lora_B.") != std::string::npos;
        if (!lora)
            continue; // other tensors are tolerated, as peft does
        std::smatch match;
        if (!std::regex_match(t.name, match, pattern))
            return makeError(where + file + t.name + " is not a decoder projection this engine can merge");
        const int64_t layer = std::stoll(match[1].str());
        if (layer >= model->numLayers)
            return makeError(where + file + t.name + ": the model has " + std::to_string(model->numLayers)
                             + " layers (num_hidden_layers in config.json)");
        const std::string projection = match[2].str();
        const bool isA = match[3].str() == "A";
        const ProjectionShape want = projectionShape(*model, projection);
        const std::string name = projection.substr(projection.find('.') + 1);
        if (t.shape.size() != 2)
            return makeError(where + file + t.name + " has shape " + shapeText(t.shape) + ", expected 2 dimensions");
        if (isA && t.shape[1] != want.in)
            return makeError(where + file + t.name + " has shape " + shapeText(t.shape) + ", the model's " + name
                             + " takes " + std::to_string(want.in) + " inputs (" + want.inField + " in config.json)");
        if (!isA && t.shape[0] != want.out)
            return makeError(where + file + t.name + " has shape " + shapeText(t.shape) + ", the model's " + name
                             + " has " + std::to_string(want.out) + " outputs (" + want.outField + " in config.json)");
        pairs[match[1].str() + "." + projection] |= isA ? 1 : 2;
    }
    if (pairs.empty())
        return makeError(where + file + "no lora_A / lora_B tensors");
    for (const auto& [module, bits] : pairs)
        if (bits != 3)
            return makeError(where + file + "layer " + module + " has lora_" + (bits == 1 ? "A" : "B")
                             + " without its lora_" + (bits == 1 ? "B" : "A"));
    return {};
}

} // namespace ts
