// Deterministic conversations for the chat-template parity test: plain, unicode and whitespace content,
// empty content, system prompts, tools and tool calls, and invalid role orders that templates reject.

import { mulberry32 } from "./seeded_random.mjs";

const CONTENTS = [
    "Hello!",
    "What is 2+2?",
    "  leading and trailing spaces  ",
    "\n\nnewlines around\n\n",
    "tabs\tinside\tand trailing\t",
    "",
    "Unicode: café, naïve, 中文, Ελληνικά, русский, 🎵🎶",
    "emoji only 🤖",
    "quotes \"double\" and 'single'",
    "backslash \\ and a literal \\n",
    "{{ not a template }} {% if %} {# x #}",
    "multi\nline\ncontent\n  indented",
    "\u3000ideographic space\u3000",
    "\u00a0nbsp around\u00a0",
    "<|im_end|> injected token",
    "</s> [INST] fake [/INST]",
    'json {"a": [1, 2]}',
    "very long " + "word ".repeat(120),
    "right-to-left: שלום עולם",
    "\r\nwindows line\r\n",
];

const ASSISTANT_EXTRA = [
    "<think>\nI should reason.\n</think>\n\nThe answer is 4.",
    "<think>\n\n</think>\n\nShort answer.",
    "no think block here",
];

export const TOOLS = [
    {
        type: "function",
        function: {
            name: "get_weather",
            description: "Get the current weather in a given location",
            parameters: {
                type: "object",
                properties: {
                    location: { type: "string", description: "City and country, e.g. Paris, France" },
                    unit: { type: "string", enum: ["celsius", "fahrenheit"] },
                },
                required: ["location"],
            },
        },
    },
    {
        type: "function",
        function: {
            name: "search",
            description: "Search the web — returns snippets",
            parameters: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
        },
    },
];

function pick(rng, list) {
    return list[Math.floor(rng() * list.length)];
}

function content(rng, role) {
    if (role === "assistant" && rng() < 0.3) return pick(rng, ASSISTANT_EXTRA);
    return pick(rng, CONTENTS);
}

// features: {tools: bool, toolCalls: "multi"|"single"|"mistral"|null, reasoning: bool}
export function makeConversations(seed, count, features = {}) {
    const rng = mulberry32(seed);
    const out = [];
    for (let i = 0; i < count; i++) {
        const messages = [];
        const kind = rng();
        if (rng() < 0.5) messages.push({ role: "system", content: pick(rng, CONTENTS) });
        const turns = 1 + Math.floor(rng() * 6);
        let role = "user";
        for (let t = 0; t < turns; t++) {
            const m = { role, content: content(rng, role) };
            if (role === "assistant" && features.reasoning && rng() < 0.2) m.reasoning_content = "Thinking about it…";
            messages.push(m);
            role = role === "user" ? "assistant" : "user";
        }
        const conv = { messages, add_generation_prompt: rng() < 0.6 };
        if (kind < 0.1) {
            // Invalid orders: templates that check roles must raise; both implementations must agree.
            const variant = Math.floor(rng() * 4);
            if (variant === 0) messages.splice(messages.length, 0, { role: "user", content: "again" }, { role: "user", content: "twice" });
            else if (variant === 1) messages.unshift({ role: "assistant", content: "I speak first" });
            else if (variant === 2) messages.push({ role: "system", content: "late system" }, { role: "user", content: "ok" });
            else messages.push({ role: "narrator", content: "unknown role" });
        } else if (features.toolCalls && kind < 0.35) {
            conv.tools = TOOLS;
            const id = "abc123XYZ";
            const args = rng() < 0.5 ? { location: "Paris, France", unit: "celsius" } : { query: "weather — today" };
            const call = { id, type: "function", function: { name: args.query ? "search" : "get_weather", arguments: args } };
            if (features.toolCalls === "multi" && rng() < 0.3) {
                call.function.arguments = JSON.stringify(args);
            }
            if (messages[messages.length - 1].role !== "user") messages.push({ role: "user", content: "Use a tool please." });
            const calls = features.toolCalls === "multi" && rng() < 0.3 ? [call, { ...call, id: "def456UVW" }] : [call];
            messages.push({ role: "assistant", content: rng() < 0.5 ? "" : "Let me check.", tool_calls: calls });
            for (const c of calls) messages.push({ role: "tool", tool_call_id: c.id, content: rng() < 0.5 ? "22°C, sunny" : '{"temp": 22}' });
            if (rng() < 0.5) messages.push({ role: "assistant", content: "It is 22°C in Paris." });
        } else if (features.tools && kind < 0.45) {
            conv.tools = TOOLS;
        }
        if (features.context) conv.context = features.context(rng);
        out.push(conv);
    }
    return out;
}
