// CLI command export-gguf: a Hugging Face model folder to a llama.cpp GGUF file.
#include <chrono>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "export/gguf_export.h"

namespace tscli {

namespace {

int commandExportGguf(const Args& args)
{
    Options opts(args, 0, {"--debug-skip-qk-permutation"});
    if (!opts.ok())
        return fail("export-gguf: " + opts.error(), 2);
    auto model = opts.value("--model");
    auto out = opts.value("--out");
    if (!model || !out)
        return fail("export-gguf: --model DIR and --out FILE.gguf are required", 2);
    ts::GgufExportOptions options;
    options.type = ts::GgufType::F16;
    if (auto name = opts.value("--type")) {
        auto type = ts::gguf::ggmlTypeFromName(*name);
        if (!type)
            return fail("export-gguf: unknown --type '" + *name + "' (f32, f16, bf16 or q8_0)", 2);
        options.type = *type;
    }
    options.skipQkPermutation = opts.flag("--debug-skip-qk-permutation");

    const auto start = std::chrono::steady_clock::now();
    StderrProgress progress;
    auto result = ts::exportGguf(*model, *out, options, interruptToken(), progress);
    if (interruptToken().stopRequested())
        return printJson({{"error", "cancelled"}}, 130);
    if (!result)
        return fail(result.error().message);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    nlohmann::json json = {{"file", result->file.string()},
                           {"type", std::string(ts::gguf::ggmlTypeName(result->type))},
                           {"architecture", result->architecture},
                           {"tensors", result->tensors},
                           {"bytes", result->bytes},
                           {"seconds", seconds}};
    if (!result->notes.empty())
        json["notes"] = result->notes;
    return printJson(json);
}

const CommandRegistration
    exportGgufCommand("export-gguf",
                      "  export-gguf --model DIR --out FILE.gguf [--type f32|f16|bf16|q8_0]\n"
                      "                                    convert a model folder (safetensors) to GGUF for llama.cpp\n"
                      "                                    (default f16; 1-D tensors stay f32)",
                      commandExportGguf);

} // namespace

} // namespace tscli
