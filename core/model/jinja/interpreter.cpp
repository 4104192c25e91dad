// Renders a parsed Jinja Program against variables, with sandbox limits on output, loops and recursion.
#include "model/jinja/interpreter.h"

#include "model/jinja/arguments.h"
#include "model/jinja/error.h"
#include "model/jinja/operations.h"
#include "model/jinja/tests.h"

namespace ts::jinja {

namespace {

void validateExpr(const Expr* e)
{
    if (!e)
        return;
    if (e->kind == ExprKind::Filter && !hasFilter(e->name))
        throw JinjaError("unknown filter '" + e->name + "'", e->line, e->column);
    if (e->kind == ExprKind::Test && !hasTest(e->name))
        throw JinjaError("unknown test '" + e->name + "'", e->line, e->column);
    for (const auto& item : e->items)
        validateExpr(item.get());
    for (const auto& [name, item] : e->kwargs)
        validateExpr(item.get());
}

void validateBody(const Body& body)
{
    for (const auto& s : body) {
        validateExpr(s->expr.get());
        validateExpr(s->filter.get());
        for (const auto& [condition, branch] : s->branches) {
            validateExpr(condition.get());
            validateBody(branch);
        }
        for (const auto& p : s->params)
            validateExpr(p.defaultValue.get());
        validateBody(s->body);
        validateBody(s->elseBody);
    }
}

// Restores the frame stack on scope exit, exceptions included.
template <typename Frames> class FrameGuard
{
public:
    explicit FrameGuard(Frames& frames)
        : m_frames(frames)
    {
        m_frames.emplace_back();
    }
    ~FrameGuard() { m_frames.pop_back(); }
    FrameGuard(const FrameGuard&) = delete;
    FrameGuard& operator=(const FrameGuard&) = delete;

private:
    Frames& m_frames;
};

} // namespace

void validate(const Program& program)
{
    validateBody(program.body);
}

Interpreter::Interpreter(RenderLimits limits)
    : m_limits(limits)
{
    m_filterLimits.maxString = limits.maxOutputBytes;
}

std::string Interpreter::render(const Program& program, const ValueMap& variables)
{
    m_frames.clear();
    m_frames.emplace_back();
    installGlobals(m_frames[0]);
    for (const auto& [name, value] : variables.entries())
        m_frames[0][name] = value;
    m_iterations = 0;
    m_callDepth = 0;
    std::string out;
    m_out = &out;
    execBody(program.body);
    m_out = nullptr;
    m_frames.clear();
    return out;
}

void Interpreter::installGlobals(Frame& frame)
{
    frame["namespace"] = Value::callable("namespace", [](const CallArgs& a) {
        ValueMap entries;
        for (const auto& arg : a.positional) {
            if (!arg.isMap())
                throw JinjaError("namespace() expects keyword arguments or a mapping");
            for (const auto& [key, value] : arg.asMap().entries())
                entries.set(key, value);
        }
        for (const auto& [key, value] : a.named)
            entries.set(key, value);
        return Value::nameSpace(std::move(entries));
    });
    frame["dict"] = Value::callable("dict", [](const CallArgs& a) {
        ValueMap entries;
        for (const auto& arg : a.positional) {
            if (!arg.isMap())
                throw JinjaError("dict() expects keyword arguments or a mapping");
            for (const auto& [key, value] : arg.asMap().entries())
                entries.set(key, value);
        }
        for (const auto& [key, value] : a.named)
            entries.set(key, value);
        return Value::map(std::move(entries));
    });
    const int64_t maxRange = m_limits.maxRange;
    frame["range"] = Value::callable("range", [maxRange](const CallArgs& a) {
        Arguments args(a, "range()", {"start", "stop", "step"}, 1);
        int64_t start = 0;
        int64_t stop = args.integer(0, 0);
        if (args.has(1)) {
            start = stop;
            stop = args.integer(1, 0);
        }
        const int64_t step = args.integer(2, 1);
        if (step == 0)
            throw JinjaError("range() step must not be zero");
        const int64_t count = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0)
                                       : (start > stop ? (start - stop - step - 1) / -step : 0);
        if (count > maxRange)
            throw LimitError("range() of " + std::to_string(count) + " items exceeds the sandbox limit of "
                             + std::to_string(maxRange));
        ValueList out;
        out.reserve(static_cast<size_t>(count));
        for (int64_t i = 0, v = start; i < count; ++i, v += step)
            out.push_back(Value::integer(v));
        return Value::list(std::move(out));
    });
}

// ---- statements ----

void Interpreter::write(const std::string& text)
{
    if (m_out->size() + text.size() > m_limits.maxOutputBytes)
        throw LimitError("output exceeds the limit of " + std::to_string(m_limits.maxOutputBytes) + " bytes");
    m_out->append(text);
}

void Interpreter::countIteration()
{
    if (++m_iterations > m_limits.maxIterations)
        throw LimitError("loop iterations exceed the limit of " + std::to_string(m_limits.maxIterations));
}

Interpreter::Flow Interpreter::execBody(const Body& body)
{
    for (const auto& stmt : body) {
        const Flow flow = exec(*stmt);
        if (flow != Flow::Normal)
            return flow;
    }
    return Flow::Normal;
}

Interpreter::Flow Interpreter::exec(const Stmt& stmt)
{
    try {
        switch (stmt.kind) {
        case StmtKind::Text:
            write(stmt.text);
            return Flow::Normal;
        case StmtKind::Output: {
            const Value v = eval(*stmt.expr);
            if (v.isString())
                write(v.asString());
            else
                write(v.str());
            return Flow::Normal;
        }
        case StmtKind::If:
            for (const auto& [condition, branch] : stmt.branches)
                if (eval(*condition).truthy())
                    return execBody(branch);
            return execBody(stmt.elseBody);
        case StmtKind::For:
            return execFor(stmt);
        case StmtKind::Set:
            execSet(stmt);
            return Flow::Normal;
        case StmtKind::SetBlock: {
            std::string captured;
            std::string* saved = m_out;
            m_out = &captured;
            try {
                execBody(stmt.body);
            } catch (...) {
                m_out = saved;
                throw;
            }
            m_out = saved;
            assign(stmt.targets[0], Value::string(std::move(captured)));
            return Flow::Normal;
        }
        case StmtKind::Macro:
            defineMacro(stmt);
            return Flow::Normal;
        case StmtKind::Break:
            return Flow::Break;
        case StmtKind::Continue:
            return Flow::Continue;
        }
    } catch (JinjaError& e) {
        if (!e.hasPosition())
            e.setPosition(stmt.line, stmt.column);
        throw;
    }
    return Flow::Normal;
}

void Interpreter::bindTargets(const std::vector<std::string>& targets, const Value& value)
{
    if (targets.size() == 1) {
        assign(targets[0], value);
        return;
    }
    if (!value.isList())
        throw JinjaError("cannot unpack a value of type '" + value.typeName() + "' into "
                         + std::to_string(targets.size()) + " names");
    const auto& items = value.asList();
    if (items.size() != targets.size())
        throw JinjaError("cannot unpack " + std::to_string(items.size()) + " values into "
                         + std::to_string(targets.size()) + " names");
    for (size_t i = 0; i < targets.size(); ++i)
        assign(targets[i], items[i]);
}

Interpreter::Flow Interpreter::execFor(const Stmt& stmt)
{
    const Value iterable = eval(*stmt.expr);
    if (!(iterable.isList() || iterable.isMap() || iterable.isString() || iterable.isUndefined()))
        throw JinjaError("'" + iterable.typeName() + "' object is not iterable", stmt.expr->line, stmt.expr->column);
    ValueList items = iterate(iterable);
    if (stmt.filter) {
        ValueList kept;
        for (const auto& item : items) {
            countIteration();
            FrameGuard guard(m_frames);
            bindTargets(stmt.targets, item);
            if (eval(*stmt.filter).truthy())
                kept.push_back(item);
        }
        items = std::move(kept);
    }
    if (items.empty())
        return execBody(stmt.elseBody); // a break here belongs to an enclosing loop
    const int64_t n = static_cast<int64_t>(items.size());
    for (int64_t i = 0; i < n; ++i) {
        countIteration();
        FrameGuard guard(m_frames);
        ValueMap loop;
        loop.set("index", Value::integer(i + 1));
        loop.set("index0", Value::integer(i));
        loop.set("revindex", Value::integer(n - i));
        loop.set("revindex0", Value::integer(n - i - 1));
        loop.set("first", Value::boolean(i == 0));
        loop.set("last", Value::boolean(i == n - 1));
        loop.set("length", Value::integer(n));
        loop.set("depth", Value::integer(1));
        loop.set("depth0", Value::integer(0));
        loop.set("previtem", i > 0 ? items[static_cast<size_t>(i - 1)] : Value::undefined("there is no previous item"));
        loop.set("nextitem", i + 1 < n ? items[static_cast<size_t>(i + 1)] : Value::undefined("there is no next item"));
        loop.set("cycle", Value::callable("loop.cycle", [i](const CallArgs& a) {
                     if (a.positional.empty())
                         throw JinjaError("loop.cycle() needs at least one argument");
                     return a.positional[static_cast<size_t>(i) % a.positional.size()];
                 }));
        m_frames.back()["loop"] = Value::map(std::move(loop));
        bindTargets(stmt.targets, items[static_cast<size_t>(i)]);
        if (execBody(stmt.body) == Flow::Break)
            break;
    }
    return Flow::Normal;
}

void Interpreter::execSet(const Stmt& stmt)
{
    Value value = eval(*stmt.expr);
    if (!stmt.text.empty()) {
        const Value target = lookup(stmt.targets[0]);
        if (!target.isNamespace())
            throw JinjaError("cannot assign attribute '" + stmt.text + "' on '" + stmt.targets[0]
                             + "': it is not a namespace()");
        target.mutableNamespace().set(stmt.text, std::move(value));
        return;
    }
    bindTargets(stmt.targets, value);
}

void Interpreter::defineMacro(const Stmt& stmt)
{
    const Stmt* macro = &stmt;
    assign(stmt.text, Value::callable(stmt.text, [this, macro](const CallArgs& args) {
               std::vector<Frame> scope {m_frames.front()};
               return callMacro(*macro, args, scope);
           }));
}

Value Interpreter::callMacro(const Stmt& macro, const CallArgs& args, const std::vector<Frame>& scope)
{
    if (m_callDepth + 1 > m_limits.maxCallDepth)
        throw LimitError("macro calls nested deeper than " + std::to_string(m_limits.maxCallDepth));
    if (args.positional.size() > macro.params.size())
        throw JinjaError("macro '" + macro.text + "' takes " + std::to_string(macro.params.size())
                         + " argument(s), got " + std::to_string(args.positional.size()));
    Frame locals;
    for (size_t i = 0; i < macro.params.size(); ++i) {
        if (i < args.positional.size())
            locals[macro.params[i].name] = args.positional[i];
    }
    for (const auto& [key, value] : args.named) {
        bool known = false;
        for (const auto& p : macro.params)
            known = known || p.name == key;
        if (!known)
            throw JinjaError("macro '" + macro.text + "' got an unexpected keyword argument '" + key + "'");
        locals[key] = value;
    }
    // Swap in the macro's scope: the template's top-level variables plus its parameters.
    std::vector<Frame> savedFrames = std::move(m_frames);
    std::string* savedOut = m_out;
    std::string out;
    m_frames = scope;
    m_frames.push_back(std::move(locals));
    m_out = &out;
    ++m_callDepth;
    auto restore = [&]() {
        --m_callDepth;
        m_out = savedOut;
        m_frames = std::move(savedFrames);
    };
    try {
        for (const auto& p : macro.params)
            if (!m_frames.back().count(p.name))
                m_frames.back()[p.name] = p.defaultValue
                    ? eval(*p.defaultValue)
                    : Value::undefined("parameter '" + p.name + "' of macro '" + macro.text + "' was not provided");
        execBody(macro.body);
    } catch (...) {
        restore();
        throw;
    }
    restore();
    return Value::string(std::move(out));
}

// ---- variables ----

Value Interpreter::lookup(const std::string& name) const
{
    for (auto it = m_frames.rbegin(); it != m_frames.rend(); ++it) {
        auto found = it->find(name);
        if (found != it->end())
            return found->second;
    }
    return Value::undefined("'" + name + "' is undefined");
}

void Interpreter::assign(const std::string& name, Value value)
{
    m_frames.back()[name] = std::move(value);
}

// ---- expressions ----

Value Interpreter::eval(const Expr& expr)
{
    try {
        Value v = evalInner(expr);
        if (v.isString() && v.asString().size() > m_limits.maxOutputBytes)
            throw LimitError("string exceeds the output limit of " + std::to_string(m_limits.maxOutputBytes)
                             + " bytes");
        return v;
    } catch (JinjaError& e) {
        if (!e.hasPosition())
            e.setPosition(expr.line, expr.column);
        throw;
    }
}

CallArgs Interpreter::evalArgs(const Expr& expr, size_t firstArg)
{
    CallArgs args;
    for (size_t i = firstArg; i < expr.items.size(); ++i)
        args.positional.push_back(eval(*expr.items[i]));
    for (const auto& [name, value] : expr.kwargs)
        args.named.emplace_back(name, eval(*value));
    return args;
}

Value Interpreter::evalCall(const Expr& expr)
{
    const Expr& calleeExpr = *expr.items[0];
    Value callee;
    if (calleeExpr.kind == ExprKind::Attr) {
        const Value object = eval(*calleeExpr.items[0]);
        try {
            callee = getAttribute(object, calleeExpr.name);
        } catch (JinjaError& e) {
            if (!e.hasPosition())
                e.setPosition(calleeExpr.line, calleeExpr.column);
            throw;
        }
        if (!callee.isCallable()
            && (object.isString() || object.isMap() || object.isList() || object.isNumber() || object.isNone()
                || object.isNamespace())
            && callee.isUndefined())
            throw JinjaError("unknown method '" + calleeExpr.name + "' of " + object.typeName(), calleeExpr.line,
                             calleeExpr.column);
    } else {
        callee = eval(calleeExpr);
    }
    if (callee.isUndefined())
        throw JinjaError(undefinedMessage(callee) + " (called as a function)");
    if (!callee.isCallable())
        throw JinjaError("'" + callee.typeName() + "' object is not callable");
    const CallArgs args = evalArgs(expr, 1);
    return callee.asCallable().function(args);
}

Value Interpreter::evalInner(const Expr& expr)
{
    switch (expr.kind) {
    case ExprKind::Literal:
        return expr.value;
    case ExprKind::Name:
        return lookup(expr.name);
    case ExprKind::List:
    case ExprKind::Tuple: {
        ValueList items;
        items.reserve(expr.items.size());
        for (const auto& item : expr.items)
            items.push_back(eval(*item));
        return Value::list(std::move(items));
    }
    case ExprKind::Dict: {
        ValueMap entries;
        for (size_t i = 0; i + 1 < expr.items.size(); i += 2) {
            const Value key = eval(*expr.items[i]);
            if (!key.isString())
                throw JinjaError("dict keys must be strings, got " + key.typeName(), expr.items[i]->line,
                                 expr.items[i]->column);
            entries.set(key.asString(), eval(*expr.items[i + 1]));
        }
        return Value::map(std::move(entries));
    }
    case ExprKind::Attr:
        return getAttribute(eval(*expr.items[0]), expr.name);
    case ExprKind::Item:
        return getItem(eval(*expr.items[0]), eval(*expr.items[1]));
    case ExprKind::Slice: {
        const Value object = eval(*expr.items[0]);
        auto bound = [&](size_t i) { return expr.items[i] ? eval(*expr.items[i]) : Value::none(); };
        return slice(object, bound(1), bound(2), bound(3));
    }
    case ExprKind::Call:
        return evalCall(expr);
    case ExprKind::Filter: {
        const Value input = eval(*expr.items[0]);
        const CallArgs args = evalArgs(expr, 1);
        return applyFilter(expr.name, input, args, m_filterLimits);
    }
    case ExprKind::Test: {
        const Value input = eval(*expr.items[0]);
        const CallArgs args = evalArgs(expr, 1);
        return Value::boolean(applyTest(expr.name, input, args) != expr.negated);
    }
    case ExprKind::Unary: {
        const Value operand = eval(*expr.items[0]);
        if (expr.name == "not")
            return Value::boolean(!operand.truthy());
        if (expr.name == "-")
            return negate(operand);
        if (!operand.isNumber()) {
            if (operand.isUndefined())
                undefinedError(operand);
            throw JinjaError("bad operand type for unary +: '" + operand.typeName() + "'");
        }
        return operand.isBool() ? Value::integer(operand.asInt()) : operand;
    }
    case ExprKind::Binary: {
        if (expr.name == "and") {
            Value left = eval(*expr.items[0]);
            return left.truthy() ? eval(*expr.items[1]) : left;
        }
        if (expr.name == "or") {
            Value left = eval(*expr.items[0]);
            return left.truthy() ? left : eval(*expr.items[1]);
        }
        const Value left = eval(*expr.items[0]);
        const Value right = eval(*expr.items[1]);
        return binaryOp(expr.name, left, right, m_limits.maxOutputBytes);
    }
    case ExprKind::Compare: {
        Value left = eval(*expr.items[0]);
        for (size_t i = 0; i < expr.ops.size(); ++i) {
            Value right = eval(*expr.items[i + 1]);
            const std::string& op = expr.ops[i];
            bool result;
            if (op == "in")
                result = contains(right, left);
            else if (op == "notin")
                result = !contains(right, left);
            else
                result = compare(op, left, right);
            if (!result)
                return Value::boolean(false);
            left = std::move(right);
        }
        return Value::boolean(true);
    }
    case ExprKind::Condition: {
        if (eval(*expr.items[1]).truthy())
            return eval(*expr.items[0]);
        if (expr.items[2])
            return eval(*expr.items[2]);
        return Value::undefined("the condition of an inline if without else was false");
    }
    }
    throw JinjaError("unknown expression");
}

} // namespace ts::jinja
