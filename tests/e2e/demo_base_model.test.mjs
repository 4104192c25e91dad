// The bundled demo base model (resources/demo/base-model) read by independent Hugging Face-format readers:
// @huggingface/tokenizers loads its tokenizer.json and encodes as Tunesmith does, @huggingface/jinja renders its
// chat template as Tunesmith does, and llama.cpp (node-llama-cpp) runs its GGUF export to the same greedy tokens
// as `tunesmith-cli generate`. It also checks the files against SHA256SUMS written when the model was made.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { Template } from "@huggingface/jinja";
import { Tokenizer } from "@huggingface/tokenizers";

import { greedy, withModel } from "./gguf_llama.mjs";

const cli = process.env.TUNESMITH_CLI;
const sourceDir = process.env.TUNESMITH_SOURCE_DIR;
const workDir = path.join(process.env.TUNESMITH_WORK_DIR ?? "/tmp/tunesmith-e2e-work", "demo-base-model");
if (!cli || !sourceDir) {
  console.error("demo base model: TUNESMITH_CLI and TUNESMITH_SOURCE_DIR must be set");
  process.exit(2);
}
fs.mkdirSync(workDir, { recursive: true });
const modelDir = path.join(sourceDir, "resources/demo/base-model");

let failures = 0;
function check(ok, message) {
  if (!ok) {
    failures++;
    console.error("FAIL:", message);
  }
}
function runCli(args) {
  const result = spawnSync(cli, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`${cli} ${args.join(" ")} exited ${result.status}\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

// Files as made by the recipe.
for (const line of fs.readFileSync(path.join(modelDir, "SHA256SUMS"), "utf8").trim().split("\n")) {
  const [hash, name] = line.split(/\s+/);
  const actual = crypto.createHash("sha256").update(fs.readFileSync(path.join(modelDir, name))).digest("hex");
  check(actual === hash, `${name}: sha256 ${actual} != ${hash}`);
}
const config = JSON.parse(fs.readFileSync(path.join(modelDir, "config.json"), "utf8"));
check(config.model_type === "llama" && config.architectures?.[0] === "LlamaForCausalLM", "config.json is a llama");

// Tokenizer and chat template through the reference readers.
const tokenizerConfig = JSON.parse(fs.readFileSync(path.join(modelDir, "tokenizer_config.json"), "utf8"));
const reference = new Tokenizer(JSON.parse(fs.readFileSync(path.join(modelDir, "tokenizer.json"), "utf8")), tokenizerConfig);
const conversations = [
  [{ role: "user", content: "Uppercase: quiet river" }],
  [{ role: "user", content: "Extract as JSON: name Ana Park, city Lyon, amount 40 EUR" }, { role: "assistant", content: "{}" }],
  [{ role: "user", content: "Grüße — 12 € ✓ <|im_end|> inside" }],
];
const template = new Template(tokenizerConfig.chat_template);
for (const messages of conversations) {
  const messagesFile = path.join(workDir, "messages.json");
  fs.writeFileSync(messagesFile, JSON.stringify(messages));
  const ours = runCli(["render", "--model", modelDir, "--messages", messagesFile, "--add-generation-prompt"]).text;
  const theirs = template.render({ messages, add_generation_prompt: true, bos_token: "", eos_token: "<|im_end|>" });
  check(ours === theirs, `chat template render differs: ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`);
  const ids = runCli(["tokenize", "--tokenizer", modelDir, "--text", ours]).ids;
  const refIds = reference.encode(ours, { add_special_tokens: false }).ids;
  check(JSON.stringify(ids) === JSON.stringify(refIds), `token ids differ for ${JSON.stringify(ours)}`);
}

// llama.cpp on the GGUF export: the same greedy continuation.
const gguf = path.join(workDir, "demo-base.gguf");
runCli(["export-gguf", "--model", modelDir, "--out", gguf, "--type", "f32"]);
const promptText = template.render({ messages: conversations[0], add_generation_prompt: true, bos_token: "", eos_token: "" });
const promptIds = reference.encode(promptText, { add_special_tokens: false }).ids;
const ours = runCli(["generate", "--model", modelDir, "--ids", promptIds.join(","), "--max-new-tokens", "16",
  "--ignore-eos", "--threads", "1"]).ids;
const theirs = await withModel(gguf, (model) => greedy(model, promptIds, 16));
check(JSON.stringify(ours) === JSON.stringify(theirs), `greedy ids differ: ${ours} vs ${theirs}`);

if (failures) {
  console.error(`demo base model: ${failures} check(s) failed`);
  process.exit(1);
}
console.log("demo base model: sha256, tokenizer, chat template and llama.cpp greedy parity ok");
