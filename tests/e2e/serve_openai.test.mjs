// `tunesmith-cli serve` on the bundled demo base model, talked to by Node's own HTTP client (fetch) and
// SSE reading: the model list; a chat completion whose text and token counts equal `tunesmith-cli
// generate` on the same messages and whose prompt_tokens equal @huggingface/tokenizers on the
// @huggingface/jinja rendering; streamed deltas that add up to the same text and end with [DONE];
// the bearer token, the size limit and field-named 400s; a client aborting mid-stream; Ctrl+C.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

import { Template } from "@huggingface/jinja";
import { Tokenizer } from "@huggingface/tokenizers";

import { checker, e2eEnvironment } from "./e2e_support.mjs";

const { cli, sourceDir, workDir } = e2eEnvironment("serve-openai");
const modelDir = path.join(sourceDir, "resources/demo/base-model");
const { check, finish } = checker("serve");

// The server, and the line that says where it listens.
const token = "e2e-" + Math.random().toString(36).slice(2);
const server = spawn(cli, ["serve", "--model", modelDir, "--port", "0", "--threads", "1", "--token-env",
  "TS_E2E_SERVE_TOKEN", "--max-request-bytes", "8192"], {
  env: { ...process.env, TS_E2E_SERVE_TOKEN: token },
  stdio: ["ignore", "pipe", "inherit"],
});
const lines = readline.createInterface({ input: server.stdout });
const stdoutLines = [];
const firstLine = new Promise((resolve) => lines.once("line", resolve));
lines.on("line", (line) => stdoutLines.push(line));
const exited = new Promise((resolve) => server.once("exit", (code) => resolve(code)));
const listening = JSON.parse(await Promise.race([firstLine, exited.then((code) => `{"exit": ${code}}`)]));
if (!listening.listening) {
  console.error("serve did not start:", listening);
  process.exit(1);
}
const base = listening.listening; // http://127.0.0.1:PORT/v1
check(listening.model === "base-model", `model name ${listening.model}`);

const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
const post = (body, headers = auth, init = {}) =>
  fetch(`${base}/chat/completions`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body), ...init });

try {
  // Model list.
  const models = await (await fetch(`${base}/models`, { headers: auth })).json();
  check(models.object === "list" && models.data?.[0]?.id === "base-model", `models: ${JSON.stringify(models)}`);

  // A completion equals `generate` on the same messages (greedy), counts included.
  const messages = [{ role: "system", content: "Answer briefly." }, { role: "user", content: "Uppercase: quiet river" }];
  const res = await post({ model: "base-model", messages, max_tokens: 32, temperature: 0 });
  check(res.status === 200, `completion status ${res.status}`);
  const completion = await res.json();
  const promptsFile = path.join(workDir, "prompts.jsonl");
  fs.writeFileSync(promptsFile, JSON.stringify({ messages }) + "\n");
  const gen = spawnSync(cli, ["generate", "--model", modelDir, "--prompts", promptsFile, "--max-new-tokens", "32", "--threads", "1"],
    { encoding: "utf8" });
  const generated = JSON.parse(gen.stdout).results[0];
  const text = completion.choices?.[0]?.message?.content;
  check(text === generated.text, `text ${JSON.stringify(text)} vs generate ${JSON.stringify(generated.text)}`);
  check(completion.usage?.prompt_tokens === generated.prompt_tokens, `prompt_tokens ${completion.usage?.prompt_tokens} vs ${generated.prompt_tokens}`);
  check(completion.usage?.completion_tokens === generated.completion_tokens,
    `completion_tokens ${completion.usage?.completion_tokens} vs ${generated.completion_tokens}`);
  check(completion.usage?.total_tokens === completion.usage?.prompt_tokens + completion.usage?.completion_tokens, "total_tokens");
  const expectedFinish = generated.finish_reason === "length" ? "length" : "stop";
  check(completion.choices?.[0]?.finish_reason === expectedFinish, `finish_reason ${completion.choices?.[0]?.finish_reason}`);
  check(completion.object === "chat.completion" && completion.id?.startsWith("chatcmpl-"), "completion envelope");

  // prompt_tokens by the reference tokenizer on the reference template rendering.
  const tokenizerConfig = JSON.parse(fs.readFileSync(path.join(modelDir, "tokenizer_config.json"), "utf8"));
  const reference = new Tokenizer(JSON.parse(fs.readFileSync(path.join(modelDir, "tokenizer.json"), "utf8")), tokenizerConfig);
  const rendered = new Template(tokenizerConfig.chat_template).render({ messages, add_generation_prompt: true, bos_token: "", eos_token: "<|im_end|>" });
  const refCount = reference.encode(rendered, { add_special_tokens: false }).ids.length;
  check(completion.usage?.prompt_tokens === refCount, `prompt_tokens ${completion.usage?.prompt_tokens} vs reference ${refCount}`);

  // Streaming: SSE deltas add up to the same text, then usage, then [DONE].
  const streamed = await post({ messages, max_tokens: 32, stream: true, stream_options: { include_usage: true } });
  check(streamed.headers.get("content-type")?.startsWith("text/event-stream"), "event-stream content type");
  const events = (await streamed.text()).split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6));
  check(events.at(-1) === "[DONE]", "stream ends with [DONE]");
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
  const joined = chunks.map((c) => c.choices?.[0]?.delta?.content ?? "").join("");
  check(joined === text, `streamed ${JSON.stringify(joined)} vs ${JSON.stringify(text)}`);
  const usage = chunks.at(-1)?.usage;
  check(usage?.completion_tokens === completion.usage?.completion_tokens && chunks.at(-1).choices.length === 0, "usage chunk");

  // Auth, size limit, field errors.
  const noAuth = await post({ messages, max_tokens: 1 }, { "Content-Type": "application/json" });
  check(noAuth.status === 401, `no token: ${noAuth.status}`);
  const wrong = await post({ messages, max_tokens: 1 }, { ...auth, Authorization: "Bearer nope" });
  check(wrong.status === 401, `wrong token: ${wrong.status}`);
  const big = await post({ messages: [{ role: "user", content: "x".repeat(9000) }] });
  check(big.status === 413, `413: ${big.status}`);
  const badTopP = await post({ messages, top_p: 3 });
  const badTopPBody = await badTopP.json();
  check(badTopP.status === 400 && badTopPBody.error?.param === "top_p", `top_p: ${JSON.stringify(badTopPBody)}`);

  // A client that aborts mid-stream; the server answers the next request.
  const controller = new AbortController();
  const long = await post({ messages, max_tokens: 2000, stream: true }, auth, { signal: controller.signal });
  const reader = long.body.getReader();
  await reader.read();
  controller.abort();
  await reader.cancel().catch(() => {});
  // A fresh connection for the next request (never the aborted one), and a deadline: a hang here
  // must fail the test, not stall it until ctest's timeout.
  const after = await post({ messages, max_tokens: 32 }, { ...auth, Connection: "close" }, { signal: AbortSignal.timeout(60000) });
  check(after.status === 200 && (await after.json()).choices?.[0]?.message?.content === text, "serves after an aborted stream");
} finally {
  server.kill("SIGINT");
}
const code = await exited;
check(code === 0, `serve exit code ${code}`);
check(stdoutLines.some((l) => l.includes('"stopped":true')), "stopped line");
check(!stdoutLines.join("\n").includes(token), "the token is never printed");

finish("models, completion = generate, streaming, auth, limits, abort and Ctrl+C ok");
