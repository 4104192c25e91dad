// countPromptTokens: a per-folder cache of Tokenizer + chat template, then render → encode like LocalProvider.
#include "promptlab/token_counter.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "model/chat_template.h"
#include "model/tokenizer.h"

namespace ts::ui {

namespace {

struct ModelTokens
{
    std::optional<ts::Tokenizer> tokenizer;
    std::optional<ts::ModelChatTemplate> chatTemplate;
    std::string tokenizerError;
    std::string templateError;
};

std::shared_ptr<const ModelTokens> modelTokens(const std::string& dir)
{
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const ModelTokens>> cache;
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (auto it = cache.find(dir); it != cache.end())
            return it->second;
    }
    auto loaded = std::make_shared<ModelTokens>();
    auto tokenizer = ts::Tokenizer::loadFromPath(dir);
    if (tokenizer)
        loaded->tokenizer = std::move(*tokenizer);
    else
        loaded->tokenizerError = tokenizer.error().message;
    auto chatTemplate = ts::loadModelChatTemplate(dir);
    if (chatTemplate)
        loaded->chatTemplate = std::move(*chatTemplate);
    else
        loaded->templateError = chatTemplate.error().message;
    std::lock_guard<std::mutex> lock(mutex);
    return cache.emplace(dir, std::move(loaded)).first->second;
}

} // namespace

int64_t estimateTokens(const std::vector<llm::ChatMessage>& messages)
{
    int64_t codePoints = 0;
    for (const auto& m : messages)
        codePoints += static_cast<int64_t>(ts::utf8::codePointCount(m.content));
    return (codePoints + 3) / 4;
}

TokenCount countPromptTokens(const std::string& modelDir, const std::vector<llm::ChatMessage>& messages)
{
    TokenCount out;
    out.tokens = estimateTokens(messages);
    if (modelDir.empty())
        return out;
    const auto model = modelTokens(modelDir);
    if (!model->tokenizer) {
        out.note = model->tokenizerError;
        return out;
    }
    out.exact = true;
    if (model->chatTemplate) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& m : messages)
            list.push_back({{"role", m.role}, {"content", m.content}});
        auto text = model->chatTemplate->chatTemplate.render(list, model->chatTemplate->options);
        if (text) {
            out.chatTemplate = true;
            out.tokens = static_cast<int64_t>(model->tokenizer->encode(*text, false).size());
            return out;
        }
        out.note = "chat template: " + text.error().message;
    } else {
        out.note = model->templateError;
    }
    std::string joined;
    for (const auto& m : messages)
        joined += (joined.empty() ? "" : "\n") + m.content;
    out.tokens = static_cast<int64_t>(model->tokenizer->encode(joined, false).size());
    return out;
}

} // namespace ts::ui
