// Generation: one prefill pass over the (left-padded) prompts, then one decode pass per new token
// with the KV cache, sampling each row with its own Sampler (see engine.h).
//
// Batching: B prompts of lengths L_b are left-padded to Tp = max L_b. Row b's real tokens sit in
// cache slots [Tp - L_b, Tp) with RoPE positions 0..L_b-1; padding slots are masked out of every
// attention (keyPad), so each row computes what it would compute alone. After the prompt, every
// row writes step s into slot Tp + s at position L_b + s. A row that finishes (EOS, stop string,
// length) leaves the batch, so a long answer does not keep short ones computing.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <unordered_set>

#include "engine/engine_impl.h"

namespace ts {

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Per-sequence state.
struct Row
{
    std::vector<int32_t> history; // prompt + generated (for the repetition penalty)
    size_t promptLength = 0;
    Sampler sampler;
    bool finished = false;
    size_t emitted = 0; // bytes of text already streamed
};

bool endsWithReplacement(const std::string& text)
{
    return text.size() >= 3 && text.compare(text.size() - 3, 3, "\xEF\xBF\xBD") == 0;
}

// Bytes at the end of `text` that may still grow into a stop string (held back when streaming).
size_t stopPrefixTail(const std::string& text, const std::vector<std::string>& stops)
{
    size_t tail = 0;
    for (const auto& stop : stops)
        for (size_t n = std::min(stop.size() - 1, text.size()); n > tail; --n)
            if (text.compare(text.size() - n, n, stop, 0, n) == 0) {
                tail = n;
                break;
            }
    return tail;
}

} // namespace

Expected<GenerationResult> Engine::generate(const std::vector<std::vector<int32_t>>& prompts,
                                            const GenerationOptions& o)
{
    const ModelConfig& config = m_impl->config;
    const int64_t V = config.vocabSize;
    if (prompts.empty())
        return makeError("generate: no prompts");
    if (o.maxNewTokens < 0)
        return makeError("generate: max new tokens must be >= 0");
    for (size_t b = 0; b < prompts.size(); ++b) {
        if (prompts[b].empty())
            return makeError("generate: prompt " + std::to_string(b) + " is empty");
        for (int32_t id : prompts[b])
            if (id < 0 || id >= V)
                return makeError("generate: prompt " + std::to_string(b) + " has token id " + std::to_string(id)
                                 + " outside the vocabulary (size " + std::to_string(V) + ")");
    }
    for (const auto& stop : o.stopStrings)
        if (stop.empty())
            return makeError("generate: empty stop string");

    const int64_t B = static_cast<int64_t>(prompts.size());
    int64_t Tp = 0, realTokens = 0;
    for (const auto& p : prompts) {
        Tp = std::max<int64_t>(Tp, static_cast<int64_t>(p.size()));
        realTokens += static_cast<int64_t>(p.size());
    }
    const auto eosList = o.eosIds ? *o.eosIds : defaultEosIds();
    const std::unordered_set<int32_t> eos(eosList.begin(), eosList.end());
    const bool incrementalText = o.decode && (!o.stopStrings.empty() || o.onToken);

    GenerationResult result;
    result.sequences.resize(static_cast<size_t>(B));
    result.prefillTokens = realTokens;
    std::vector<Row> rows;
    rows.reserve(static_cast<size_t>(B));
    for (int64_t b = 0; b < B; ++b) {
        const auto& p = prompts[static_cast<size_t>(b)];
        rows.push_back(Row {p, p.size(), Sampler(o.sampling)});
        result.sequences[static_cast<size_t>(b)].promptTokens = static_cast<int64_t>(p.size());
    }
    if (o.maxNewTokens == 0)
        return result;

    return engine::guarded<GenerationResult>("generate", [&]() -> Expected<GenerationResult> {
        engine::compat::InferenceGuard guard;
        auto& model = *m_impl->model;
        const auto start = Clock::now();

        engine::KvCache cache;
        cache.allocate(config, B, Tp + o.maxNewTokens, m_impl->dtype);

        // Prompt batch (B, Tp), left-padded; padding repeats the row's first token (never seen).
        auto tokens = torch::empty({B, Tp}, torch::kLong);
        auto positions = torch::empty({B, Tp}, torch::kLong);
        torch::Tensor keyPad; // (B, Tmax) additive, only when rows differ in length
        int64_t* tp = tokens.data_ptr<int64_t>();
        int64_t* pp = positions.data_ptr<int64_t>();
        bool padded = false;
        for (int64_t b = 0; b < B; ++b) {
            const auto& p = prompts[static_cast<size_t>(b)];
            const int64_t pad = Tp - static_cast<int64_t>(p.size());
            padded = padded || pad > 0;
            for (int64_t j = 0; j < Tp; ++j) {
                tp[b * Tp + j] = j < pad ? p[0] : p[static_cast<size_t>(j - pad)];
                pp[b * Tp + j] = j < pad ? 0 : j - pad;
            }
        }
        if (padded) {
            keyPad = torch::zeros({B, cache.capacity}, torch::kFloat);
            float* kp = keyPad.data_ptr<float>();
            for (int64_t b = 0; b < B; ++b)
                for (int64_t j = 0; j < Tp - static_cast<int64_t>(prompts[static_cast<size_t>(b)].size()); ++j)
                    kp[b * cache.capacity + j] = -1e30f;
        }

        auto logits = model.forward(tokens, positions, cache, keyPad, false); // (B, V) fp32
        auto stepTokens = torch::empty({B, 1}, torch::kLong);
        auto stepPositions = torch::empty({B, 1}, torch::kLong);
        bool prefillDone = false;
        Clock::time_point decodeStart;

        // live[i]: the sequence in batch row i. Rows of finished sequences are dropped from the
        // batch (cache, padding mask) before the next step.
        std::vector<int64_t> live(static_cast<size_t>(B));
        for (int64_t b = 0; b < B; ++b)
            live[static_cast<size_t>(b)] = b;

        for (int step = 0;; ++step) {
            logits = logits.contiguous();
            const float* lp = logits.data_ptr<float>();
            size_t active = 0;
            for (size_t i = 0; i < live.size(); ++i) {
                const int64_t b = live[i];
                Row& row = rows[static_cast<size_t>(b)];
                if (row.finished)
                    continue;
                SequenceResult& seq = result.sequences[static_cast<size_t>(b)];
                std::span<const float> rowLogits(lp + static_cast<int64_t>(i) * V, static_cast<size_t>(V));
                if (o.recordLogits)
                    seq.stepLogits.emplace_back(rowLogits.begin(), rowLogits.end());
                const int32_t id = row.sampler.sample(rowLogits, row.history);
                row.history.push_back(id);
                seq.ids.push_back(id);
                ++result.completionTokens;
                if (step > 0)
                    ++result.decodeTokens;

                std::string delta;
                if (eos.count(id)) {
                    row.finished = true;
                    seq.finishReason = FinishReason::Eos;
                } else if (incrementalText) {
                    std::string text = o.decode(seq.ids);
                    size_t cut = std::string::npos;
                    for (const auto& stop : o.stopStrings)
                        cut = std::min(cut, text.find(stop));
                    if (cut != std::string::npos) {
                        text.resize(cut);
                        row.finished = true;
                        seq.finishReason = FinishReason::Stop;
                        seq.text = text;
                    }
                    size_t safe = text.size();
                    if (!row.finished) {
                        safe -= stopPrefixTail(text, o.stopStrings);
                        if (endsWithReplacement(text.substr(0, safe)))
                            safe -= 3;
                    }
                    if (safe > row.emitted) {
                        delta = text.substr(row.emitted, safe - row.emitted);
                        row.emitted = safe;
                    }
                }
                if (!row.finished && static_cast<int>(seq.ids.size()) >= o.maxNewTokens) {
                    row.finished = true;
                    seq.finishReason = FinishReason::Length;
                }
                if (row.finished && o.decode && seq.finishReason != FinishReason::Stop) {
                    std::vector<int32_t> textIds = seq.ids;
                    if (seq.finishReason == FinishReason::Eos)
                        textIds.pop_back();
                    seq.text = o.decode(textIds);
                    if (incrementalText && seq.text.size() > row.emitted) {
                        delta += seq.text.substr(row.emitted);
                        row.emitted = seq.text.size();
                    }
                }
                if (o.onToken)
                    o.onToken(static_cast<size_t>(b), id, delta);
                if (!row.finished)
                    ++active;
            }
            if (!prefillDone) {
                result.prefillMs = msSince(start);
                decodeStart = Clock::now();
                prefillDone = true;
            }
            if (active == 0)
                break;
            if (o.cancel.stopRequested()) {
                for (int64_t b = 0; b < B; ++b) {
                    Row& row = rows[static_cast<size_t>(b)];
                    SequenceResult& seq = result.sequences[static_cast<size_t>(b)];
                    if (row.finished)
                        continue;
                    row.finished = true;
                    seq.finishReason = FinishReason::Cancelled;
                    if (o.decode)
                        seq.text = o.decode(seq.ids);
                }
                break;
            }

            if (active < live.size()) {
                std::vector<int64_t> keep, next;
                for (size_t i = 0; i < live.size(); ++i)
                    if (!rows[static_cast<size_t>(live[i])].finished) {
                        keep.push_back(static_cast<int64_t>(i));
                        next.push_back(live[i]);
                    }
                const auto index = torch::tensor(keep, torch::kLong);
                cache.keepRows(index);
                if (keyPad.defined())
                    keyPad = keyPad.index_select(0, index);
                live = std::move(next);
                stepTokens = torch::empty({static_cast<int64_t>(live.size()), 1}, torch::kLong);
                stepPositions = torch::empty({static_cast<int64_t>(live.size()), 1}, torch::kLong);
            }

            // Decode step: feed each live row's last token at its next position.
            int64_t* st = stepTokens.data_ptr<int64_t>();
            int64_t* sp = stepPositions.data_ptr<int64_t>();
            for (size_t i = 0; i < live.size(); ++i) {
                const Row& row = rows[static_cast<size_t>(live[i])];
                st[i] = row.history.back();
                sp[i] = static_cast<int64_t>(row.history.size()) - 1;
            }
            logits = model.forward(stepTokens, stepPositions, cache, keyPad, false);
        }
        result.decodeMs = msSince(decodeStart);
        return result;
    });
}

} // namespace ts
