// Parser of Jinja tokens into a Program (see ast.h); rejects unsupported tags with their position.
#include "model/jinja/parser.h"

#include <algorithm>
#include <initializer_list>

#include "model/jinja/error.h"

namespace ts::jinja {

namespace {

constexpr int kMaxNesting = 200; // expression and block nesting: keeps the recursion off the stack limit

class Parser
{
public:
    explicit Parser(const std::vector<Token>& tokens)
        : m_tokens(tokens)
    { }

    Program run()
    {
        Program program;
        std::string endTag = parseBody(program.body, {});
        (void)endTag;
        return program;
    }

private:
    // ---- token helpers ----
    const Token& peek(size_t ahead = 0) const
    {
        const size_t i = std::min(m_pos + ahead, m_tokens.size() - 1);
        return m_tokens[i];
    }
    const Token& next() { return m_tokens[std::min(m_pos++, m_tokens.size() - 1)]; }
    bool isOp(const char* op, size_t ahead = 0) const
    {
        return peek(ahead).type == TokenType::Operator && peek(ahead).text == op;
    }
    bool isName(const char* name, size_t ahead = 0) const
    {
        return peek(ahead).type == TokenType::Name && peek(ahead).text == name;
    }
    [[noreturn]] void fail(const std::string& message, const Token& at) const
    {
        throw JinjaError(message, at.line, at.column);
    }
    std::string describe(const Token& t) const
    {
        switch (t.type) {
        case TokenType::Eof:
            return "end of template";
        case TokenType::VarEnd:
            return "'}}'";
        case TokenType::BlockEnd:
            return "'%}'";
        case TokenType::String:
            return "string literal";
        case TokenType::Text:
            return "template text";
        default:
            return "'" + t.text + "'";
        }
    }
    void expectOp(const char* op, const char* context)
    {
        if (!isOp(op))
            fail(std::string("expected '") + op + "' " + context + ", got " + describe(peek()), peek());
        next();
    }
    std::string expectName(const char* context)
    {
        if (peek().type != TokenType::Name)
            fail(std::string("expected a name ") + context + ", got " + describe(peek()), peek());
        return next().text;
    }
    void expectBlockEnd(const std::string& tag)
    {
        if (peek().type != TokenType::BlockEnd)
            fail("expected '%}' to close '" + tag + "', got " + describe(peek()), peek());
        next();
    }
    void enter(const Token& at)
    {
        if (++m_depth > kMaxNesting)
            fail("template nested too deeply", at);
    }
    void leave() { --m_depth; }

    static ExprPtr makeExpr(ExprKind kind, const Token& at)
    {
        auto e = std::make_unique<Expr>();
        e->kind = kind;
        e->line = at.line;
        e->column = at.column;
        return e;
    }
    static StmtPtr makeStmt(StmtKind kind, const Token& at)
    {
        auto s = std::make_unique<Stmt>();
        s->kind = kind;
        s->line = at.line;
        s->column = at.column;
        return s;
    }

    // ---- statements ----

    // Parses until "{% <one of endTags>" (leaving the tag name as the current token) or the end.
    std::string parseBody(Body& body, std::initializer_list<const char*> endTags)
    {
        while (true) {
            const Token& t = peek();
            switch (t.type) {
            case TokenType::Eof:
                if (endTags.size() > 0) {
                    std::string expected;
                    for (const char* tag : endTags)
                        expected += (expected.empty() ? "'" : " or '") + std::string(tag) + "'";
                    fail("unexpected end of template, expected " + expected, t);
                }
                return {};
            case TokenType::Text: {
                auto s = makeStmt(StmtKind::Text, t);
                s->text = t.text;
                body.push_back(std::move(s));
                next();
                break;
            }
            case TokenType::VarBegin: {
                next();
                auto s = makeStmt(StmtKind::Output, t);
                s->expr = parseTuple(true);
                if (peek().type != TokenType::VarEnd)
                    fail("expected '}}' to close '{{', got " + describe(peek()), peek());
                next();
                body.push_back(std::move(s));
                break;
            }
            case TokenType::BlockBegin: {
                const Token& nameToken = peek(1);
                if (nameToken.type != TokenType::Name)
                    fail("expected a tag name after '{%', got " + describe(nameToken), nameToken);
                for (const char* tag : endTags)
                    if (nameToken.text == tag) {
                        next(); // '{%'
                        return next().text;
                    }
                next();
                parseStatement(body);
                break;
            }
            default:
                fail("unexpected " + describe(t), t);
            }
        }
    }

    void parseStatement(Body& body)
    {
        const Token& t = peek();
        const std::string tag = t.text;
        enter(t);
        if (tag == "if") {
            next();
            body.push_back(parseIf(t));
        } else if (tag == "for") {
            next();
            body.push_back(parseFor(t));
        } else if (tag == "set") {
            next();
            body.push_back(parseSet(t));
        } else if (tag == "macro") {
            next();
            body.push_back(parseMacro(t));
        } else if (tag == "break" || tag == "continue") {
            next();
            if (m_loopDepth == 0)
                fail("'" + tag + "' outside of a for loop", t);
            body.push_back(makeStmt(tag == "break" ? StmtKind::Break : StmtKind::Continue, t));
            expectBlockEnd(tag);
        } else if (tag == "generation") {
            // transformers' {% generation %} marks assistant text for masks; it renders its body unchanged.
            next();
            expectBlockEnd(tag);
            parseBody(body, {"endgeneration"});
            expectBlockEnd("endgeneration");
        } else if (tag == "include" || tag == "import" || tag == "from" || tag == "extends" || tag == "block"
                   || tag == "call" || tag == "filter" || tag == "with" || tag == "do" || tag == "autoescape"
                   || tag == "trans" || tag == "pluralize") {
            fail("unsupported tag '" + tag + "'", t);
        } else if (tag.rfind("end", 0) == 0 || tag == "elif" || tag == "else") {
            fail("unexpected '" + tag + "' tag", t);
        } else {
            fail("unknown tag '" + tag + "'", t);
        }
        leave();
    }

    StmtPtr parseIf(const Token& at)
    {
        auto s = makeStmt(StmtKind::If, at);
        ExprPtr condition = parseTuple(true);
        expectBlockEnd("if");
        while (true) {
            Body branch;
            const std::string end = parseBody(branch, {"elif", "else", "endif"});
            s->branches.emplace_back(std::move(condition), std::move(branch));
            if (end == "elif") {
                condition = parseTuple(true);
                expectBlockEnd("elif");
                continue;
            }
            if (end == "else") {
                expectBlockEnd("else");
                parseBody(s->elseBody, {"endif"});
            }
            expectBlockEnd("endif");
            return s;
        }
    }

    std::vector<std::string> parseTargets(const char* context)
    {
        std::vector<std::string> targets;
        const bool parenthesized = isOp("(");
        if (parenthesized)
            next();
        do {
            targets.push_back(expectName(context));
            if (!isOp(","))
                break;
            next();
        } while (peek().type == TokenType::Name && !isName("in"));
        if (parenthesized)
            expectOp(")", context);
        return targets;
    }

    StmtPtr parseFor(const Token& at)
    {
        auto s = makeStmt(StmtKind::For, at);
        s->targets = parseTargets("after 'for'");
        if (!isName("in"))
            fail("expected 'in' in 'for' tag, got " + describe(peek()), peek());
        next();
        s->expr = parseTuple(false);
        if (isName("if")) {
            next();
            s->filter = parseTuple(true);
        }
        if (isName("recursive"))
            fail("unsupported 'recursive' for loop", peek());
        expectBlockEnd("for");
        ++m_loopDepth;
        const std::string end = parseBody(s->body, {"else", "endfor"});
        --m_loopDepth;
        if (end == "else") {
            expectBlockEnd("else");
            parseBody(s->elseBody, {"endfor"});
        }
        expectBlockEnd("endfor");
        return s;
    }

    StmtPtr parseSet(const Token& at)
    {
        auto s = makeStmt(StmtKind::Set, at);
        const std::string first = expectName("after 'set'");
        if (isOp(".")) {
            next();
            s->targets.push_back(first);
            s->text = expectName("after '.' in 'set'");
        } else {
            s->targets.push_back(first);
            while (isOp(",")) {
                next();
                s->targets.push_back(expectName("in 'set' targets"));
            }
        }
        if (peek().type == TokenType::BlockEnd && s->targets.size() == 1 && s->text.empty()) {
            next();
            s->kind = StmtKind::SetBlock;
            parseBody(s->body, {"endset"});
            expectBlockEnd("endset");
            return s;
        }
        if (isOp("|"))
            fail("unsupported filtered block 'set'", peek());
        expectOp("=", "in 'set' tag");
        s->expr = parseTuple(true);
        expectBlockEnd("set");
        return s;
    }

    StmtPtr parseMacro(const Token& at)
    {
        auto s = makeStmt(StmtKind::Macro, at);
        s->text = expectName("after 'macro'");
        expectOp("(", "after the macro name");
        bool defaults = false;
        while (!isOp(")")) {
            MacroParam param;
            const Token& nameToken = peek();
            param.name = expectName("as a macro parameter");
            if (isOp("=")) {
                next();
                param.defaultValue = parseExpression(true);
                defaults = true;
            } else if (defaults) {
                fail("macro parameter '" + param.name + "' without a default follows one with a default", nameToken);
            }
            s->params.push_back(std::move(param));
            if (!isOp(","))
                break;
            next();
        }
        expectOp(")", "to close the macro parameters");
        expectBlockEnd("macro");
        const int savedLoops = m_loopDepth;
        m_loopDepth = 0;
        parseBody(s->body, {"endmacro"});
        m_loopDepth = savedLoops;
        expectBlockEnd("endmacro");
        return s;
    }

    // ---- expressions ----

    // expression [, expression]* : a tuple when there is a comma.
    ExprPtr parseTuple(bool withCondition)
    {
        const Token& at = peek();
        ExprPtr first = parseExpression(withCondition);
        if (!isOp(","))
            return first;
        auto tuple = makeExpr(ExprKind::Tuple, at);
        tuple->items.push_back(std::move(first));
        while (isOp(",")) {
            next();
            if (peek().type == TokenType::BlockEnd || peek().type == TokenType::VarEnd || isOp(")"))
                break;
            tuple->items.push_back(parseExpression(withCondition));
        }
        return tuple;
    }

    ExprPtr parseExpression(bool withCondition = true)
    {
        enter(peek());
        ExprPtr e = withCondition ? parseCondition() : parseOr();
        leave();
        return e;
    }

    ExprPtr parseCondition()
    {
        ExprPtr value = parseOr();
        while (isName("if")) {
            const Token& at = next();
            auto cond = makeExpr(ExprKind::Condition, at);
            cond->items.push_back(std::move(value));
            cond->items.push_back(parseOr());
            if (isName("else")) {
                next();
                cond->items.push_back(parseCondition());
            } else {
                cond->items.push_back(nullptr);
            }
            value = std::move(cond);
        }
        return value;
    }

    ExprPtr binary(const Token& at, const std::string& op, ExprPtr left, ExprPtr right)
    {
        auto e = makeExpr(ExprKind::Binary, at);
        e->name = op;
        e->items.push_back(std::move(left));
        e->items.push_back(std::move(right));
        return e;
    }

    ExprPtr parseOr()
    {
        ExprPtr left = parseAnd();
        while (isName("or")) {
            const Token& at = next();
            left = binary(at, "or", std::move(left), parseAnd());
        }
        return left;
    }

    ExprPtr parseAnd()
    {
        ExprPtr left = parseNot();
        while (isName("and")) {
            const Token& at = next();
            left = binary(at, "and", std::move(left), parseNot());
        }
        return left;
    }

    ExprPtr parseNot()
    {
        if (isName("not")) {
            const Token& at = next();
            enter(at);
            auto e = makeExpr(ExprKind::Unary, at);
            e->name = "not";
            e->items.push_back(parseNot());
            leave();
            return e;
        }
        return parseCompare();
    }

    ExprPtr parseCompare()
    {
        const Token& at = peek();
        ExprPtr first = parseMath1();
        ExprPtr cmp;
        while (true) {
            std::string op;
            if (peek().type == TokenType::Operator
                && (isOp("==") || isOp("!=") || isOp("<") || isOp(">") || isOp("<=") || isOp(">="))) {
                op = next().text;
            } else if (isName("in")) {
                next();
                op = "in";
            } else if (isName("not") && isName("in", 1)) {
                next();
                next();
                op = "notin";
            } else {
                break;
            }
            if (!cmp) {
                cmp = makeExpr(ExprKind::Compare, at);
                cmp->items.push_back(std::move(first));
            }
            cmp->ops.push_back(op);
            cmp->items.push_back(parseMath1());
        }
        return cmp ? std::move(cmp) : std::move(first);
    }

    ExprPtr parseMath1()
    {
        ExprPtr left = parseConcat();
        while (isOp("+") || isOp("-")) {
            const Token& at = next();
            left = binary(at, at.text, std::move(left), parseConcat());
        }
        return left;
    }

    ExprPtr parseConcat()
    {
        ExprPtr left = parseMath2();
        while (isOp("~")) {
            const Token& at = next();
            left = binary(at, "~", std::move(left), parseMath2());
        }
        return left;
    }

    ExprPtr parseMath2()
    {
        ExprPtr left = parsePow();
        while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
            const Token& at = next();
            left = binary(at, at.text, std::move(left), parsePow());
        }
        return left;
    }

    ExprPtr parsePow()
    {
        ExprPtr left = parseUnary(true);
        while (isOp("**")) {
            const Token& at = next();
            left = binary(at, "**", std::move(left), parseUnary(true));
        }
        return left;
    }

    ExprPtr parseUnary(bool withFilter)
    {
        ExprPtr node;
        if (isOp("-") || isOp("+")) {
            const Token& at = next();
            enter(at);
            node = makeExpr(ExprKind::Unary, at);
            node->name = at.text;
            node->items.push_back(parseUnary(false));
            leave();
        } else {
            node = parsePrimary();
        }
        node = parsePostfix(std::move(node));
        if (withFilter)
            node = parseFilterExpr(std::move(node));
        return node;
    }

    ExprPtr parsePrimary()
    {
        const Token& t = peek();
        switch (t.type) {
        case TokenType::Name: {
            next();
            auto e = makeExpr(ExprKind::Literal, t);
            if (t.text == "true" || t.text == "True") {
                e->value = Value::boolean(true);
            } else if (t.text == "false" || t.text == "False") {
                e->value = Value::boolean(false);
            } else if (t.text == "none" || t.text == "None") {
                e->value = Value::none();
            } else {
                e->kind = ExprKind::Name;
                e->name = t.text;
            }
            return e;
        }
        case TokenType::String: {
            auto e = makeExpr(ExprKind::Literal, t);
            std::string s;
            while (peek().type == TokenType::String)
                s += next().text; // adjacent literals concatenate
            e->value = Value::string(std::move(s));
            return e;
        }
        case TokenType::Integer: {
            next();
            auto e = makeExpr(ExprKind::Literal, t);
            e->value = Value::integer(t.intValue);
            return e;
        }
        case TokenType::Float: {
            next();
            auto e = makeExpr(ExprKind::Literal, t);
            e->value = Value::number(t.floatValue);
            return e;
        }
        case TokenType::Operator:
            if (t.text == "(") {
                next();
                if (isOp(")")) {
                    next();
                    return makeExpr(ExprKind::Tuple, t);
                }
                ExprPtr inner = parseTuple(true);
                expectOp(")", "to close '('");
                return inner;
            }
            if (t.text == "[") {
                next();
                auto e = makeExpr(ExprKind::List, t);
                while (!isOp("]")) {
                    e->items.push_back(parseExpression());
                    if (!isOp(","))
                        break;
                    next();
                }
                expectOp("]", "to close the list");
                return e;
            }
            if (t.text == "{") {
                next();
                auto e = makeExpr(ExprKind::Dict, t);
                while (!isOp("}")) {
                    e->items.push_back(parseExpression());
                    expectOp(":", "in dict literal");
                    e->items.push_back(parseExpression());
                    if (!isOp(","))
                        break;
                    next();
                }
                expectOp("}", "to close the dict");
                return e;
            }
            break;
        default:
            break;
        }
        fail("unexpected " + describe(t) + " in expression", t);
    }

    ExprPtr parsePostfix(ExprPtr node)
    {
        while (true) {
            if (isOp(".")) {
                const Token& at = next();
                auto e = makeExpr(ExprKind::Attr, at);
                if (peek().type == TokenType::Integer) {
                    // foo.0 is foo[0]
                    e->kind = ExprKind::Item;
                    e->items.push_back(std::move(node));
                    auto index = makeExpr(ExprKind::Literal, peek());
                    index->value = Value::integer(next().intValue);
                    e->items.push_back(std::move(index));
                } else {
                    e->name = expectName("after '.'");
                    e->items.push_back(std::move(node));
                }
                node = std::move(e);
            } else if (isOp("[")) {
                const Token& at = next();
                node = parseSubscript(at, std::move(node));
            } else if (isOp("(")) {
                const Token& at = next();
                auto e = makeExpr(ExprKind::Call, at);
                e->items.push_back(std::move(node));
                parseCallArgs(*e);
                node = std::move(e);
            } else {
                return node;
            }
        }
    }

    ExprPtr parseSubscript(const Token& at, ExprPtr object)
    {
        ExprPtr parts[3];
        bool isSlice = false;
        if (!isOp(":"))
            parts[0] = parseExpression();
        if (isOp(":")) {
            isSlice = true;
            next();
            if (!isOp(":") && !isOp("]"))
                parts[1] = parseExpression();
            if (isOp(":")) {
                next();
                if (!isOp("]"))
                    parts[2] = parseExpression();
            }
        }
        expectOp("]", "to close the subscript");
        auto e = makeExpr(isSlice ? ExprKind::Slice : ExprKind::Item, at);
        e->items.push_back(std::move(object));
        e->items.push_back(std::move(parts[0]));
        if (isSlice) {
            e->items.push_back(std::move(parts[1]));
            e->items.push_back(std::move(parts[2]));
        }
        return e;
    }

    // After '(' : positional and name=value arguments, then ')'.
    void parseCallArgs(Expr& e)
    {
        while (!isOp(")")) {
            if (isOp("*") || isOp("**"))
                fail("unsupported '" + peek().text + "' argument unpacking", peek());
            if (peek().type == TokenType::Name && isOp("=", 1)) {
                std::string name = next().text;
                next();
                e.kwargs.emplace_back(std::move(name), parseExpression());
            } else {
                if (!e.kwargs.empty())
                    fail("positional argument follows keyword argument", peek());
                e.items.push_back(parseExpression());
            }
            if (!isOp(","))
                break;
            next();
        }
        expectOp(")", "to close the argument list");
    }

    ExprPtr parseFilterExpr(ExprPtr node)
    {
        while (true) {
            if (isOp("|")) {
                next();
                const Token& at = peek();
                auto e = makeExpr(ExprKind::Filter, at);
                e->name = expectName("after '|'");
                while (isOp(".")) {
                    next();
                    e->name += "." + expectName("in filter name");
                }
                e->items.push_back(std::move(node));
                if (isOp("(")) {
                    next();
                    parseCallArgs(*e);
                }
                node = std::move(e);
            } else if (isName("is")) {
                next();
                bool negated = false;
                if (isName("not")) {
                    next();
                    negated = true;
                }
                const Token& at = peek();
                auto e = makeExpr(ExprKind::Test, at);
                e->negated = negated;
                e->name = expectName("after 'is'");
                while (isOp(".")) {
                    next();
                    e->name += "." + expectName("in test name");
                }
                e->items.push_back(std::move(node));
                if (isOp("(")) {
                    next();
                    parseCallArgs(*e);
                } else if ((peek().type == TokenType::Name || peek().type == TokenType::String
                            || peek().type == TokenType::Integer || peek().type == TokenType::Float || isOp("[")
                            || isOp("{"))
                           && !isName("else") && !isName("or") && !isName("and") && !isName("if")) {
                    if (isName("is"))
                        fail("you cannot chain multiple tests with 'is'", peek());
                    e->items.push_back(parsePostfix(parsePrimary()));
                }
                node = std::move(e);
            } else if (isOp("(")) {
                const Token& at = next();
                auto e = makeExpr(ExprKind::Call, at);
                e->items.push_back(std::move(node));
                parseCallArgs(*e);
                node = std::move(e);
            } else {
                return node;
            }
        }
    }

    const std::vector<Token>& m_tokens;
    size_t m_pos = 0;
    int m_depth = 0;
    int m_loopDepth = 0;
};

} // namespace

Program parse(const std::vector<Token>& tokens)
{
    return Parser(tokens).run();
}

Program parseTemplate(const std::string& source)
{
    return parse(tokenize(source));
}

} // namespace ts::jinja
