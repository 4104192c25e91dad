// Renders a parsed Jinja Program against variables, with sandbox limits on output, loops and recursion.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/jinja/ast.h"
#include "model/jinja/filters.h"
#include "model/jinja/value.h"

namespace ts::jinja {

struct RenderLimits
{
    size_t maxOutputBytes = 10 * 1024 * 1024;
    uint64_t maxIterations = 1'000'000; // loop iterations (and loop filter checks), all loops together
    int maxCallDepth = 64; // nested macro calls
    int64_t maxRange = 100'000; // items of one range() (Jinja's sandbox limit)
};

// Throws JinjaError naming an unknown filter or test anywhere in the program (also in branches that
// a given render would not take), so an unsupported template is rejected up front.
void validate(const Program& program);

class Interpreter
{
public:
    explicit Interpreter(RenderLimits limits = {});

    // Renders program with the given variables on top of the built-in globals (namespace, range, dict).
    // Throws JinjaError (with position), LimitError, or RaisedError from a raise_exception global.
    std::string render(const Program& program, const ValueMap& variables);

private:
    enum class Flow { Normal, Break, Continue };
    using Frame = std::unordered_map<std::string, Value>;

    Flow execBody(const Body& body);
    Flow exec(const Stmt& stmt);
    Flow execFor(const Stmt& stmt);
    void execSet(const Stmt& stmt);
    void defineMacro(const Stmt& stmt);
    Value callMacro(const Stmt& macro, const CallArgs& args, const std::vector<Frame>& scope);

    Value eval(const Expr& expr);
    Value evalInner(const Expr& expr);
    Value evalCall(const Expr& expr);
    CallArgs evalArgs(const Expr& expr, size_t firstArg);

    Value lookup(const std::string& name) const;
    void assign(const std::string& name, Value value);
    void bindTargets(const std::vector<std::string>& targets, const Value& value);
    void write(const std::string& text);
    void countIteration();
    void installGlobals(Frame& frame);

    RenderLimits m_limits;
    FilterLimits m_filterLimits;
    std::vector<Frame> m_frames;
    std::string* m_out = nullptr;
    uint64_t m_iterations = 0;
    int m_callDepth = 0;
};

} // namespace ts::jinja
