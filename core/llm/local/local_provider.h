// LocalProvider: the libtorch engine as an llm::Provider. It owns one Engine, the model's
// tokenizer and chat template; chat() renders the messages with the chat template (generation
// prompt on), generates and reports token usage. Torch-free header (the Engine is behind a pointer).
//
// Threading: chat() may be called from several threads; generations run one at a time (a mutex
// around the engine). A call waiting for its turn still honours its CancelToken. Batching
// concurrent requests into one engine batch is a later optimisation.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/expected.h"
#include "engine/engine.h"
#include "llm/provider.h"

namespace ts::llm {

struct LocalProviderOptions
{
    EngineOptions engine; // threads, dtype, adapter, ...
    int defaultMaxTokens = 256; // when ChatParams::maxTokens is unset
};

class LocalProvider final : public Provider
{
public:
    ~LocalProvider() override;
    LocalProvider(const LocalProvider&) = delete;
    LocalProvider& operator=(const LocalProvider&) = delete;

    std::string describe() const override; // "local /path/to/model"

    // Sampling: temperature unset or <= 0 → greedy; else temperature, top_p and seed (default 0).
    // maxTokens (default options.defaultMaxTokens) is clamped to what is left of the model's
    // context. finishReason: "stop" (EOS or a stop string), "length". Usage counts the rendered
    // prompt's tokens and the generated tokens (an EOS that ended generation included).
    // latencyMs: rendering + generation, without the wait for the engine. jsonMode is ignored.
    // Errors: BadRequest (template render failure, empty prompt, prompt longer than the context,
    // bad parameters), Cancelled, Server (an engine failure).
    ChatOutcome chat(const std::vector<ChatMessage>& messages, const ChatParams& params, const CancelToken& cancel,
                     const DeltaCallback& onDelta = {}) override;

    // The prompt chat() would feed the engine for these messages.
    Expected<std::vector<int32_t>> promptIds(const std::vector<ChatMessage>& messages) const;

    const std::filesystem::path& modelDir() const;
    int64_t contextLength() const; // config.json max_position_embeddings

    struct Impl;

private:
    explicit LocalProvider(std::unique_ptr<Impl> impl);
    friend Expected<std::unique_ptr<LocalProvider>> openLocalProvider(const std::filesystem::path&,
                                                                      const LocalProviderOptions&);
    std::unique_ptr<Impl> m_impl;
};

// Loads a Hugging Face model folder: config.json + *.safetensors (the engine), tokenizer.json and
// a chat template (chat_template.jinja or tokenizer_config.json). Errors name the folder and what
// is missing.
Expected<std::unique_ptr<LocalProvider>> openLocalProvider(const std::filesystem::path& modelDir,
                                                           const LocalProviderOptions& options = {});

} // namespace ts::llm
