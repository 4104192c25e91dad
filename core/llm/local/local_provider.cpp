// LocalProvider: chat template → token ids → Engine::generate, one generation at a time.
#include "llm/local/local_provider.h"

#include <chrono>
#include <mutex>

#include <nlohmann/json.hpp>

#include "model/chat_template.h"
#include "model/tokenizer.h"

namespace ts::llm {

namespace {

using Clock = std::chrono::steady_clock;

double msBetween(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double, std::milli>(b - a).count();
}

ChatError chatError(ChatErrorKind kind, std::string message)
{
    ChatError e;
    e.kind = kind;
    e.message = std::move(message);
    return e;
}

} // namespace

struct LocalProvider::Impl
{
    std::filesystem::path dir;
    LocalProviderOptions options;
    Tokenizer tokenizer;
    ModelChatTemplate chatTemplate;
    std::unique_ptr<Engine> engine;
    std::timed_mutex engineMutex; // held for the whole of one generation
};

LocalProvider::LocalProvider(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{ }

LocalProvider::~LocalProvider() = default;

std::string LocalProvider::describe() const
{
    return "local " + m_impl->dir.string();
}

const std::filesystem::path& LocalProvider::modelDir() const
{
    return m_impl->dir;
}

int64_t LocalProvider::contextLength() const
{
    return m_impl->engine->config().maxPositionEmbeddings;
}

Expected<std::vector<int32_t>> LocalProvider::promptIds(const std::vector<ChatMessage>& messages) const
{
    if (messages.empty())
        return makeError("no messages");
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : messages)
        list.push_back({{"role", m.role}, {"content", m.content}});
    auto text = m_impl->chatTemplate.chatTemplate.render(list, m_impl->chatTemplate.options);
    if (!text)
        return makeError("chat template: " + text.error().message);
    auto ids = m_impl->tokenizer.encode(*text, false); // the template writes its own BOS
    if (ids.empty())
        return makeError("the messages render to an empty prompt");
    return ids;
}

ChatOutcome LocalProvider::chat(const std::vector<ChatMessage>& messages, const ChatParams& params,
                                const CancelToken& cancel, const DeltaCallback& onDelta)
{
    const auto start = Clock::now();
    const int maxTokens = params.maxTokens.value_or(m_impl->options.defaultMaxTokens);
    if (maxTokens < 1)
        return chatError(ChatErrorKind::BadRequest, "max tokens must be at least 1");
    if (params.temperature && *params.temperature < 0)
        return chatError(ChatErrorKind::BadRequest, "temperature must be >= 0");
    if (params.topP && (*params.topP <= 0 || *params.topP > 1))
        return chatError(ChatErrorKind::BadRequest, "top_p must be in (0, 1]");
    for (const auto& stop : params.stop)
        if (stop.empty())
            return chatError(ChatErrorKind::BadRequest, "empty stop string");

    auto prompt = promptIds(messages);
    if (!prompt)
        return chatError(ChatErrorKind::BadRequest, describe() + ": " + prompt.error().message);
    const auto promptLength = static_cast<int64_t>(prompt->size());
    const int64_t context = contextLength();
    if (promptLength >= context)
        return chatError(ChatErrorKind::BadRequest,
                         describe() + ": the prompt is " + std::to_string(promptLength)
                             + " tokens; the model's context is " + std::to_string(context));

    GenerationOptions gen;
    gen.maxNewTokens = static_cast<int>(std::min<int64_t>(maxTokens, context - promptLength));
    if (params.temperature && *params.temperature > 0) {
        gen.sampling.temperature = static_cast<float>(*params.temperature);
        gen.sampling.topP = static_cast<float>(params.topP.value_or(1.0));
        gen.sampling.seed = params.seed.value_or(0);
    }
    gen.stopStrings = params.stop;
    const Tokenizer& tokenizer = m_impl->tokenizer;
    gen.decode = [&tokenizer](const std::vector<int32_t>& ids) { return tokenizer.decode(ids, true); };
    gen.cancel = cancel;
    if (onDelta)
        gen.onToken = [&onDelta](size_t, int32_t, const std::string& delta) {
            if (!delta.empty())
                onDelta(delta);
        };

    // One generation at a time; a waiting call can still be cancelled.
    std::unique_lock lock(m_impl->engineMutex, std::defer_lock);
    const auto waitStart = Clock::now();
    while (!lock.try_lock_for(std::chrono::milliseconds(20)))
        if (cancel.stopRequested())
            return chatError(ChatErrorKind::Cancelled, describe() + ": cancelled while waiting for the engine");
    const double waitMs = msBetween(waitStart, Clock::now());
    if (cancel.stopRequested())
        return chatError(ChatErrorKind::Cancelled, describe() + ": cancelled");

    auto out = m_impl->engine->generate({*prompt}, gen);
    lock.unlock();
    if (!out)
        return chatError(ChatErrorKind::Server, describe() + ": " + out.error().message);
    const SequenceResult& seq = out->sequences.at(0);
    if (seq.finishReason == FinishReason::Cancelled)
        return chatError(ChatErrorKind::Cancelled, describe() + ": cancelled");

    ChatResult result;
    result.text = seq.text;
    result.usage.inputTokens = seq.promptTokens;
    result.usage.outputTokens = static_cast<int64_t>(seq.ids.size());
    result.finishReason = seq.finishReason == FinishReason::Length ? "length" : "stop";
    result.latencyMs = msBetween(start, Clock::now()) - waitMs;
    return result;
}

Expected<std::unique_ptr<LocalProvider>> openLocalProvider(const std::filesystem::path& modelDir,
                                                           const LocalProviderOptions& options)
{
    const std::string where = "local model " + modelDir.string() + ": ";
    std::error_code ec;
    if (!std::filesystem::is_directory(modelDir, ec))
        return makeError(where + "not a folder");
    for (const char* file : {"config.json", "tokenizer.json"})
        if (!std::filesystem::is_regular_file(modelDir / file, ec))
            return makeError(where + "no " + file + " (expected a Hugging Face model folder)");
    if (options.defaultMaxTokens < 1)
        return makeError(where + "the default max tokens must be at least 1");

    auto tokenizer = Tokenizer::loadFromPath(modelDir);
    if (!tokenizer)
        return makeError(where + tokenizer.error().message);
    auto chatTemplate = loadModelChatTemplate(modelDir);
    if (!chatTemplate)
        return makeError(where + chatTemplate.error().message);
    auto engine = Engine::load(modelDir, options.engine);
    if (!engine)
        return makeError(where + engine.error().message);

    std::unique_ptr<LocalProvider::Impl> impl(new LocalProvider::Impl {
        modelDir, options, std::move(*tokenizer), std::move(*chatTemplate), std::move(*engine), {}});
    return std::unique_ptr<LocalProvider>(new LocalProvider(std::move(impl)));
}

} // namespace ts::llm
