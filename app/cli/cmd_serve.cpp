// CLI command `serve`: the OpenAI-compatible HTTP server (core/serve) over the local engine
// (llm::LocalProvider): parses the flags, opens the model, starts the server, prints
// {"listening": URL, ...}, logs each request to stderr and stops on Ctrl+C / SIGTERM with
// {"stopped": true, "requests": N}.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "llm/local/local_provider.h"
#include "lora/adapter_on_load.h"
#include "serve/openai_server.h"

namespace tscli {

int commandServe(const Args& args)
{
    Options opts(args, 0, {});
    if (!opts.ok())
        return fail("serve: " + opts.error(), 2);
    const auto modelDir = opts.value("--model");
    if (!modelDir)
        return fail("serve: --model DIR is required", 2);

    ts::serve::ServerConfig config;
    ts::llm::LocalProviderOptions providerOptions;
    {
        std::string bad;
        auto num = [&](const char* name, auto& target) {
            if (auto v = opts.value(name); v && !parseNumber(*v, target))
                bad = name;
        };
        num("--port", config.port);
        num("--max-request-bytes", config.maxRequestBytes);
        num("--threads", providerOptions.engine.threads);
        num("--max-tokens", config.defaultMaxTokens);
        if (!bad.empty())
            return fail("serve: " + bad + " expects a number", 2);
    }
    if (config.port < 0 || config.port > 65535)
        return fail("serve: --port must be 0..65535 (0: any free port)", 2);
    if (config.maxRequestBytes < 1024)
        return fail("serve: --max-request-bytes must be at least 1024", 2);
    if (config.defaultMaxTokens < 1)
        return fail("serve: --max-tokens must be at least 1", 2);
    if (auto host = opts.value("--host"))
        config.host = *host;
    if (auto adapter = opts.value("--adapter"))
        providerOptions.engine.editWeights = ts::lora::mergeAdapterOnLoad(*adapter);
    if (auto d = opts.value("--dtype")) {
        auto dtype = ts::computeDtypeFromName(*d);
        if (!dtype)
            return fail("serve: --dtype must be f32, bf16 or f16", 2);
        providerOptions.engine.dtype = *dtype;
    }

    const auto token = opts.value("--token");
    const auto tokenEnv = opts.value("--token-env");
    if (token && tokenEnv)
        return fail("serve: pass --token or --token-env, not both", 2);
    if (token) {
        if (token->empty())
            return fail("serve: --token is empty", 2);
        config.token = *token;
    } else if (tokenEnv) {
        const char* value = std::getenv(tokenEnv->c_str());
        if (!value || !*value)
            return fail("serve: the environment variable " + *tokenEnv + " (--token-env) is not set or empty", 2);
        config.token = value;
    }

    std::filesystem::path dir(*modelDir);
    config.modelName = opts.value("--model-name")
                           .value_or((dir.has_filename() ? dir.filename() : dir.parent_path().filename()).string());
    if (config.modelName.empty())
        return fail("serve: cannot name the model after " + *modelDir + "; pass --model-name", 2);

    auto provider = ts::llm::openLocalProvider(dir, providerOptions);
    if (!provider)
        return fail("serve: " + provider.error().message);

    std::signal(SIGPIPE, SIG_IGN); // a client that hangs up is seen as a failed write
    config.log = [](const std::string& line) { std::cerr << "serve: " << line << "\n"; };
    ts::serve::Server server(**provider, config);
    if (auto started = server.start(); !started)
        return fail("serve: " + started.error().message);
    printJson({{"listening", server.baseUrl()},
               {"model", config.modelName},
               {"host", config.host},
               {"port", server.port()},
               {"auth", !config.token.empty()}});

    // Ctrl+C / SIGTERM: cancel the generations in flight and stop listening.
    while (server.serving() && !interruptToken().stopRequested())
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    server.stop();
    if (!interruptToken().stopRequested() && server.failed())
        return fail("serve: the server stopped unexpectedly");
    return printJson({{"stopped", true}, {"requests", server.requests()}});
}

const CommandRegistration serveCommand(
    "serve",
    "  serve --model DIR [options]       OpenAI-compatible HTTP server over the local engine:\n"
    "                                    GET /v1/models, POST /v1/chat/completions (stream: SSE);\n"
    "                                    prints {\"listening\": URL, \"model\", \"port\"}, then serves until Ctrl+C\n"
    "      --host H                      address to bind (default 127.0.0.1: this machine only)\n"
    "      --port N                      default 8080; 0 picks a free port\n"
    "      --token SECRET | --token-env VAR   require \"Authorization: Bearer SECRET\"\n"
    "      --max-request-bytes N         larger request bodies get 413 (default 1048576)\n"
    "      --model-name NAME             the model id clients see (default: the folder name)\n"
    "      --max-tokens N                for requests without max_tokens (default 256)\n"
    "      --adapter DIR                 merge a PEFT LoRA adapter into the model\n"
    "      --threads N --dtype f32|bf16|f16   compute threads (default: all cores) and dtype (f32)",
    commandServe);

} // namespace tscli
