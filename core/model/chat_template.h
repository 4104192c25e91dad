// Chat-template rendering: a checkpoint's Jinja chat template applied to messages, as transformers'
// apply_chat_template does (sandboxed Jinja subset, trim_blocks + lstrip_blocks), and its loader.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "common/expected.h"

namespace ts {

namespace jinja {
struct Program;
}

struct ChatTemplateOptions
{
    bool addGenerationPrompt = false;
    std::string bosToken;
    std::string eosToken;
    nlohmann::ordered_json tools; // null: the template sees tools = none
    nlohmann::ordered_json documents; // null: documents = none
    // Further template variables (e.g. enable_thinking, date_string); they override the ones above.
    nlohmann::ordered_json extraContext = nlohmann::ordered_json::object();
    // Clock of strftime_now(); default: the system clock (local time). Tests inject a fixed one.
    std::function<std::chrono::system_clock::time_point()> clock;
    size_t maxOutputBytes = 10 * 1024 * 1024;
    uint64_t maxIterations = 1'000'000;
};

class ChatTemplate
{
public:
    // Parses and checks the template: syntax errors, unsupported tags and unknown filters or tests are
    // reported with their line:column.
    static Expected<ChatTemplate> parse(std::string source);

    // messages: a JSON array of {"role", "content", ...} objects. Errors: raise_exception() in the
    // template (its message verbatim), render errors with line:column, sandbox limits.
    Expected<std::string> render(const nlohmann::ordered_json& messages, const ChatTemplateOptions& options) const;
    Expected<std::string> render(const nlohmann::json& messages, const ChatTemplateOptions& options) const;

    const std::string& source() const { return m_source; }

private:
    ChatTemplate(std::string source, std::shared_ptr<const jinja::Program> program);

    std::string m_source;
    std::shared_ptr<const jinja::Program> m_program;
};

// What a model directory says about its chat template.
struct ChatTemplateFiles
{
    std::string source; // the template text
    std::filesystem::path origin; // chat_template.jinja or tokenizer_config.json
    std::string bosToken; // from tokenizer_config.json; empty when absent or null
    std::string eosToken;
};

// Reads modelDir/chat_template.jinja (preferred) or tokenizer_config.json's "chat_template" (a string,
// or a list of {name, template} from which `name` is picked), plus bos_token / eos_token (strings or
// {"content": ...} objects) from tokenizer_config.json.
Expected<ChatTemplateFiles> loadChatTemplateFiles(const std::filesystem::path& modelDir,
                                                  const std::string& name = "default");
// Just the template text.
Expected<std::string> loadChatTemplate(const std::filesystem::path& modelDir, const std::string& name = "default");
// A model folder's chat template, parsed, with options ready for generation: bos/eos tokens from
// tokenizer_config.json and add_generation_prompt on.
struct ModelChatTemplate
{
    ChatTemplate chatTemplate;
    ChatTemplateOptions options;
};
// Why loadModelChatTemplate failed, for callers that word "no template" and "a template that does not
// parse" differently.
struct ChatTemplateLoadFailure
{
    bool unparsable = false; // the template was read (from `origin`) but does not parse
    std::filesystem::path origin; // chat_template.jinja or tokenizer_config.json; empty when none was read
    std::string detail; // the loader's or the parser's own message, without the "chat template: " prefix
};
// loadChatTemplateFiles + parse; parse errors start with "chat template: ". On failure, `failure` (when
// given) says which step failed.
Expected<ModelChatTemplate> loadModelChatTemplate(const std::filesystem::path& modelDir,
                                                  ChatTemplateLoadFailure* failure = nullptr);
// The template and tokens of one tokenizer_config.json file.
Expected<ChatTemplateFiles> loadChatTemplateFromTokenizerConfig(const std::filesystem::path& tokenizerConfig,
                                                                const std::string& name = "default");

} // namespace ts
