// Judge prompts and verdict parsing; see judge.h.
#include "eval/judge.h"

#include <cctype>
#include <charconv>
#include <optional>

#include "common/utf8.h"

namespace ts::eval {

namespace {

std::string block(const std::string& title, const std::string& text)
{
    return "[" + title + " begins]\n" + text + "\n[" + title + " ends]\n";
}

// The question, then the reference answer when there is one.
std::string questionSection(const std::string& question, const std::string& reference)
{
    std::string text = "[Question]\n" + question + "\n\n";
    if (!reference.empty())
        text += block("Reference answer", reference) + "\n";
    return text;
}

std::string criteriaSentence(const std::string& criteria)
{
    return criteria.empty() ? std::string() : " For this task, weigh especially: " + criteria;
}

// The contents of every "[[...]]" in `reply`, trimmed, in order.
std::vector<std::string_view> bracketed(std::string_view reply)
{
    std::vector<std::string_view> found;
    size_t pos = 0; // where the previous "]]" ended
    size_t close = 0;
    while ((close = reply.find("]]", pos)) != std::string_view::npos) {
        // The "[[" nearest to the "]]", so "[[[4]]]" holds "4".
        const size_t open = close >= 2 ? reply.rfind("[[", close - 2) : std::string_view::npos;
        if (open != std::string_view::npos && open >= pos) {
            std::string_view inside = reply.substr(open + 2, close - open - 2);
            while (!inside.empty() && std::isspace(static_cast<unsigned char>(inside.front())))
                inside.remove_prefix(1);
            while (!inside.empty() && std::isspace(static_cast<unsigned char>(inside.back())))
                inside.remove_suffix(1);
            found.push_back(inside);
        }
        pos = close + 2;
    }
    return found;
}

// "7" or "7.5": digits with an optional fraction, nothing else.
std::optional<double> plainNumber(std::string_view text)
{
    if (text.empty() || !std::isdigit(static_cast<unsigned char>(text.front()))
        || !std::isdigit(static_cast<unsigned char>(text.back())))
        return std::nullopt;
    size_t dots = 0;
    for (char c : text) {
        if (c == '.')
            ++dots;
        else if (!std::isdigit(static_cast<unsigned char>(c)))
            return std::nullopt;
    }
    if (dots > 1)
        return std::nullopt;
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::string replyTail(std::string_view reply)
{
    constexpr size_t kShown = 80;
    if (reply.size() <= kShown)
        return "'" + std::string(reply) + "'";
    return "'..." + std::string(utf8::suffixWithinBytes(reply, kShown)) + "'";
}

std::string ratingText(double value)
{
    std::string text = std::to_string(value);
    text.erase(text.find_last_not_of('0') + 1);
    if (!text.empty() && text.back() == '.')
        text.pop_back();
    return text;
}

} // namespace

std::vector<llm::ChatMessage> singleGradingPrompt(const SingleGradingRequest& request)
{
    const bool guided = !request.reference.empty();
    std::string system = "You are an impartial judge of the quality of an AI assistant's answer to a user's question. "
                         "Consider how helpful, relevant, accurate and complete the answer is, and whether its level "
                         "of detail suits the question.";
    if (guided)
        system += " A reference answer is given: compare the assistant's answer with it and treat every mistake "
                  "or omission relative to the reference as serious.";
    system += criteriaSentence(request.criteria);
    system += " Begin with a short, objective explanation. Then rate the answer on a scale of 1 to 10 and write "
              "the rating in exactly this format: \"Rating: [[5]]\".";

    return {
        {"system", system},
        {"user", questionSection(request.question, request.reference) + block("Assistant's answer", request.answer)}};
}

std::vector<llm::ChatMessage> pairwisePrompt(const PairwiseRequest& request)
{
    const bool guided = !request.reference.empty();
    std::string system = "You are an impartial judge. Compare the answers of two AI assistants to the user's "
                         "question below and decide which one answers it better. Consider how helpful, relevant, "
                         "accurate and complete each answer is, and whether its level of detail suits the question.";
    if (guided)
        system += " A reference answer is given: check both answers against it.";
    system += criteriaSentence(request.criteria);
    system += " The order in which the answers appear must not influence you, nor their length, nor the names of "
              "the assistants. Begin with a short, objective comparison. Then give your verdict in exactly one of "
              "these formats: \"[[A]]\" if assistant A is better, \"[[B]]\" if assistant B is better, \"[[C]]\" "
              "for a tie.";

    return {{"system", system},
            {"user",
             questionSection(request.question, request.reference) + block("Assistant A's answer", request.answerA)
                 + "\n" + block("Assistant B's answer", request.answerB)}};
}

PairwiseRequest swapAnswers(const PairwiseRequest& request)
{
    PairwiseRequest swapped = request;
    std::swap(swapped.answerA, swapped.answerB);
    return swapped;
}

Expected<double> parseRating(std::string_view reply, double minRating, double maxRating)
{
    const auto candidates = bracketed(reply);
    for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
        const auto value = plainNumber(*it);
        if (!value)
            continue;
        if (*value < minRating || *value > maxRating)
            return makeError("judge rating " + ratingText(*value) + " is outside " + ratingText(minRating) + " to "
                             + ratingText(maxRating) + " in the reply " + replyTail(reply));
        return *value;
    }
    return makeError("no rating in the [[rating]] format in the judge's reply " + replyTail(reply));
}

const char* pairVerdictName(PairVerdict verdict)
{
    switch (verdict) {
    case PairVerdict::A:
        return "A";
    case PairVerdict::B:
        return "B";
    case PairVerdict::Tie:
        return "tie";
    }
    return "tie";
}

Expected<PairVerdict> parsePairVerdict(std::string_view reply)
{
    const auto candidates = bracketed(reply);
    for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
        if (*it == "A")
            return PairVerdict::A;
        if (*it == "B")
            return PairVerdict::B;
        if (*it == "C")
            return PairVerdict::Tie;
    }
    return makeError("no verdict [[A]], [[B]] or [[C]] in the judge's reply " + replyTail(reply));
}

PairOutcome combineSwapped(PairVerdict original, PairVerdict swapped)
{
    // In the swapped judging "A" was the original B.
    PairVerdict unswapped = PairVerdict::Tie;
    if (swapped == PairVerdict::A)
        unswapped = PairVerdict::B;
    else if (swapped == PairVerdict::B)
        unswapped = PairVerdict::A;
    if (original == unswapped)
        return PairOutcome {original, true};
    return PairOutcome {PairVerdict::Tie, false};
}

} // namespace ts::eval
