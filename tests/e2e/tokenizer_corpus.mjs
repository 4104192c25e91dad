// Deterministic tokenizer test corpus (seeded PRNG): prose in many scripts, code, numbers, whitespace, emoji,
// combining marks, contractions, special-token strings inside text and random code-point fuzz.

import { mulberry32 } from "./seeded_random.mjs";

const ENGLISH = [
  "The quick brown fox jumps over the lazy dog.",
  "It was the best of times, it was the worst of times.",
  "Fine-tuning a small model can beat prompting a large one on narrow tasks.",
  "She said: \"Don't worry, we'll fix it tomorrow.\"",
  "Why doesn't the cache invalidate when the file changes?",
  "In 1969, Apollo 11 landed on the Moon; Neil Armstrong stepped out first.",
  "Tokenizers split text into pieces (tokens) before a model sees it.",
  "e-mail me at john.doe@example.com or visit https://example.org/path?q=1&r=2#frag",
  "Mr. O'Neil's dog—a beagle—barked... twice!",
  "Temperature: 0.7; top_p: 0.95; max_tokens: 256.",
];
const WORDS = ("the of and to in is was that for it with as his on be at by had are but from or have an they which one " +
  "you were all we when there can been has more if no out do so what up about its into than them only other new some " +
  "could time these two may first then do any like my now over such our man me even most made after also did many " +
  "model token training loss gradient adapter quantization evaluation dataset prompt judge benchmark").split(" ");
const FOREIGN = [
  "Der schnelle braune Fuchs springt über den faulen Hund. Grüße aus München!",
  "Straße, Maß, Fußgänger und Äpfel, Öl, Übung.",
  "Le cœur a ses raisons que la raison ne connaît point. Où êtes-vous ?",
  "¿Dónde está la biblioteca? ¡Mañana será otro día, señor Muñoz!",
  "Съешь же ещё этих мягких французских булок, да выпей чаю.",
  "Η γρήγορη καφέ αλεπού πηδάει πάνω από τον τεμπέλη σκύλο.",
  "我们今天去公园散步，天气非常好。机器学习模型需要大量数据。",
  "日本語のテキストを正しく分割できますか？東京は晴れです。カタカナとひらがな。",
  "안녕하세요, 만나서 반갑습니다. 오늘 날씨가 정말 좋네요.",
  "مرحبا بالعالم، كيف حالك اليوم؟ هذا نص تجريبي باللغة العربية.",
  "नमस्ते दुनिया, आप कैसे हैं? यह हिंदी में एक परीक्षण वाक्य है।",
  "Tiếng Việt có dấu: Xin chào, tôi tên là Nguyễn.",
  "שלום עולם, מה שלומך היום?",
  "ภาษาไทยไม่มีช่องว่างระหว่างคำ",
];
const CODE = [
  "#include <vector>\nint main() {\n    std::vector<int> v{1, 2, 3};\n    for (auto& x : v) x *= 2;\n    return 0;\n}\n",
  "template <typename T> T add(T a, T b) { return a + b; } // C++20\n",
  "def fib(n: int) -> int:\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n\nprint([fib(i) for i in range(10)])\n",
  "class Foo(object):\n\tdef __init__(self):\n\t\tself.x = {'a': 1, \"b\": [1, 2]}\n",
  "{\"name\": \"tunesmith\", \"version\": \"0.1.0\", \"deps\": [\"torch\", \"qt6\"], \"ok\": true, \"n\": null}",
  "{\n  \"messages\": [\n    {\"role\": \"user\", \"content\": \"Hi!\\nHow are you?\"}\n  ]\n}",
  "#!/bin/bash\nset -euo pipefail\nfor f in *.txt; do echo \"$f\" | wc -c; done\ncmake -S . -B build -G Ninja && ninja -C build\n",
  "ls -la ~/.config | grep -v '^d' > /tmp/out.log 2>&1 &",
  "SELECT id, name FROM users WHERE age >= 18 AND name LIKE '%son' ORDER BY id DESC;",
  "const x = a?.b ?? c; let y = (z) => z ** 2; // arrow\n",
  "    return self._cache[key]  # trailing spaces   ",
];
const SPECIAL_STRINGS = [
  "<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>",
  "<|reserved_special_token_5|>", "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<think>", "</think>",
  "<tool_call>", "</tool_call>", "<s>", "</s>", "<unk>", "<|eot_id", "<|im_start", "< s>", "<<s>>",
];
const EMOJI = [
  "😀", "👍", "👍🏽", "👩‍💻", "👨‍👩‍👧‍👦", "🏳️‍🌈", "❤️", "🇩🇪", "🇯🇵", "🧑🏿‍🚀", "✋🏻", "🤖", "🎉🎉🎉", "🙏🏾", "😂😂",
  "👩🏼‍❤️‍💋‍👨🏻", "#️⃣", "1️⃣",
];
const CONTRACTIONS = ["'s", "'S", "'t", "'T", "'re", "'RE", "'rE", "'ve", "'VE", "'m", "'M", "'ll", "'Ll", "'LL", "'d", "'D"];
const WHITESPACE = [" ", "  ", "   ", "\t", "\t\t", "\n", "\n\n", "\n\n\n", "\r\n", "\r\n\r\n", " \n", "\n ", " \t ",
  "\u00a0", "\u3000", "\u2003", "\u0085", "\u000b", "\f"];
const COMBINING_BASES = "aeiouAEIOUnNcCsSzZyY";

// Code point ranges assigned before Unicode 14 and unchanged since (PCRE2 10.42 and Python's unicodedata carry
// Unicode 14 tables, node 20 carries Unicode 17; newer assignments would differ in \p{L}/\p{N} and NFC).
const FUZZ_RANGES = [
  [0x20, 0x7e, 30], [0x00, 0x1f, 2], [0x7f, 0x9f, 1], [0xa0, 0x24f, 6], [0x250, 0x2af, 1], [0x300, 0x36f, 4],
  [0x370, 0x3ff, 2], [0x400, 0x4ff, 3], [0x590, 0x5ff, 1], [0x600, 0x6ff, 2], [0x900, 0x97f, 2], [0xe00, 0xe5b, 1],
  [0x1100, 0x11ff, 2], [0x2000, 0x206f, 3], [0x20a0, 0x20bf, 1], [0x2100, 0x214f, 1], [0x2190, 0x21ff, 1],
  [0x2500, 0x257f, 1], [0x3000, 0x303f, 1], [0x3041, 0x3096, 2], [0x30a0, 0x30ff, 2], [0x4e00, 0x9fa5, 5],
  [0xac00, 0xd7a3, 3], [0xff01, 0xffee, 1], [0x1f300, 0x1f5ff, 2], [0x1f600, 0x1f64f, 2], [0x1d400, 0x1d6a5, 1],
  [0xe000, 0xe0ff, 1], [0xfeff, 0xfeff, 1], [0xfffd, 0xfffd, 1],
];

export function buildCorpus(seed = 20261128, count = 2400) {
  const rand = mulberry32(seed);
  const int = (n) => Math.floor(rand() * n);
  const pick = (list) => list[int(list.length)];
  const totalWeight = FUZZ_RANGES.reduce((s, r) => s + r[2], 0);
  const fuzzChar = () => {
    let w = int(totalWeight);
    for (const [lo, hi, weight] of FUZZ_RANGES) {
      if (w < weight) return String.fromCodePoint(lo + int(hi - lo + 1));
      w -= weight;
    }
    return "x";
  };
  const number = () => {
    const len = 1 + int(int(3) === 0 ? 40 : 8);
    let s = String(1 + int(9));
    for (let i = 1; i < len; ++i) s += String(int(10));
    return s;
  };
  const sentence = () => {
    const n = 3 + int(15);
    const words = [];
    for (let i = 0; i < n; ++i) {
      let w = pick(WORDS);
      if (int(8) === 0) w = w[0].toUpperCase() + w.slice(1);
      if (int(20) === 0) w = w.toUpperCase();
      words.push(w);
    }
    return words.join(" ") + pick([".", "!", "?", ",", ";", "", "..."]);
  };
  const generators = [
    () => pick(ENGLISH),
    () => sentence(),
    () => sentence() + " " + sentence(),
    () => pick(FOREIGN),
    () => pick(FOREIGN) + " " + pick(ENGLISH),
    () => pick(CODE),
    () => pick(CODE).replace(/ {4}/g, pick(["  ", "\t", "        "])),
    () => number(),
    () => `${number()} ${number()}.${number()} -${number()} ${number()},${int(1000)}`,
    () => `${1900 + int(200)}-${String(1 + int(12)).padStart(2, "0")}-${String(1 + int(28)).padStart(2, "0")}`,
    () => `${1 + int(28)}/${1 + int(12)}/${1900 + int(200)} at ${int(24)}:${String(int(60)).padStart(2, "0")}`,
    () => `${pick(["$", "€", "£", "¥", "₹", "₽", "CHF "])}${number()}.${String(int(100)).padStart(2, "0")}`,
    () => `It costs ${pick(["$", "€"])}${int(10000)} (≈ ${int(100)}%) or ${int(1e6).toLocaleString("en-US")} USD`,
    () => {
      let s = "";
      for (let i = 0, n = 1 + int(6); i < n; ++i) s += pick(WHITESPACE) + (int(2) ? pick(WORDS) : "");
      return s;
    },
    () => sentence() + pick(WHITESPACE) + pick(WHITESPACE) + sentence() + pick(["  ", " ", "\n", "\t", "   \n"]),
    () => pick(["  ", "\n", "\t", " "]) + sentence(),
    () => {
      let s = "";
      for (let i = 0, n = 1 + int(5); i < n; ++i) s += pick(EMOJI) + (int(2) ? " " : "") + (int(3) ? "" : pick(WORDS));
      return s;
    },
    () => {
      // combining marks, NFD letters, Hangul jamo (NFC composes them)
      let s = "";
      for (let i = 0, n = 1 + int(8); i < n; ++i) {
        s += COMBINING_BASES[int(COMBINING_BASES.length)];
        for (let k = 0, m = int(4); k < m; ++k) s += String.fromCodePoint(0x300 + int(0x70));
        if (int(4) === 0) s += " ";
      }
      if (int(2)) s += " " + "Crème brûlée, résumé, naïve".normalize("NFD");
      if (int(3) === 0) s += " \u1100\u1161\u11a8\u1112\u1161\u11ab \u110b\u1173\u11af";
      return s;
    },
    () => {
      const w = pick(["I", "YOU", "He", "she", "We", "THEY", "it", "John", "Mary", "dog"]);
      return `${w}${pick(CONTRACTIONS)} ${pick(WORDS)} ${w.toLowerCase()}${pick(CONTRACTIONS)}${pick(["", " ", "!", "."])}`;
    },
    () => `${sentence()}${pick(SPECIAL_STRINGS)}${pick(["", " ", "\n"])}${sentence()}`,
    () => `${pick(SPECIAL_STRINGS)}${pick(["user", "assistant", "system"])}${pick(SPECIAL_STRINGS)}\n\n${pick(ENGLISH)}${pick(SPECIAL_STRINGS)}`,
    () => `${pick(SPECIAL_STRINGS)}${pick(SPECIAL_STRINGS)} ${pick(SPECIAL_STRINGS)}x${pick(SPECIAL_STRINGS)}`,
    () => {
      let s = "";
      for (let i = 0, n = 1 + int(40); i < n; ++i) s += fuzzChar();
      return s;
    },
    () => {
      let s = "";
      for (let i = 0, n = 1 + int(12); i < n; ++i) s += int(3) ? fuzzChar() : pick(WORDS) + pick(WHITESPACE);
      return s;
    },
  ];
  const corpus = [
    "", " ", "Hello world", "Hello", " Hello", "hello world", "\n", "\r\n", "   ", "a", "I'm", "don't", "12345678901234",
    "<|eot_id|>", "<s>", "</s>", "<|im_start|>", "naïve café", "Grüße", "🤖", "👨‍👩‍👧‍👦", "e\u0301", "\u1100\u1161",
  ];
  const seen = new Set(corpus);
  while (corpus.length < count) {
    const text = generators[int(generators.length)]();
    if (seen.has(text)) continue;
    seen.add(text);
    corpus.push(text);
  }
  return corpus;
}
