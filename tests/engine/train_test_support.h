// Shared by the training tests: a tiny chat model on disk (random Llama weights, a real
// byte-level BPE tokenizer.json with ChatML special tokens, a ChatML chat template) and a project
// whose train/eval splits hold a small structured task.
#pragma once

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine_test_support.h"
#include "model_maker/byte_tokenizer_writer.h"
#include "store/example_repository.h"
#include "store/project.h"

namespace tstest {

// A random Llama of `o`'s shape with the byte tokenizer (vocab 259, ChatML).
inline ts::RandomModelInfo writeChatModel(const std::filesystem::path& dir, ts::RandomModelOptions o)
{
    std::filesystem::create_directories(dir);
    if (auto r = ts::writeByteLevelChatTokenizer(dir); !r)
        throw std::runtime_error(r.error().message);
    o.vocabSize = 259;
    auto info = ts::writeRandomModel(dir, o);
    EXPECT_TRUE(info) << (info ? "" : info.error().message);
    patchConfig(dir, {{"eos_token_id", 258}, {"pad_token_id", 256}});
    return *info;
}

// A tiny random Llama with the byte tokenizer (vocab 259).
inline ts::RandomModelInfo writeTinyChatModel(const std::filesystem::path& dir, uint64_t seed = 3, int64_t hidden = 64,
                                              int64_t layers = 2)
{
    ts::RandomModelOptions o;
    o.arch = ts::ModelArch::Llama;
    o.hiddenSize = hidden;
    o.numLayers = layers;
    o.numHeads = 4;
    o.numKvHeads = 2;
    o.intermediateSize = hidden * 2;
    o.seed = seed;
    // Large enough that the frozen lm_head can express a peaked distribution: logits are bounded by
    // |RMSNorm(h)| · |W_v| ≈ √C · initStd · √C, which at 0.02 would cap the loss near ln(259).
    o.initStd = 0.25;
    o.maxPositionEmbeddings = 512;
    return writeChatModel(dir, o);
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
