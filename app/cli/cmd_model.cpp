// CLI command make-model: writes a random tiny Hugging Face model folder (for tests, the GGUF
// parity check and benchmarks).
#include <iostream>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "model_maker/random_model.h"

namespace tscli {

namespace {

bool parseInt(const std::string& text, int64_t& out)
{
    try {
        size_t used = 0;
        long long v = std::stoll(text, &used);
        if (used != text.size())
            return false;
        out = v;
        return true;
    } catch (...) {
        return false;
    }
}

bool parseDouble(const std::string& text, double& out)
{
    try {
        size_t used = 0;
        out = std::stod(text, &used);
        return used == text.size();
    } catch (...) {
        return false;
    }
}

} // namespace

int commandMakeModel(const Args& args)
{
    Options opts(args, 0, {"--tied", "--rope-llama3"});
    if (!opts.ok())
        return fail("make-model: " + opts.error(), 2);
    ts::RandomModelOptions o;
    auto arch = opts.value("--arch");
    auto out = opts.value("--out");
    if (!arch || !out)
        return fail("make-model: --arch and --out are required", 2);
    auto parsedArch = ts::archFromName(*arch);
    if (!parsedArch)
        return fail("make-model: unknown --arch '" + *arch + "' (llama, mistral or qwen2)", 2);
    o.arch = *parsedArch;
    if (auto t = opts.value("--tokenizer"))
        o.tokenizer = *t;
    const std::pair<const char*, int64_t*> ints[] = {
        {"--hidden", &o.hiddenSize},    {"--layers", &o.numLayers},
        {"--heads", &o.numHeads},       {"--kv-heads", &o.numKvHeads},
        {"--ffn", &o.intermediateSize}, {"--head-dim", &o.headDim},
        {"--vocab", &o.vocabSize},      {"--max-positions", &o.maxPositionEmbeddings},
    };
    bool kvGiven = false;
    for (const auto& [name, target] : ints) {
        if (auto v = opts.value(name)) {
            if (!parseInt(*v, *target) || *target < 0)
                return fail(std::string("make-model: ") + name + " expects a non-negative integer, got '" + *v + "'",
                            2);
            if (std::string(name) == "--kv-heads")
                kvGiven = true;
        }
    }
    if (!kvGiven)
        o.numKvHeads = o.numHeads;
    if (auto v = opts.value("--seed")) {
        int64_t seed = 0;
        if (!parseInt(*v, seed))
            return fail("make-model: --seed expects an integer", 2);
        o.seed = static_cast<uint64_t>(seed);
    }
    if (auto v = opts.value("--init-std"); v && (!parseDouble(*v, o.initStd) || o.initStd <= 0))
        return fail("make-model: --init-std expects a positive number", 2);
    if (auto v = opts.value("--rope-theta"); v && (!parseDouble(*v, o.ropeTheta) || o.ropeTheta <= 0))
        return fail("make-model: --rope-theta expects a positive number", 2);
    if (auto v = opts.value("--rms-eps"); v && (!parseDouble(*v, o.rmsNormEps) || o.rmsNormEps <= 0))
        return fail("make-model: --rms-eps expects a positive number", 2);
    if (auto v = opts.value("--dtype")) {
        if (*v == "f32")
            o.dtype = ts::DType::F32;
        else if (*v == "f16")
            o.dtype = ts::DType::F16;
        else if (*v == "bf16")
            o.dtype = ts::DType::BF16;
        else
            return fail("make-model: --dtype must be f32, f16 or bf16", 2);
    }
    o.tied = opts.flag("--tied");
    o.ropeLlama3 = opts.flag("--rope-llama3");
    if (o.tokenizer.empty() && o.vocabSize <= 0)
        return fail("make-model: give --tokenizer DIR (or --vocab N)", 2);

    auto info = ts::writeRandomModel(*out, o);
    if (!info)
        return fail(info.error().message);
    return printJson({{"dir", info->dir.string()},
                      {"arch", std::string(ts::archName(info->config.arch))},
                      {"parameters", info->parameters},
                      {"vocab_size", info->config.vocabSize}});
}

const CommandRegistration makeModelCommand(
    "make-model",
    "  make-model --arch llama|mistral|qwen2 --out DIR --tokenizer DIR [options]\n"
    "                                    write a random HF model folder (config, safetensors, tokenizer)\n"
    "      --hidden N --layers N --heads N --kv-heads N --ffn N --head-dim N   sizes (default 64/2/4/4/128)\n"
    "      --tied                        tie lm_head to the embeddings\n"
    "      --dtype f32|f16|bf16          weight dtype (default f32)\n"
    "      --seed N --init-std S         random init (default 0, 0.02)\n"
    "      --rope-llama3                 llama3 rope scaling (rope_theta 500000)\n"
    "      --vocab N                     vocab size (default: the tokenizer's)",
    commandMakeModel);

} // namespace tscli
