// Chat-template rendering: a checkpoint's Jinja chat template applied to messages, and its loader.
#include "model/chat_template.h"

#include "common/file_io.h"
#include "common/json_file.h"

#include <ctime>

#include "model/jinja/error.h"
#include "model/jinja/interpreter.h"
#include "model/jinja/parser.h"

namespace ts {

namespace {

std::string describe(const jinja::JinjaError& e)
{
    return "chat template: " + e.describe();
}

jinja::Value strftimeNow(const std::function<std::chrono::system_clock::time_point()>& clock, const std::string& fmt)
{
    if (fmt.size() > 256)
        throw jinja::JinjaError("strftime_now: format string too long");
    const std::time_t t = std::chrono::system_clock::to_time_t(clock ? clock() : std::chrono::system_clock::now());
    std::tm tm {};
    localtime_r(&t, &tm);
    std::string buf(512, '\0');
    const size_t n = fmt.empty() ? 0 : std::strftime(buf.data(), buf.size(), fmt.c_str(), &tm);
    buf.resize(n);
    return jinja::Value::string(buf);
}

} // namespace

ChatTemplate::ChatTemplate(std::string source, std::shared_ptr<const jinja::Program> program)
    : m_source(std::move(source))
    , m_program(std::move(program))
{ }

Expected<ChatTemplate> ChatTemplate::parse(std::string source)
{
    try {
        auto program = std::make_shared<jinja::Program>(jinja::parseTemplate(source));
        jinja::validate(*program);
        return ChatTemplate(std::move(source), std::move(program));
    } catch (const jinja::JinjaError& e) {
        return makeError(describe(e));
    } catch (const std::exception& e) {
        return makeError(std::string("chat template: ") + e.what());
    }
}

Expected<std::string> ChatTemplate::render(const nlohmann::json& messages, const ChatTemplateOptions& options) const
{
    return render(nlohmann::ordered_json(messages), options);
}

Expected<std::string> ChatTemplate::render(const nlohmann::ordered_json& messages,
                                           const ChatTemplateOptions& options) const
{
    if (!messages.is_array())
        return makeError("chat template: messages must be a JSON array");
    if (!options.extraContext.is_null() && !options.extraContext.is_object())
        return makeError("chat template: the extra context must be a JSON object");
    try {
        jinja::ValueMap vars;
        vars.set("messages", jinja::Value::fromJson(messages));
        vars.set("add_generation_prompt", jinja::Value::boolean(options.addGenerationPrompt));
        vars.set("bos_token", jinja::Value::string(options.bosToken));
        vars.set("eos_token", jinja::Value::string(options.eosToken));
        vars.set("tools", jinja::Value::fromJson(options.tools));
        vars.set("documents", jinja::Value::fromJson(options.documents));
        vars.set("raise_exception",
                 jinja::Value::callable("raise_exception", [](const jinja::CallArgs& args) -> jinja::Value {
                     const std::string message
                         = args.positional.empty() ? std::string("raise_exception() called") : args.positional[0].str();
                     throw jinja::RaisedError(message);
                 }));
        auto clock = options.clock;
        vars.set("strftime_now", jinja::Value::callable("strftime_now", [clock](const jinja::CallArgs& args) {
                     if (args.positional.size() != 1 || !args.positional[0].isString() || !args.named.empty())
                         throw jinja::JinjaError("strftime_now() expects one format string");
                     return strftimeNow(clock, args.positional[0].asString());
                 }));
        if (options.extraContext.is_object())
            for (const auto& [key, value] : options.extraContext.items())
                vars.set(key, jinja::Value::fromJson(value));

        jinja::RenderLimits limits;
        limits.maxOutputBytes = options.maxOutputBytes;
        limits.maxIterations = options.maxIterations;
        jinja::Interpreter interpreter(limits);
        return interpreter.render(*m_program, vars);
    } catch (const jinja::RaisedError& e) {
        return makeError(e.what());
    } catch (const jinja::JinjaError& e) {
        return makeError(describe(e));
    } catch (const std::exception& e) {
        return makeError(std::string("chat template: ") + e.what());
    }
}

namespace {

std::string tokenText(const nlohmann::json& config, const char* key)
{
    auto it = config.find(key);
    if (it == config.end())
        return {};
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_object()) {
        auto content = it->find("content");
        if (content != it->end() && content->is_string())
            return content->get<std::string>();
    }
    return {};
}

Expected<nlohmann::json> readConfig(const std::filesystem::path& path)
{
    auto config = readJsonFile(path);
    if (!config)
        return config.error();
    if (!config->is_object())
        return makeError(path.string() + ": not a JSON object");
    return config;
}

// The "chat_template" entry: a string, or a list of {name, template}.
Expected<std::string> templateFromConfig(const nlohmann::json& config, const std::filesystem::path& path,
                                         const std::string& name)
{
    auto it = config.find("chat_template");
    if (it == config.end() || it->is_null())
        return makeError(path.string() + ": no \"chat_template\"");
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_array()) {
        std::string names;
        for (const auto& entry : *it) {
            if (!entry.is_object() || !entry.contains("name") || !entry.contains("template")
                || !entry["name"].is_string() || !entry["template"].is_string())
                return makeError(path.string() + ": \"chat_template\" list entries must be {name, template}");
            if (entry["name"].get<std::string>() == name)
                return entry["template"].get<std::string>();
            names += (names.empty() ? "" : ", ") + entry["name"].get<std::string>();
        }
        return makeError(path.string() + ": no chat template named '" + name + "' (has: " + names + ")");
    }
    return makeError(path.string() + ": \"chat_template\" must be a string or a list of {name, template}");
}

} // namespace

Expected<ChatTemplateFiles> loadChatTemplateFromTokenizerConfig(const std::filesystem::path& tokenizerConfig,
                                                                const std::string& name)
{
    auto config = readConfig(tokenizerConfig);
    if (!config)
        return config.error();
    auto source = templateFromConfig(*config, tokenizerConfig, name);
    if (!source)
        return source.error();
    ChatTemplateFiles files;
    files.source = std::move(*source);
    files.origin = tokenizerConfig;
    files.bosToken = tokenText(*config, "bos_token");
    files.eosToken = tokenText(*config, "eos_token");
    return files;
}

Expected<ChatTemplateFiles> loadChatTemplateFiles(const std::filesystem::path& modelDir, const std::string& name)
{
    const auto configPath = modelDir / "tokenizer_config.json";
    const auto jinjaPath = modelDir / "chat_template.jinja";
    std::error_code ec;
    const bool hasConfig = std::filesystem::is_regular_file(configPath, ec);
    ChatTemplateFiles files;
    nlohmann::json config;
    if (hasConfig) {
        auto parsed = readConfig(configPath);
        if (!parsed)
            return parsed.error();
        config = std::move(*parsed);
        files.bosToken = tokenText(config, "bos_token");
        files.eosToken = tokenText(config, "eos_token");
    }
    if (std::filesystem::is_regular_file(jinjaPath, ec) && name == "default") {
        auto text = readFile(jinjaPath);
        if (!text)
            return text.error();
        files.source = std::move(*text);
        files.origin = jinjaPath;
        return files;
    }
    if (!hasConfig)
        return makeError("no chat template in " + modelDir.string()
                         + " (neither chat_template.jinja nor tokenizer_config.json)");
    auto source = templateFromConfig(config, configPath, name);
    if (!source)
        return source.error();
    files.source = std::move(*source);
    files.origin = configPath;
    return files;
}

Expected<std::string> loadChatTemplate(const std::filesystem::path& modelDir, const std::string& name)
{
    auto files = loadChatTemplateFiles(modelDir, name);
    if (!files)
        return files.error();
    return std::move(files->source);
}

Expected<ModelChatTemplate> loadModelChatTemplate(const std::filesystem::path& modelDir,
                                                  ChatTemplateLoadFailure* failure)
{
    auto files = loadChatTemplateFiles(modelDir);
    if (!files) {
        if (failure)
            *failure = {false, {}, files.error().message};
        return files.error();
    }
    auto parsed = ChatTemplate::parse(files->source);
    if (!parsed) {
        if (failure)
            *failure = {true, files->origin, parsed.error().message};
        return makeError("chat template: " + parsed.error().message);
    }
    ChatTemplateOptions options;
    options.bosToken = files->bosToken;
    options.eosToken = files->eosToken;
    options.addGenerationPrompt = true;
    return ModelChatTemplate {std::move(*parsed), std::move(options)};
}

} // namespace ts
