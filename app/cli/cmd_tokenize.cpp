// CLI command `tokenize`: encode text or a file of lines with a model's tokenizer.json, or decode ids.
#include <charconv>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "model/tokenizer.h"

namespace tscli {

namespace {

// Lines of a text file, or, for *.jsonl, one JSON string per line (so texts may hold newlines).
ts::Expected<std::vector<std::string>> readTexts(const std::string& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return ts::makeError("cannot read " + file);
    const bool jsonl = file.size() >= 6 && file.compare(file.size() - 6, 6, ".jsonl") == 0;
    std::vector<std::string> texts;
    std::string line;
    size_t lineNumber = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (!jsonl) {
            texts.push_back(line);
            continue;
        }
        if (line.empty() || line == "\r")
            continue;
        auto value = nlohmann::json::parse(line, nullptr, false);
        if (value.is_discarded() || !value.is_string())
            return ts::makeError(file + ":" + std::to_string(lineNumber) + ": expected a JSON string");
        texts.push_back(value.get<std::string>());
    }
    return texts;
}

} // namespace

int commandTokenize(const Args& args)
{
    Options opts(args, 0, {"--add-special-tokens", "--decode", "--skip-special-tokens"});
    if (!opts.ok())
        return fail("tokenize: " + opts.error(), 2);
    auto path = opts.value("--tokenizer");
    if (!path)
        return fail("tokenize: --tokenizer DIR_OR_FILE is required", 2);
    const auto text = opts.value("--text");
    const auto file = opts.value("--file");
    const auto idsText = opts.value("--ids");
    if (int(text.has_value()) + int(file.has_value()) + int(idsText.has_value()) != 1)
        return fail("tokenize: pass exactly one of --text, --file or --ids", 2);

    auto tokenizer = ts::Tokenizer::loadFromPath(*path);
    if (!tokenizer)
        return fail(tokenizer.error().message);
    const bool addSpecial = opts.flag("--add-special-tokens");
    const bool skipSpecial = opts.flag("--skip-special-tokens");

    if (idsText) {
        auto ids = parseIdList(*idsText);
        if (!ids)
            return fail("tokenize: " + ids.error().message, 2);
        for (int32_t id : *ids)
            if (id >= tokenizer->vocabSize())
                return fail("tokenize: id " + std::to_string(id) + " is outside the vocabulary (size "
                                + std::to_string(tokenizer->vocabSize()) + ")",
                            2);
        return printJson({{"text", tokenizer->decode(*ids, skipSpecial)}});
    }
    if (text) {
        const auto ids = tokenizer->encode(*text, addSpecial);
        nlohmann::json out = {{"ids", ids}};
        if (opts.flag("--decode"))
            out["roundtrip"] = tokenizer->decode(ids, skipSpecial);
        return printJson(out);
    }
    auto texts = readTexts(*file);
    if (!texts)
        return fail("tokenize: " + texts.error().message);
    nlohmann::json allIds = nlohmann::json::array();
    nlohmann::json roundtrip = nlohmann::json::array();
    for (const auto& t : *texts) {
        const auto ids = tokenizer->encode(t, addSpecial);
        if (opts.flag("--decode"))
            roundtrip.push_back(tokenizer->decode(ids, skipSpecial));
        allIds.push_back(ids);
    }
    nlohmann::json out = {{"ids", std::move(allIds)}};
    if (opts.flag("--decode"))
        out["roundtrip"] = std::move(roundtrip);
    return printJson(out);
}

const CommandRegistration tokenizeCommand(
    "tokenize",
    "  tokenize --tokenizer DIR_OR_FILE (--text STR | --file FILE | --ids 1,2,3) [options]\n"
    "                                    encode with a model's tokenizer.json (+ tokenizer_config.json)\n"
    "      --text STR                    print {\"ids\": [...]}\n"
    "      --file FILE                   one text per line; FILE.jsonl: one JSON string per line\n"
    "                                    (texts may contain newlines); print {\"ids\": [[...], ...]}\n"
    "      --ids 1,2,3                   decode ids; print {\"text\": ...}\n"
    "      --add-special-tokens          apply the post-processor (e.g. add BOS)\n"
    "      --decode                      also print \"roundtrip\": the decoded ids\n"
    "      --skip-special-tokens         leave special tokens out when decoding",
    commandTokenize);

} // namespace tscli
