// Tests of the chat-template engine (Jinja subset): expressions, filters, tests, whitespace control,
// loops, namespaces, errors for unsupported constructs, sandbox limits and the template loader.
#include <gtest/gtest.h>

#include <fstream>

#include "model/chat_template.h"
#include "test_support.h"

namespace {

using ts::ChatTemplate;
using ts::ChatTemplateOptions;

// The rendered text, or "ERROR: message".
std::string render(const std::string& source, const nlohmann::ordered_json& messages = nlohmann::ordered_json::array(),
                   const ChatTemplateOptions& options = {})
{
    auto tmpl = ChatTemplate::parse(source);
    if (!tmpl)
        return "ERROR: " + tmpl.error().message;
    auto out = tmpl->render(messages, options);
    if (!out)
        return "ERROR: " + out.error().message;
    return *out;
}

std::string renderWith(const std::string& source, const nlohmann::ordered_json& context)
{
    ChatTemplateOptions options;
    options.extraContext = context;
    return render(source, nlohmann::ordered_json::array(), options);
}

bool isError(const std::string& out, const std::string& needle)
{
    return out.rfind("ERROR: ", 0) == 0 && out.find(needle) != std::string::npos;
}

void writeFile(const std::filesystem::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
}

TEST(JinjaExpressions, Arithmetic)
{
    EXPECT_EQ(render("{{ 1 + 2 * 3 }}|{{ (1 + 2) * 3 }}|{{ 2 ** 10 }}|{{ -3 + 1 }}"), "7|9|1024|-2");
    EXPECT_EQ(render("{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }}"), "3 -4 1 2");
    EXPECT_EQ(render("{{ 7 / 2 }} {{ 4 / 2 }} {{ 1.5e3 }} {{ 0.1 + 0.2 }} {{ 1e-05 }} {{ 1e16 }}"),
              "3.5 2.0 1500.0 0.30000000000000004 1e-05 1e+16");
    EXPECT_EQ(render("{{ 'ab' + 'cd' }}|{{ 'a' ~ 1 ~ none ~ true }}|{{ 'ab' * 3 }}|{{ [1] + [2] }}"),
              "abcd|a1NoneTrue|ababab|[1, 2]");
    EXPECT_TRUE(isError(render("{{ 'a' + 1 }}"), "unsupported operand types for +: 'str' and 'int'"));
    EXPECT_TRUE(isError(render("{{ 1 / 0 }}"), "division by zero"));
}

TEST(JinjaExpressions, ComparisonLogicAndMembership)
{
    EXPECT_EQ(render("{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' != 'b' }}"),
              "True False True True True");
    EXPECT_EQ(render("{{ 'x' in 'xyz' }} {{ 'b' not in ['a'] }} {{ 'k' in {'k': 1} }} {{ not 0 }}"),
              "True True True True");
    EXPECT_EQ(render("{{ 0 or 'fallback' }}|{{ 'a' and 'b' }}|{{ none or [] }}|{{ 'yes' if 1 else 'no' }}"),
              "fallback|b|[]|yes");
    EXPECT_EQ(render("{{ 'yes' if 0 }}|{{ 'a' if false else 'b' if true else 'c' }}"), "|b");
    EXPECT_EQ(render("{{ 'abc' != false }} {{ '' == false }}"), "True False");
}

TEST(JinjaExpressions, LiteralsAccessAndSlicing)
{
    EXPECT_EQ(render("{{ 'a\\tb\\n' }}|{{ \"q'\" }}|{{ 'caf\\u00e9' }}|{{ 'x' 'y' }}"), "a\tb\n|q'|café|xy");
    EXPECT_EQ(render("{{ [1, 'two', none, true, 2.5] }}|{{ {'a': 1, 'b': [2]} }}|{{ (1, 2) }}"),
              "[1, 'two', None, True, 2.5]|{'a': 1, 'b': [2]}|[1, 2]");
    EXPECT_EQ(render("{{ {'a': {'b': 'c'}}.a.b }}{{ {'a': 1}['a'] }}{{ [1, 2, 3][-1] }}{{ [1, 2].0 }}"), "c131");
    EXPECT_EQ(render("{{ [1, 2, 3, 4][1:] }} {{ [1, 2, 3, 4][::-1] }} {{ [1, 2, 3, 4][-2:] }} {{ [1, 2, 3, 4][1:3] }}"),
              "[2, 3, 4] [4, 3, 2, 1] [3, 4] [2, 3]");
    EXPECT_EQ(render("{{ 'hello'[::-1] }} {{ 'héllo'[1:3] }} {{ 'abcdef'[::2] }} {{ 'héllo'[1] }}"), "olleh él ace é");
    EXPECT_EQ(render("{{ [1, 2, 3][5] is defined }} {{ {'a': 1}.b is defined }}"), "False False");
}

TEST(JinjaExpressions, MessagesFromJson)
{
    const auto messages = nlohmann::ordered_json::parse(R"([{"role": "user", "content": "Hi"},
                                                            {"role": "assistant", "content": "Yo", "n": 3}])");
    EXPECT_EQ(
        render("{% for m in messages %}{{ m.role }}={{ m['content'] }};{% endfor %}{{ messages[1].n + 1 }}", messages),
        "user=Hi;assistant=Yo;4");
}

TEST(JinjaMethods, StringAndDictMethods)
{
    EXPECT_EQ(
        render("[{{ '  a b  '.strip() }}][{{ 'xxaxx'.strip('x') }}][{{ '\\n a'.lstrip() }}][{{ 'a \\n'.rstrip() }}]"),
        "[a b][a][a][a]");
    EXPECT_EQ(render("{{ 'a,b,,c'.split(',') }} {{ ' a  b '.split() }} {{ 'a<t>b<t>c'.split('<t>')[-1] }}"),
              "['a', 'b', '', 'c'] ['a', 'b'] c");
    EXPECT_EQ(render("{{ 'hello'.startswith('he') }} {{ 'hello'.endswith(('x', 'lo')) }} {{ 'Hi There'.upper() }}"),
              "True True HI THERE");
    EXPECT_EQ(render("{{ 'hello world'.title() }} {{ 'aaa'.replace('a', 'b', 2) }} {{ 'Ab'.lower() }}"),
              "Hello World bba ab");
    EXPECT_EQ(render("{{ '{} and {name}'.format(1, name='x') }} {{ '-'.join(['a', 'b']) }}"), "1 and x a-b");
    EXPECT_EQ(render("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}{{ v }}{% endfor %}"
                     "{{ {'a': 1}.get('a') }}{{ {'a': 1}.get('z', 'd') }}{{ {'a': 1}.get('z') }}"
                     "{{ {'a': 1, 'b': 2}.keys() | list }}{{ {'a': 1}.values() | list }}"),
              "a1b21dNone['a', 'b'][1]");
}

TEST(JinjaFilters, StringFilters)
{
    EXPECT_EQ(
        render("[{{ '  x  ' | trim }}][{{ 'hello' | upper }}][{{ 'HeLLo' | lower }}][{{ 'hELLO' | capitalize }}]"),
        "[x][HELLO][hello][Hello]");
    EXPECT_EQ(render("{{ 'hello big-world' | title }}|{{ 'aXa' | replace('a', 'b') }}|{{ 42 | string }}"),
              "Hello Big-World|bXb|42");
    EXPECT_EQ(render("{{ '<a & b>' | escape }}|{{ '<b>' | safe }}|{{ 'ab\\ncd' | indent(2) }}"),
              "&lt;a &amp; b&gt;|<b>|ab\n  cd");
}

TEST(JinjaFilters, ToJson)
{
    EXPECT_EQ(render(R"({{ {'name': 'f', 'n': [1, 2.5, true, none], 'u': 'é"\n'} | tojson }})"),
              R"({"name": "f", "n": [1, 2.5, true, null], "u": "é\"\n"})");
    EXPECT_EQ(render("{{ {'a': [1, {}], 'b': []} | tojson(indent=2) }}"),
              "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}");
    EXPECT_EQ(render("{{ {'b': 1, 'a': 2} | tojson(sort_keys=true) }} {{ 'é' | tojson(ensure_ascii=true) }}"),
              R"({"a": 2, "b": 1} "\u00e9")");
    ChatTemplateOptions options;
    options.tools = nlohmann::ordered_json::parse(R"([{"z": 1, "a": {"y": "x"}}])");
    EXPECT_EQ(render("{{ tools[0] | tojson }}", nlohmann::ordered_json::array(), options),
              R"({"z": 1, "a": {"y": "x"}})");
}

TEST(JinjaFilters, SequenceFilters)
{
    EXPECT_EQ(
        render("{{ [1, 2, 3] | length }} {{ 'héllo' | length }} {{ {'a': 1} | count }} {{ undefinedvar | length }}"),
        "3 5 1 0");
    EXPECT_EQ(render("{{ [3, 1, 2] | first }}{{ [3, 1, 2] | last }}{{ [3, 1, 2] | sort | join(',') }}"
                     "{{ [1, 2] | reverse | list }}{{ 'ab' | list }}{{ [1, 1, 2] | unique | list }}"),
              "321,2,3[2, 1]['a', 'b'][1, 2]");
    EXPECT_EQ(render("{{ ['a', 'b'] | join }}|{{ [1, 2] | join(', ') }}|{{ [{'n': 'x'}, {'n': 'y'}] | join('+', "
                     "attribute='n') }}"),
              "ab|1, 2|x+y");
    EXPECT_EQ(
        render(
            "{{ missing | default('d') }}|{{ '' | default('d') }}|{{ '' | default('d', true) }}|{{ none | d('x') }}"),
        "d||d|None");
    EXPECT_EQ(render("{{ '42' | int + 1 }} {{ 'x' | int }} {{ '3.7' | int }} {{ '2.5' | float }} {{ -3 | abs }} {{ "
                     "2.567 | round(2) }} {{ 2.5 | round }}"),
              "43 0 3 2.5 3 2.57 2.0");
    const auto messages = nlohmann::ordered_json::parse(R"([{"role": "system", "content": "s"},
        {"role": "user", "content": "u1"}, {"role": "assistant", "content": "a"}, {"role": "user", "content": "u2"}])");
    EXPECT_EQ(render("{{ messages | selectattr('role', 'equalto', 'user') | map(attribute='content') | join(',') }}|"
                     "{{ messages | rejectattr('role', 'in', ['user', 'system']) | map(attribute='role') | list }}|"
                     "{{ messages | selectattr('missing') | list | length }}|"
                     "{{ [1, 2, 3, 4] | select('odd') | list }}{{ ['a', 'b'] | map('upper') | list }}",
                     messages),
              "u1,u2|['assistant']|0|[1, 3]['A', 'B']");
    EXPECT_EQ(render("{% for k, v in {'b': 1, 'a': 2} | dictsort %}{{ k }}{{ v }}{% endfor %}"
                     "{% for k, v in {'x': 1} | items %}{{ k }}{{ v }}{% endfor %}"),
              "a2b1x1");
}

TEST(JinjaTests, BuiltinTests)
{
    EXPECT_EQ(
        render("{{ x is defined }}{{ x is undefined }}{{ none is none }}{{ 'a' is string }}{{ 1 is number }}"
               "{{ 1 is integer }}{{ 1.5 is integer }}{{ {} is mapping }}{{ [] is iterable }}{{ 'a' is sequence }}"),
        "FalseTrueTrueTrueTrueTrueFalseTrueTrueTrue");
    EXPECT_EQ(render("{{ true is boolean }}{{ true is true }}{{ 1 is true }}{{ false is false }}{{ 3 is odd }}"
                     "{{ 4 is even }}{{ 9 is divisibleby 3 }}{{ 9 is divisibleby(2) }}{{ 'a' is in 'cat' }}"
                     "{{ 2 is equalto 2 }}{{ 2 is eq(3) }}{{ 1 is not none }}"),
              "TrueTrueFalseTrueTrueTrueTrueFalseTrueTrueFalseTrue");
    EXPECT_EQ(renderWith("{% if enable_thinking is defined and enable_thinking is false %}off{% endif %}",
                         {{"enable_thinking", false}}),
              "off");
}

TEST(JinjaWhitespace, TrimAndLstripBlocks)
{
    EXPECT_EQ(render("  {% if true %}\n    yes\n  {% endif %}\nafter"), "    yes\nafter");
    EXPECT_EQ(render("{% for x in [1, 2] %}\n{{ x }}\n{% endfor %}\n"), "1\n2\n");
    EXPECT_EQ(render("{{ 'a' }}\n{{ 'b' }}"), "a\nb");
    EXPECT_EQ(render("x\n"), "x");
    EXPECT_EQ(render("a {# note #} b|a\n  {# note #}\nb"), "a  b|a\nb");
    EXPECT_EQ(render("  {%+ if true %}x{% endif +%}\ny"), "  x\ny");
    EXPECT_EQ(render("x {% if true %} y {% endif %} z"), "x  y  z");
}

TEST(JinjaWhitespace, ExplicitStripping)
{
    EXPECT_EQ(render("x  \n {{- 'a' -}} \n  y"), "xay");
    EXPECT_EQ(render("a\n{%- if true -%}\n  b  \n{%- endif -%}\n c"), "abc");
    EXPECT_EQ(render("a  {#- c -#}  b"), "ab");
    EXPECT_EQ(render("{% raw %}{{ x }}{% if %}{% endraw %}"), "{{ x }}{% if %}");
    EXPECT_EQ(render("{%- set x = 'v' %}\n\n{{- x }}"), "v");
}

TEST(JinjaStatements, LoopVariables)
{
    EXPECT_EQ(render("{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}"
                     "{{ loop.length }}{{ loop.revindex }}{{ loop.revindex0 }}|{% endfor %}"),
              "10TrueFalse332|21FalseFalse321|32FalseTrue310|");
    EXPECT_EQ(render("{% for x in [1, 2, 3] %}{{ loop.previtem | default('-') }}{{ loop.nextitem | default('-') }} {% "
                     "endfor %}"),
              "-2 13 2- ");
    EXPECT_EQ(render("{% for x in [1, 2, 3, 4] if x is even %}{{ loop.index }}:{{ x }}/{{ loop.length }} {% endfor %}"),
              "1:2/2 2:4/2 ");
    EXPECT_EQ(render("{% for x in [] %}a{% else %}empty{% endfor %}{% for x in [1] if false %}{% else %}E{% endfor %}"),
              "emptyE");
    EXPECT_EQ(
        render("{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}"
               "{{ x }}{% endfor %}"),
        "0134");
    EXPECT_EQ(render("{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }}{% endfor %}{% for k in {'x': 1, 'y': 2} %}{{ k "
                     "}}{% endfor %}"),
              "37xy");
    EXPECT_EQ(
        render(
            "{% for x in [1, 2] %}{% for y in 'ab' %}{{ loop.index }}{{ y }}{% endfor %}{{ loop.index }}{% endfor %}"),
        "1a2b11a2b2");
    EXPECT_EQ(render("{{ range(3) | list }}{{ range(1, 7, 2) | list }}{{ range(3, 0, -1) | list }}"),
              "[0, 1, 2][1, 3, 5][3, 2, 1]");
}

TEST(JinjaStatements, SetScopingAndNamespaces)
{
    EXPECT_EQ(render("{% set ns = namespace(n=0, found=false) %}{% for i in range(5) %}{% set ns.n = ns.n + i %}"
                     "{% if i == 3 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.n }} {{ ns.found }}"),
              "10 True");
    EXPECT_EQ(render("{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{{ x }}{% endfor %}{{ x }}"), "21");
    EXPECT_EQ(render("{% set x = 1 %}{% if true %}{% set x = 2 %}{% endif %}{{ x }}"), "2");
    EXPECT_EQ(render("{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set block %}in {{ a }}{% endset %}[{{ block }}]"),
              "12[in 1]");
    EXPECT_EQ(render("{% set ns = namespace() %}{% set ns.items = [1] %}{{ ns.items }}"), "[1]");
    EXPECT_TRUE(isError(render("{% set x = 1 %}{% set x.a = 2 %}"), "not a namespace"));
}

TEST(JinjaStatements, Macros)
{
    EXPECT_EQ(render("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}"
                     "{{ greet('A') }} {{ greet('B', punct='?') }}"),
              "Hi A! Hi B?");
    EXPECT_TRUE(isError(render("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"), "macro calls nested deeper"));
}

TEST(JinjaUndefined, JinjaSemantics)
{
    EXPECT_EQ(render("[{{ foo }}]{% if foo %}x{% endif %}{% if not foo %}y{% endif %}{{ foo | default('d') }}"),
              "[]yd");
    EXPECT_TRUE(isError(render("{{ foo.bar }}"), "'foo' is undefined"));
    EXPECT_TRUE(isError(render("{{ foo + 1 }}"), "'foo' is undefined"));
    EXPECT_TRUE(isError(render("{{ {'a': 1}.b.c }}"), "has no attribute 'b'"));
}

TEST(JinjaUndefined, PythonSemanticsWhereJavaScriptPortsDiffer)
{
    // Python Jinja (what transformers runs), not @huggingface/jinja: None renders as "None" through |trim,
    // str + int is an error, "" != false, dicts compare by value, strip(chars) honours its argument.
    EXPECT_EQ(render("{{ none | trim }}|{{ x | trim }}|{{ 42 | trim }}"), "None||42");
    EXPECT_TRUE(isError(render("{{ 'a' + 42 }}"), "unsupported operand types for +: 'str' and 'int'"));
    EXPECT_TRUE(isError(render("{{ 'a' + none }}"), "'str' and 'NoneType'"));
    EXPECT_EQ(render("{{ '' != false }} {{ {'a': [1]} == {'a': [1]} }} [{{ ' \n x\n '.strip('\n') }}]"),
              "True True [ \n x\n ]");
    EXPECT_TRUE(isError(render("{{ messages[0]['role'] }}"), "list object has no element 0"));
}

TEST(JinjaErrors, RaiseException)
{
    const std::string source
        = "{% if messages[0].role != 'user' %}{{ raise_exception('Roles must alternate!') }}{% endif %}ok";
    EXPECT_EQ(render(source, nlohmann::ordered_json::parse(R"([{"role": "user", "content": ""}])")), "ok");
    auto tmpl = ChatTemplate::parse(source);
    ASSERT_TRUE(tmpl);
    auto out = tmpl->render(nlohmann::ordered_json::parse(R"([{"role": "assistant", "content": ""}])"), {});
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().message, "Roles must alternate!");
}

TEST(JinjaErrors, UnsupportedConstructsAreNamed)
{
    EXPECT_TRUE(isError(render("{% include \"x\" %}"), "unsupported tag 'include' at 1:4"));
    EXPECT_TRUE(isError(render("{% extends 'base' %}"), "unsupported tag 'extends'"));
    EXPECT_TRUE(isError(render("{% call f() %}{% endcall %}"), "unsupported tag 'call'"));
    EXPECT_TRUE(isError(render("ab\n{{ x | frobnicate }}"), "unknown filter 'frobnicate' at 2:8"));
    EXPECT_TRUE(isError(render("{% if false %}{{ x | frobnicate }}{% endif %}"), "unknown filter 'frobnicate'"));
    EXPECT_TRUE(isError(render("{{ x is frobnicated }}"), "unknown test 'frobnicated'"));
    EXPECT_TRUE(isError(render("{{ 'a'.frobnicate() }}"), "unknown method 'frobnicate' of str at 1:7"));
    EXPECT_TRUE(isError(render("{% frob %}"), "unknown tag 'frob'"));
    EXPECT_TRUE(isError(render("{% for x in y recursive %}{% endfor %}"), "unsupported 'recursive'"));
    EXPECT_TRUE(isError(render("{% break %}"), "'break' outside of a for loop"));
}

TEST(JinjaErrors, SyntaxErrorsHavePositions)
{
    EXPECT_TRUE(isError(render("{% if x %}abc"), "expected 'elif' or 'else' or 'endif'"));
    EXPECT_TRUE(isError(render("x\n  {{ 1 + }}"), "at 2:10"));
    EXPECT_TRUE(isError(render("{{ 'abc }}"), "unterminated string literal at 1:4"));
    EXPECT_TRUE(isError(render("{{ x "), "unclosed '{{' expression at 1:1"));
    EXPECT_TRUE(isError(render("{# x "), "unclosed comment"));
    EXPECT_TRUE(isError(render("{% endfor %}"), "unexpected 'endfor' tag"));
}

TEST(JinjaSandbox, Limits)
{
    ChatTemplateOptions options;
    options.maxOutputBytes = 1000;
    auto out = render("{% for i in range(1000) %}xxxxxxxxxx{% endfor %}", nlohmann::ordered_json::array(), options);
    EXPECT_TRUE(isError(out, "output exceeds the limit of 1000 bytes")) << out;
    out = render("{{ 'x' * 5000 }}", nlohmann::ordered_json::array(), options);
    EXPECT_TRUE(isError(out, "exceeds the output limit")) << out;

    options = {};
    options.maxIterations = 10000;
    out = render("{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
                 nlohmann::ordered_json::array(), options);
    EXPECT_TRUE(isError(out, "loop iterations exceed the limit of 10000")) << out;
    EXPECT_TRUE(isError(render("{{ range(100000000) | length }}"), "exceeds the sandbox limit"));
    // Doubling a string in a loop hits the size bound instead of exhausting memory.
    EXPECT_TRUE(isError(render("{% set ns = namespace(s='xxxxxxxxxxxxxxxx') %}{% for i in range(40) %}"
                               "{% set ns.s = ns.s + ns.s %}{% endfor %}"),
                        "exceeds the output limit"));
    // A namespace holding itself cannot be printed forever; deeply nested input is refused.
    EXPECT_TRUE(isError(render("{% set ns = namespace() %}{% set ns.me = [ns] %}{{ ns }}"), "nested too deeply"));
    nlohmann::ordered_json deep = nlohmann::ordered_json::array();
    for (int i = 0; i < 2000; ++i)
        deep = nlohmann::ordered_json::array({deep});
    EXPECT_TRUE(isError(render("{{ messages | length }}", deep), "nested deeper than"));
    // Deep nesting is a parse error, not a stack overflow.
    EXPECT_TRUE(
        isError(render("{{ " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }}"), "nested too deeply"));
}

TEST(ChatTemplate, StrftimeNowUsesInjectedClock)
{
    ChatTemplateOptions options;
    // 2024-07-26 12:00 UTC is the 26th in every time zone from UTC-11 to UTC+11.
    options.clock = [] { return std::chrono::system_clock::from_time_t(1721995200); };
    EXPECT_EQ(render("{{ strftime_now('%d %b %Y') }}", nlohmann::ordered_json::array(), options), "26 Jul 2024");
}

TEST(ChatTemplate, Llama3Template)
{
    const std::string source = "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = "
                               "'<|start_header_id|>' + "
                               "message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' "
                               "%}{% if loop.index0 == 0 "
                               "%}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if "
                               "add_generation_prompt %}{{ "
                               "'<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";
    ChatTemplateOptions options;
    options.bosToken = "<|begin_of_text|>";
    options.addGenerationPrompt = true;
    const auto messages = nlohmann::json::parse(R"([{"role": "system", "content": " Be brief. "},
                                                    {"role": "user", "content": "Hi\n"}])");
    EXPECT_EQ(
        render(source, nlohmann::ordered_json(messages), options),
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
    auto tmpl = ChatTemplate::parse(source);
    ASSERT_TRUE(tmpl);
    auto viaJson = tmpl->render(messages, options); // the nlohmann::json overload
    ASSERT_TRUE(viaJson);
    EXPECT_EQ(*viaJson, render(source, nlohmann::ordered_json(messages), options));
}

TEST(ChatTemplate, RejectsNonArrayMessages)
{
    auto tmpl = ChatTemplate::parse("x");
    ASSERT_TRUE(tmpl);
    EXPECT_FALSE(tmpl->render(nlohmann::ordered_json::object(), {}));
}

TEST(ChatTemplateLoader, TokenizerConfigString)
{
    tstest::TempDir dir;
    writeFile(dir / "tokenizer_config.json",
              R"({"chat_template": "{{ bos_token }}x", "bos_token": {"content": "<s>", "lstrip": false},
                  "eos_token": "</s>"})");
    auto files = ts::loadChatTemplateFiles(dir.path());
    ASSERT_TRUE(files) << files.error().message;
    EXPECT_EQ(files->source, "{{ bos_token }}x");
    EXPECT_EQ(files->bosToken, "<s>");
    EXPECT_EQ(files->eosToken, "</s>");
    EXPECT_EQ(files->origin.filename(), "tokenizer_config.json");
    auto text = ts::loadChatTemplate(dir.path());
    ASSERT_TRUE(text);
    EXPECT_EQ(*text, "{{ bos_token }}x");
}

TEST(ChatTemplateLoader, TokenizerConfigListAndSidecar)
{
    tstest::TempDir dir;
    writeFile(dir / "tokenizer_config.json",
              R"({"chat_template": [{"name": "tool_use", "template": "T"}, {"name": "default", "template": "D"}],
                  "bos_token": null, "eos_token": "<|im_end|>"})");
    auto text = ts::loadChatTemplate(dir.path());
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_EQ(*text, "D");
    auto named = ts::loadChatTemplate(dir.path(), "tool_use");
    ASSERT_TRUE(named);
    EXPECT_EQ(*named, "T");
    EXPECT_FALSE(ts::loadChatTemplate(dir.path(), "nope"));

    writeFile(dir / "chat_template.jinja", "sidecar {{ eos_token }}");
    auto files = ts::loadChatTemplateFiles(dir.path());
    ASSERT_TRUE(files);
    EXPECT_EQ(files->source, "sidecar {{ eos_token }}");
    EXPECT_EQ(files->origin.filename(), "chat_template.jinja");
    EXPECT_EQ(files->bosToken, "");
    EXPECT_EQ(files->eosToken, "<|im_end|>");
}

TEST(ChatTemplateLoader, MissingTemplate)
{
    tstest::TempDir dir;
    auto none = ts::loadChatTemplate(dir.path());
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message.find("no chat template"), std::string::npos);
    writeFile(dir / "tokenizer_config.json", R"({"bos_token": "<s>"})");
    auto missing = ts::loadChatTemplate(dir.path());
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("chat_template"), std::string::npos);
    writeFile(dir / "tokenizer_config.json", "{not json");
    EXPECT_FALSE(ts::loadChatTemplate(dir.path()));
}

} // namespace
