// The syntax tree of a parsed Jinja template: expressions and statements.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/jinja/value.h"

namespace ts::jinja {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class ExprKind {
    Literal, // value
    Name, // name
    List, // items
    Tuple, // items
    Dict, // items: key, value, key, value, ...
    Attr, // items[0].name
    Item, // items[0][items[1]]
    Slice, // items[0][items[1]:items[2]:items[3]] (null items are omitted bounds)
    Call, // items[0](items[1..], kwargs)
    Filter, // items[0] | name(items[1..], kwargs)
    Test, // items[0] is [not] name(items[1..], kwargs)
    Unary, // op items[0]: "-", "+", "not"
    Binary, // items[0] op items[1]: + - * / // % ** ~ and or
    Compare, // items[0] ops[0] items[1] ops[1] items[2] ...: == != < <= > >= in notin
    Condition, // items[0] if items[1] else items[2] (items[2] may be null)
};

struct Expr
{
    ExprKind kind = ExprKind::Literal;
    int line = 0;
    int column = 0;
    Value value; // Literal
    std::string name; // Name, Attr, Filter, Test; the operator of Unary and Binary
    std::vector<std::string> ops; // Compare
    std::vector<ExprPtr> items; // operands, see ExprKind
    std::vector<std::pair<std::string, ExprPtr>> kwargs;
    bool negated = false; // Test: "is not"
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

enum class StmtKind {
    Text, // text
    Output, // {{ expr }}
    If, // branches: (condition, body)...; elseBody
    For, // targets in expr [if filter]: body; elseBody
    Set, // targets (or namespace attribute: targets[0].attribute) = expr
    SetBlock, // {% set targets[0] %}body{% endset %}
    Macro, // macro name(params) body
    Break,
    Continue,
};

struct MacroParam
{
    std::string name;
    ExprPtr defaultValue; // may be null
};

struct Stmt
{
    StmtKind kind = StmtKind::Text;
    int line = 0;
    int column = 0;
    std::string text; // Text; the macro name; the namespace attribute of Set
    ExprPtr expr; // Output, For (iterable), Set
    ExprPtr filter; // For: the "if" filter
    std::vector<std::string> targets; // For, Set, SetBlock
    std::vector<std::pair<ExprPtr, Body>> branches; // If
    Body body; // For, SetBlock, Macro
    Body elseBody; // If, For
    std::vector<MacroParam> params; // Macro
};

struct Program
{
    Body body;
};

} // namespace ts::jinja
