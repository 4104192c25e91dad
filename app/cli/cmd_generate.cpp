// CLI command `generate`: run a Hugging Face model folder with the libtorch engine: text, chat or
// token-id prompts, greedy or sampled, batched, with timings and (for parity checks) logits.
#include <algorithm>
#include <charconv>
#include <fstream>
#include <iostream>
#include <numeric>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "engine/engine.h"
#include "lora/adapter_on_load.h"
#include "model/chat_template.h"
#include "model/tokenizer.h"

namespace tscli {

namespace {

using json = nlohmann::json;

// The N largest logits of one row, largest first.
json topLogits(const float* row, int64_t V, int n)
{
    std::vector<int32_t> ids(static_cast<size_t>(V));
    std::iota(ids.begin(), ids.end(), 0);
    const auto k = static_cast<size_t>(std::min<int64_t>(n, V));
    std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(k), ids.end(),
                      [&](int32_t a, int32_t b) { return row[a] != row[b] ? row[a] > row[b] : a < b; });
    json out = json::array();
    for (size_t i = 0; i < k; ++i)
        out.push_back({{"id", ids[i]}, {"logit", row[ids[i]]}});
    return out;
}

// One prompt as given: text, chat messages, or ids.
struct PromptSpec
{
    std::optional<std::string> text;
    std::optional<json> messages;
    std::optional<std::vector<int32_t>> ids;
};

ts::Expected<std::vector<PromptSpec>> readPromptsFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return ts::makeError("cannot read " + path);
    std::vector<PromptSpec> out;
    std::string line;
    size_t lineNumber = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        auto where = path + ":" + std::to_string(lineNumber);
        auto j = json::parse(line, nullptr, false);
        PromptSpec spec;
        if (j.is_string()) {
            spec.text = j.get<std::string>();
        } else if (j.is_object() && j.contains("prompt") && j["prompt"].is_string()) {
            spec.text = j["prompt"].get<std::string>();
        } else if (j.is_object() && j.contains("messages") && j["messages"].is_array()) {
            spec.messages = j["messages"];
        } else if (j.is_object() && j.contains("ids") && j["ids"].is_array()) {
            std::vector<int32_t> ids;
            for (const auto& v : j["ids"]) {
                if (!v.is_number_integer() || v.get<int64_t>() < 0)
                    return ts::makeError(where + ": \"ids\" must be non-negative integers");
                ids.push_back(v.get<int32_t>());
            }
            spec.ids = std::move(ids);
        } else {
            return ts::makeError(where
                                 + ": expected a JSON string or an object with \"prompt\", \"messages\" or \"ids\"");
        }
        out.push_back(std::move(spec));
    }
    if (out.empty())
        return ts::makeError(path + ": no prompts");
    return out;
}

double perSecond(int64_t tokens, double ms)
{
    return ms > 0 ? static_cast<double>(tokens) * 1000.0 / ms : 0.0;
}

} // namespace

int commandGenerate(const Args& args)
{
    Options opts(args, 0,
                 {"--chat", "--batch", "--stream", "--logits-all-positions", "--no-special-tokens", "--no-fuse",
                  "--torch-kernels", "--ignore-eos", "--model-defaults"});
    if (!opts.ok())
        return fail("generate: " + opts.error(), 2);
    const auto modelDir = opts.value("--model");
    if (!modelDir)
        return fail("generate: --model DIR is required", 2);
    const auto promptText = opts.value("--prompt");
    const auto promptsFile = opts.value("--prompts");
    const auto idsText = opts.value("--ids");
    if (int(promptText.has_value()) + int(promptsFile.has_value()) + int(idsText.has_value()) != 1)
        return fail("generate: pass exactly one of --prompt TEXT, --prompts FILE.jsonl or --ids 1,2,3", 2);
    const bool chat = opts.flag("--chat");
    const bool stream = opts.flag("--stream");
    const bool allPositions = opts.flag("--logits-all-positions");

    ts::EngineOptions engineOptions;
    ts::GenerationOptions gen;
    int logitsTop = 0;
    {
        std::string bad;
        auto num = [&](const char* name, auto& target) {
            if (auto v = opts.value(name); v && !parseNumber(*v, target))
                bad = name;
        };
        num("--max-new-tokens", gen.maxNewTokens);
        num("--temperature", gen.sampling.temperature);
        num("--top-k", gen.sampling.topK);
        num("--top-p", gen.sampling.topP);
        num("--repetition-penalty", gen.sampling.repetitionPenalty);
        num("--seed", gen.sampling.seed);
        num("--threads", engineOptions.threads);
        num("--logits-top", logitsTop);
        if (!bad.empty())
            return fail("generate: " + bad + " expects a number", 2);
    }
    // Flags given explicitly win over generation_config.json with --model-defaults.
    const ts::SamplingParams explicitSampling = gen.sampling;
    const bool modelDefaults = opts.flag("--model-defaults");
    if (gen.maxNewTokens < 0 || logitsTop < 0 || gen.sampling.topK < 0 || gen.sampling.topP <= 0
        || gen.sampling.topP > 1 || gen.sampling.repetitionPenalty <= 0)
        return fail("generate: out-of-range option (max-new-tokens >= 0, top-k >= 0, 0 < top-p <= 1, "
                    "repetition-penalty > 0)",
                    2);
    if (auto d = opts.value("--dtype")) {
        auto dtype = ts::computeDtypeFromName(*d);
        if (!dtype)
            return fail("generate: --dtype must be f32, bf16 or f16", 2);
        engineOptions.dtype = *dtype;
    }
    engineOptions.fuseProjections = !opts.flag("--no-fuse");
    if (auto adapter = opts.value("--adapter"))
        engineOptions.editWeights = ts::lora::mergeAdapterOnLoad(*adapter);
    engineOptions.fastKernels = !opts.flag("--torch-kernels");
    gen.stopStrings = opts.values("--stop");
    if (auto e = opts.value("--eos-ids")) {
        auto ids = parseIdList(*e);
        if (!ids)
            return fail("generate: --eos-ids: " + ids.error().message, 2);
        gen.eosIds = *ids;
    }
    if (opts.flag("--ignore-eos"))
        gen.eosIds = std::vector<int32_t> {};

    // Prompts.
    std::vector<PromptSpec> specs;
    if (promptText) {
        PromptSpec s;
        s.text = *promptText;
        specs.push_back(std::move(s));
    } else if (idsText) {
        auto ids = parseIdList(*idsText);
        if (!ids)
            return fail("generate: " + ids.error().message, 2);
        PromptSpec s;
        s.ids = std::move(*ids);
        specs.push_back(std::move(s));
    } else {
        auto read = readPromptsFile(*promptsFile);
        if (!read)
            return fail("generate: " + read.error().message, 2);
        specs = std::move(*read);
    }
    if (allPositions && specs.size() != 1)
        return fail("generate: --logits-all-positions takes a single prompt", 2);

    // Tokenizer (needed for text prompts and for text output).
    std::optional<ts::Tokenizer> tokenizer;
    {
        std::error_code ec;
        if (std::filesystem::exists(std::filesystem::path(*modelDir) / "tokenizer.json", ec)) {
            auto loaded = ts::Tokenizer::loadFromPath(*modelDir);
            if (!loaded)
                return fail("generate: " + loaded.error().message);
            tokenizer = std::move(*loaded);
        }
    }
    std::optional<ts::ModelChatTemplate> chatTemplate;
    bool needChat = chat;
    for (const auto& s : specs)
        needChat = needChat || s.messages.has_value();
    if (needChat) {
        auto loaded = ts::loadModelChatTemplate(*modelDir);
        if (!loaded)
            return fail("generate: " + loaded.error().message);
        chatTemplate = std::move(*loaded);
    }
    std::vector<std::vector<int32_t>> prompts;
    for (const auto& s : specs) {
        if (s.ids) {
            prompts.push_back(*s.ids);
            continue;
        }
        if (!tokenizer)
            return fail("generate: " + *modelDir + " has no tokenizer.json; use --ids", 2);
        std::string text;
        bool addSpecial = !opts.flag("--no-special-tokens");
        if (s.messages || chat) {
            json messages = s.messages ? *s.messages : json::array({{{"role", "user"}, {"content", *s.text}}});
            auto rendered = chatTemplate->chatTemplate.render(messages, chatTemplate->options);
            if (!rendered)
                return fail("generate: chat template: " + rendered.error().message);
            text = *rendered;
            addSpecial = false; // templates write their own BOS
        } else {
            text = *s.text;
        }
        prompts.push_back(tokenizer->encode(text, addSpecial));
        if (prompts.back().empty())
            return fail("generate: a prompt encodes to no tokens", 2);
    }

    auto engine = ts::Engine::load(*modelDir, engineOptions);
    if (!engine)
        return fail("generate: " + engine.error().message);
    const int64_t V = (*engine)->config().vocabSize;
    if (modelDefaults) {
        gen.sampling = ts::samplingFromGenerationConfig((*engine)->generationDefaults());
        if (opts.value("--temperature"))
            gen.sampling.temperature = explicitSampling.temperature;
        if (opts.value("--top-k"))
            gen.sampling.topK = explicitSampling.topK;
        if (opts.value("--top-p"))
            gen.sampling.topP = explicitSampling.topP;
        if (opts.value("--repetition-penalty"))
            gen.sampling.repetitionPenalty = explicitSampling.repetitionPenalty;
        gen.sampling.seed = explicitSampling.seed;
        if (!opts.value("--max-new-tokens") && (*engine)->generationDefaults().maxNewTokens)
            gen.maxNewTokens = static_cast<int>(*(*engine)->generationDefaults().maxNewTokens);
    }

    if (tokenizer)
        gen.decode = [&](const std::vector<int32_t>& ids) { return tokenizer->decode(ids, true); };
    gen.cancel = interruptToken();
    gen.recordLogits = logitsTop > 0 && !allPositions && gen.maxNewTokens > 0;
    if (stream) {
        gen.onToken = [&](size_t sequence, int32_t id, const std::string& delta) {
            std::cout << json({{"sequence", sequence}, {"id", id}, {"text", delta}})
                             .dump(-1, ' ', false, json::error_handler_t::replace)
                      << std::endl;
        };
    }

    // One batch, or one prompt at a time.
    std::vector<std::vector<std::vector<int32_t>>> batches;
    if (opts.flag("--batch"))
        batches.push_back(prompts);
    else
        for (const auto& p : prompts)
            batches.push_back({p});

    json results = json::array();
    double totalMs = 0;
    int64_t totalCompletion = 0;
    for (const auto& batch : batches) {
        auto out = (*engine)->generate(batch, gen);
        if (!out)
            return fail(out.error().message); // already starts with "generate: "
        totalMs += out->prefillMs + out->decodeMs;
        totalCompletion += out->completionTokens;
        for (size_t i = 0; i < out->sequences.size(); ++i) {
            const auto& seq = out->sequences[i];
            json r = {{"text", seq.text},
                      {"ids", seq.ids},
                      {"finish_reason", std::string(ts::finishReasonName(seq.finishReason))},
                      {"prompt_tokens", seq.promptTokens},
                      {"completion_tokens", seq.ids.size()},
                      {"prefill_ms", out->prefillMs},
                      {"decode_ms", out->decodeMs},
                      {"prefill_tokens_per_s", perSecond(out->prefillTokens, out->prefillMs)},
                      {"decode_tokens_per_s", perSecond(out->decodeTokens, out->decodeMs)}};
            if (batch.size() > 1)
                r["batch_size"] = batch.size();
            if (logitsTop > 0 && !allPositions && !seq.stepLogits.empty())
                r["logits"] = topLogits(seq.stepLogits[0].data(), V, logitsTop);
            results.push_back(std::move(r));
        }
    }

    if (allPositions || (logitsTop > 0 && gen.maxNewTokens == 0)) {
        auto logits = (*engine)->logits(prompts[0], allPositions);
        if (!logits)
            return fail("generate: " + logits.error().message);
        const int64_t T = static_cast<int64_t>(logits->size()) / V;
        if (allPositions) {
            json perPosition = json::array();
            for (int64_t t = 0; t < T; ++t) {
                const float* row = logits->data() + t * V;
                if (logitsTop > 0)
                    perPosition.push_back(topLogits(row, V, logitsTop));
                else
                    perPosition.push_back(std::vector<float>(row, row + V));
            }
            results[0]["logits_all_positions"] = std::move(perPosition);
        } else {
            results[0]["logits"] = topLogits(logits->data(), V, logitsTop);
        }
    }

    if (promptsFile)
        return printJson({{"results", results},
                          {"total_tokens_per_s", perSecond(totalCompletion, totalMs)},
                          {"completion_tokens", totalCompletion},
                          {"total_ms", totalMs}});
    return printJson(results[0]);
}

const CommandRegistration generateCommand(
    "generate",
    "  generate --model DIR (--prompt TEXT | --prompts FILE.jsonl | --ids 1,2,3) [options]\n"
    "                                    generate with the libtorch engine; prints JSON (text, ids,\n"
    "                                    finish_reason, token counts, prefill/decode ms and tokens/s)\n"
    "      --chat                        wrap the prompt as a user message in the model's chat template\n"
    "      --prompts FILE.jsonl          one prompt per line: \"text\", {\"prompt\"}, {\"messages\"} or {\"ids\"};\n"
    "                                    prints {\"results\": [...], \"total_tokens_per_s\"}\n"
    "      --batch                       run all --prompts as one batch (left padding)\n"
    "      --max-new-tokens N            default 128; 0 runs only the prompt (with --logits-*)\n"
    "      --temperature T --top-k K --top-p P --repetition-penalty R --seed S\n"
    "                                    sampling (default greedy: temperature 0)\n"
    "      --model-defaults              start from generation_config.json's sampling (do_sample,\n"
    "                                    temperature, top_k, top_p, repetition_penalty, max_new_tokens)\n"
    "      --adapter DIR                 merge a PEFT LoRA adapter (e.g. a training run's) into the model\n"
    "      --stop STR                    stop when the text contains STR (repeatable)\n"
    "      --eos-ids 1,2                 end-of-sequence ids (default: generation_config.json)\n"
    "      --ignore-eos                  never stop on an end-of-sequence id\n"
    "      --threads N --dtype f32|bf16|f16   compute threads (default: all cores) and dtype (f32)\n"
    "      --logits-top N                top-N next-token logits at the last prompt position\n"
    "      --logits-all-positions        logits at every prompt position (top-N with --logits-top)\n"
    "      --stream                      one JSON line per generated token before the result\n"
    "      --no-special-tokens           encode --prompt text without BOS/special tokens",
    commandGenerate);

} // namespace tscli
