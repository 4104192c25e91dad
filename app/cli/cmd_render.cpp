// CLI command `render`: applies a chat template (from a model directory or a file) to messages.
#include <fstream>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "common/file_io.h"
#include "common/json_file.h"
#include "model/chat_template.h"

namespace tscli {

namespace {

nlohmann::ordered_json mergedContext(const nlohmann::ordered_json& base, const nlohmann::ordered_json& extra)
{
    nlohmann::ordered_json out = base;
    if (extra.is_object())
        for (const auto& [key, value] : extra.items())
            out[key] = value;
    return out;
}

} // namespace

int commandRender(const Args& args)
{
    Options opts(args, 0, {"--add-generation-prompt"});
    if (!opts.ok())
        return fail("render: " + opts.error(), 2);
    const auto model = opts.value("--model");
    const auto templateFile = opts.value("--template");
    if (model.has_value() == templateFile.has_value())
        return fail("render: pass exactly one of --model DIR and --template FILE", 2);
    const auto messagesFile = opts.value("--messages");
    const auto conversationsFile = opts.value("--conversations");
    if (messagesFile.has_value() == conversationsFile.has_value())
        return fail("render: pass exactly one of --messages FILE.json and --conversations FILE.jsonl", 2);

    std::string source;
    ts::ChatTemplateOptions options;
    const std::string name = opts.value("--template-name").value_or("default");
    if (model) {
        auto files = ts::loadChatTemplateFiles(*model, name);
        if (!files)
            return fail("render: " + files.error().message);
        source = std::move(files->source);
        options.bosToken = files->bosToken;
        options.eosToken = files->eosToken;
    } else {
        auto text = ts::readFile(*templateFile);
        if (!text)
            return fail("render: " + text.error().message);
        source = std::move(*text);
        if (auto config = opts.value("--tokenizer-config")) {
            auto files = ts::loadChatTemplateFromTokenizerConfig(*config, name);
            if (!files)
                return fail("render: " + files.error().message);
            options.bosToken = files->bosToken;
            options.eosToken = files->eosToken;
        }
    }
    if (auto bos = opts.value("--bos"))
        options.bosToken = *bos;
    if (auto eos = opts.value("--eos"))
        options.eosToken = *eos;
    options.addGenerationPrompt = opts.flag("--add-generation-prompt");
    if (auto tools = opts.value("--tools")) {
        auto json = ts::readOrderedJsonFile(*tools);
        if (!json)
            return fail("render: " + json.error().message);
        options.tools = std::move(*json);
    }
    if (auto context = opts.value("--context")) {
        auto json = ts::readOrderedJsonFile(*context);
        if (!json)
            return fail("render: " + json.error().message);
        if (!json->is_object())
            return fail("render: --context must hold a JSON object", 2);
        options.extraContext = std::move(*json);
    }

    auto chatTemplate = ts::ChatTemplate::parse(std::move(source));
    if (!chatTemplate)
        return fail("render: " + chatTemplate.error().message);

    if (messagesFile) {
        auto messages = ts::readOrderedJsonFile(*messagesFile);
        if (!messages)
            return fail("render: " + messages.error().message);
        auto text = chatTemplate->render(*messages, options);
        if (!text)
            return fail("render: " + text.error().message, 3);
        return printJson({{"text", *text}});
    }

    // One conversation per line: {"messages": [...], "add_generation_prompt": bool, "tools": [...],
    // "context": {...}}; failures are reported per conversation.
    std::ifstream in(*conversationsFile, std::ios::binary);
    if (!in)
        return fail("render: cannot read " + *conversationsFile);
    nlohmann::json texts = nlohmann::json::array();
    nlohmann::json errors = nlohmann::json::array();
    std::string line;
    size_t lineNumber = 0;
    size_t failed = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        auto entry = nlohmann::ordered_json::parse(line, nullptr, false);
        if (entry.is_discarded() || !entry.is_object() || !entry.contains("messages"))
            return fail("render: " + *conversationsFile + ":" + std::to_string(lineNumber)
                            + ": expected a JSON object with \"messages\"",
                        2);
        ts::ChatTemplateOptions lineOptions = options;
        if (entry.contains("add_generation_prompt"))
            lineOptions.addGenerationPrompt
                = entry["add_generation_prompt"].is_boolean() && entry["add_generation_prompt"].get<bool>();
        if (entry.contains("tools"))
            lineOptions.tools = entry["tools"];
        if (entry.contains("context"))
            lineOptions.extraContext = mergedContext(options.extraContext, entry["context"]);
        auto text = chatTemplate->render(entry["messages"], lineOptions);
        if (text) {
            texts.push_back(*text);
            errors.push_back(nullptr);
        } else {
            texts.push_back(nullptr);
            errors.push_back(text.error().message);
            ++failed;
        }
    }
    return printJson({{"texts", texts}, {"errors", errors}, {"failed", failed}});
}

const CommandRegistration renderCommand(
    "render",
    "  render (--model DIR | --template FILE [--tokenizer-config FILE]) --messages FILE.json\n"
    "                                    apply a chat template; prints {\"text\": ...}\n"
    "      --conversations FILE.jsonl    instead of --messages: one {\"messages\", \"add_generation_prompt\",\n"
    "                                    \"tools\", \"context\"} per line; prints {\"texts\", \"errors\"}\n"
    "      --add-generation-prompt       end with the assistant header\n"
    "      --bos STR --eos STR           special tokens (default: from tokenizer_config.json)\n"
    "      --tools FILE.json             tools list passed to the template\n"
    "      --context FILE.json           extra template variables (e.g. {\"enable_thinking\": false})\n"
    "      --template-name NAME          pick a named template from a list (default: default)",
    commandRender);

} // namespace tscli
