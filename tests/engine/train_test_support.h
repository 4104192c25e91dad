// Shared by the training tests: a tiny chat model on disk (random Llama weights, a real
// byte-level BPE tokenizer.json with ChatML special tokens, a ChatML chat template) and a project
// whose train/eval splits hold a small structured task.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine_test_support.h"
#include "store/example_repository.h"
#include "store/project.h"

namespace tstest {

// GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 + n.
inline std::vector<std::string> byteLevelAlphabet()
{
    std::vector<std::string> out(256);
    int n = 0;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
        const int cp = printable ? b : 256 + n++;
        std::string s;
        if (cp < 0x80) {
            s.push_back(static_cast<char>(cp));
        } else {
            s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        out[static_cast<size_t>(b)] = s;
    }
    return out;
}

inline const char* kChatMlTemplate
    = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + "
      "'<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

// tokenizer.json: byte-level BPE over the 256 byte symbols (no merges), ids 256.. special tokens.
inline void writeByteTokenizer(const std::filesystem::path& dir)
{
    nlohmann::ordered_json vocab = nlohmann::ordered_json::object();
    const auto alphabet = byteLevelAlphabet();
    for (int b = 0; b < 256; ++b)
        vocab[alphabet[static_cast<size_t>(b)]] = b;
    const std::vector<std::string> specials = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
    nlohmann::ordered_json added = nlohmann::ordered_json::array();
    for (size_t i = 0; i < specials.size(); ++i)
        added.push_back({{"id", 256 + i},
                         {"content", specials[i]},
                         {"single_word", false},
                         {"lstrip", false},
                         {"rstrip", false},
                         {"normalized", false},
                         {"special", true}});
    nlohmann::ordered_json tok = {
        {"version", "1.0"},
        {"truncation", nullptr},
        {"padding", nullptr},
        {"added_tokens", added},
        {"normalizer", nullptr},
        {"pre_tokenizer",
         {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}}},
        {"post_processor", nullptr},
        {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}}},
        {"model",
         {{"type", "BPE"},
          {"dropout", nullptr},
          {"unk_token", nullptr},
          {"continuing_subword_prefix", nullptr},
          {"end_of_word_suffix", nullptr},
          {"fuse_unk", false},
          {"byte_fallback", false},
          {"vocab", vocab},
          {"merges", nlohmann::ordered_json::array()}}},
    };
    std::ofstream(dir / "tokenizer.json") << tok.dump(1);
    nlohmann::ordered_json config = {{"bos_token", nullptr},
                                     {"eos_token", "<|im_end|>"},
                                     {"pad_token", "<|endoftext|>"},
                                     {"chat_template", kChatMlTemplate},
                                     {"tokenizer_class", "PreTrainedTokenizerFast"}};
    std::ofstream(dir / "tokenizer_config.json") << config.dump(1);
}

// A tiny random Llama with the byte tokenizer (vocab 259).
inline ts::RandomModelInfo writeTinyChatModel(const std::filesystem::path& dir, uint64_t seed = 3, int64_t hidden = 64,
                                              int64_t layers = 2)
{
    std::filesystem::create_directories(dir);
    writeByteTokenizer(dir);
    ts::RandomModelOptions o;
    o.arch = ts::ModelArch::Llama;
    o.hiddenSize = hidden;
    o.numLayers = layers;
    o.numHeads = 4;
    o.numKvHeads = 2;
    o.intermediateSize = hidden * 2;
    o.vocabSize = 259;
    o.seed = seed;
    // Large enough that the frozen lm_head can express a peaked distribution: logits are bounded by
    // |RMSNorm(h)| · |W_v| ≈ √C · initStd · √C, which at 0.02 would cap the loss near ln(259).
    o.initStd = 0.25;
    o.maxPositionEmbeddings = 512;
    auto info = ts::writeRandomModel(dir, o);
    EXPECT_TRUE(info) << (info ? "" : info.error().message);
    patchConfig(dir, {{"eos_token_id", 258}, {"pad_token_id", 256}});
    return *info;
}

// The structured task: "<name>" → "<name>'s code is <3 letters>" (a lookup a tiny model can
// only get right by learning it).
struct TaskRow
{
    std::string input;
    std::string output;
};

inline std::vector<TaskRow> lookupTask(int n)
{
    const std::vector<std::string> names
        = {"ada", "bob", "cy", "dee", "eve", "fay", "gus", "hal", "ivy", "jo", "kit", "lu", "max", "ned", "oz", "pam"};
    std::vector<TaskRow> rows;
    for (int i = 0; i < n; ++i) {
        std::string code;
        for (int k = 0; k < 3; ++k)
            code.push_back(static_cast<char>('a' + (i * 7 + k * 5 + i * k) % 26));
        rows.push_back({names[static_cast<size_t>(i) % names.size()], "code " + code});
    }
    return rows;
}

inline std::unique_ptr<ts::Project> makeTaskProject(const std::filesystem::path& file,
                                                    const std::vector<TaskRow>& train, const std::vector<TaskRow>& eval)
{
    auto project = ts::Project::create(file);
    EXPECT_TRUE(project) << (project ? "" : project.error().message);
    ts::ExampleRepository repo((*project)->writer());
    auto add = [&](const TaskRow& row, ts::Split split) {
        ts::Example e;
        e.setInput(row.input);
        e.setOutput(row.output);
        e.split = split;
        auto st = repo.insert(e);
        EXPECT_TRUE(st) << (st ? "" : st.error().message);
    };
    for (const auto& r : train)
        add(r, ts::Split::Train);
    for (const auto& r : eval)
        add(r, ts::Split::Eval);
    return std::move(*project);
}

} // namespace tstest
