// Engine internals shared by engine.cpp (loading, logits) and generate.cpp. Internal (torch).
#pragma once

#include <memory>

#include "engine/engine.h"
#include "engine/transformer.h"
#include "model/safetensors.h"

namespace ts {

struct Engine::Impl
{
    EngineOptions options;
    ModelConfig config;
    GenerationDefaults generation;
    std::unique_ptr<engine::Transformer> model;
    torch::ScalarType dtype = torch::kFloat;
};

namespace engine {

// Runs `fn` and turns any exception (c10::Error included) into an Error with `context`.
template <typename T, typename Fn> Expected<T> guarded(const std::string& context, Fn&& fn)
{
    try {
        return fn();
    } catch (const c10::Error& e) {
        return makeError(context + ": " + e.what_without_backtrace());
    } catch (const std::exception& e) {
        return makeError(context + ": " + e.what());
    }
}

} // namespace engine

} // namespace ts
