#include "model_maker/byte_tokenizer_writer.h"

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/byte_level.h"

namespace ts {

namespace {

Status writeJson(const std::filesystem::path& path, const nlohmann::ordered_json& json)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << json.dump(1);
    out.close();
    if (!out)
        return makeError(path.string() + ": cannot write");
    return {};
}

} // namespace

Status writeByteLevelChatTokenizer(const std::filesystem::path& dir)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return makeError(dir.string() + ": cannot create folder: " + ec.message());

    nlohmann::ordered_json vocab = nlohmann::ordered_json::object();
    for (int b = 0; b < 256; ++b) {
        const char byte = static_cast<char>(b);
        vocab[byte_level::encode(std::string_view(&byte, 1))] = b;
    }
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
    const nlohmann::ordered_json tokenizer = {
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
    if (auto r = writeJson(dir / "tokenizer.json", tokenizer); !r)
        return r;
    const nlohmann::ordered_json config = {{"bos_token", nullptr},
                                           {"eos_token", "<|im_end|>"},
                                           {"pad_token", "<|endoftext|>"},
                                           {"chat_template", kChatMlTemplate},
                                           {"tokenizer_class", "PreTrainedTokenizerFast"}};
    return writeJson(dir / "tokenizer_config.json", config);
}

} // namespace ts
