// Writes what make_base_model.sh trains the demo base model from (deterministic, seeded):
//   tokenizer/         tokenizer.json (byte-level BPE over the 256 byte symbols + ChatML specials),
//                      tokenizer_config.json (ChatML chat template), generation_config.json
//   corpus.jsonl       OpenAI-chat JSONL of small instruction tasks (upper-casing, word reversal,
//                      key/value → JSON extraction, dates to ISO, sums, parity), ~90 % train / 10 % eval
// Usage: node generate.mjs OUT_DIR [COUNT]
import fs from "node:fs";
import path from "node:path";

const out = process.argv[2];
const count = Number(process.argv[3] ?? 6000);
if (!out) {
  console.error("usage: node generate.mjs OUT_DIR [COUNT]");
  process.exit(2);
}
fs.mkdirSync(path.join(out, "tokenizer"), { recursive: true });

// mulberry32: a small seeded PRNG, so the corpus is the same on every machine.
let seed = 20261128;
function rand() {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(rand() * list.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

// --- tokenizer ---------------------------------------------------------------------------------
const alphabet = [];
{
  let n = 0;
  for (let b = 0; b < 256; ++b) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    alphabet.push(String.fromCodePoint(printable ? b : 256 + n++));
  }
}
const vocab = {};
alphabet.forEach((s, i) => (vocab[s] = i));
const specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];
const tokenizer = {
  version: "1.0",
  truncation: null,
  padding: null,
  added_tokens: specials.map((content, i) => ({
    id: 256 + i, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
  })),
  normalizer: null,
  pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
  post_processor: null,
  decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
  model: {
    type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
    fuse_unk: false, byte_fallback: false, vocab, merges: [],
  },
};
const chatTemplate =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}" +
  "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
fs.writeFileSync(path.join(out, "tokenizer", "tokenizer.json"), JSON.stringify(tokenizer));
fs.writeFileSync(
  path.join(out, "tokenizer", "tokenizer_config.json"),
  JSON.stringify({ bos_token: null, eos_token: "<|im_end|>", pad_token: "<|endoftext|>", chat_template: chatTemplate,
    model_max_length: 1024, tokenizer_class: "PreTrainedTokenizerFast" }, null, 2),
);
fs.writeFileSync(
  path.join(out, "tokenizer", "generation_config.json"),
  JSON.stringify({ eos_token_id: 258, pad_token_id: 256, do_sample: false, max_new_tokens: 256 }, null, 2),
);

// --- corpus ------------------------------------------------------------------------------------
const first = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kira", "Luca", "Mira",
  "Nils", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Viktor", "Wen", "Yara", "Zoe"];
const last = ["Adler", "Brooks", "Castillo", "Dubois", "Engel", "Fischer", "Garcia", "Hale", "Ito", "Jensen", "Kowalski",
  "Lund", "Moreau", "Novak", "Okafor", "Park", "Quist", "Rossi", "Silva", "Tanaka", "Ueda", "Vogel", "Weber"];
const cities = ["Harlow Creek", "Cedar Hollow", "Portland", "Lyon", "Munich", "Austin", "Osaka", "Porto", "Bergen",
  "Denver", "Toronto", "Leeds"];
const currencies = ["USD", "EUR", "GBP", "CAD", "JPY"];
const words = ["river", "quiet", "window", "paper", "garden", "signal", "copper", "maple", "orbit", "harbor", "velvet",
  "lantern", "meadow", "pixel", "thunder", "canvas", "timber", "echo", "marble", "falcon"];
const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December"];
const pad = (n) => String(n).padStart(2, "0");

const tasks = [
  () => {
    const w = Array.from({ length: int(2, 5) }, () => pick(words)).join(" ");
    return [pick(["Uppercase: ", "Write in capitals: ", "UPPERCASE this: "]) + w, w.toUpperCase()];
  },
  () => {
    const w = Array.from({ length: int(3, 6) }, () => pick(words));
    return [pick(["Reverse the words: ", "Words in reverse order: "]) + w.join(" "), [...w].reverse().join(" ")];
  },
  () => {
    const name = `${pick(first)} ${pick(last)}`, city = pick(cities), amount = int(1, 9999), cur = pick(currencies);
    const parts = [`name ${name}`, `city ${city}`, `amount ${amount} ${cur}`].sort(() => rand() - 0.5);
    return [
      pick(["Extract as JSON: ", "To JSON: ", "Give JSON for: "]) + parts.join(", "),
      JSON.stringify({ name, city, amount, currency: cur }),
    ];
  },
  () => {
    const y = int(2019, 2026), m = int(1, 12), d = int(1, 28);
    const text = pick([`${months[m - 1]} ${d}, ${y}`, `${d} ${months[m - 1]} ${y}`, `${m}/${d}/${y}`]);
    return [pick(["Date to ISO: ", "ISO date for "]) + text, `${y}-${pad(m)}-${pad(d)}`];
  },
  () => {
    const a = int(0, 499), b = int(0, 499);
    return [pick([`What is ${a} plus ${b}?`, `Add ${a} and ${b}.`]), `${a} + ${b} = ${a + b}.`];
  },
  () => {
    const n = int(0, 9999);
    return [pick([`Is ${n} even?`, `Is ${n} an even number?`]), n % 2 === 0 ? "yes" : "no"];
  },
];

const lines = [];
for (let i = 0; i < count; ++i) {
  const [user, assistant] = pick(tasks)();
  lines.push(JSON.stringify({
    messages: [{ role: "user", content: user }, { role: "assistant", content: assistant }],
    split: i % 10 === 9 ? "eval" : "train",
  }));
}
fs.writeFileSync(path.join(out, "corpus.jsonl"), lines.join("\n") + "\n");
console.log(`wrote ${path.join(out, "tokenizer")} and ${lines.length} examples to ${path.join(out, "corpus.jsonl")}`);
