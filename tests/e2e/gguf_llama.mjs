// llama.cpp (node-llama-cpp 3.21.1, CPU prebuilt) as an oracle for GGUF exports: next-token log-probs at every
// position and greedy continuations, with an F32 KV cache and flash attention off (exact-comparison settings).
import { getLlama } from "node-llama-cpp"; // node_modules/ at the repository root

let llamaInstance = null;

export async function llama() {
  if (!llamaInstance) llamaInstance = await getLlama({ gpu: false, build: "never", logLevel: "error" });
  return llamaInstance;
}

// Loads a GGUF file, runs fn(model) and disposes the model.
export async function withModel(file, fn) {
  const model = await (await llama()).loadModel({ modelPath: file, gpuLayers: 0 });
  try {
    return await fn(model);
  } finally {
    await model.dispose();
  }
}

export async function exactContext(model, contextSize, threads = 1, options = {}) {
  return model.createContext({
    contextSize,
    batchSize: Math.min(contextSize, 512),
    flashAttention: false,
    experimentalKvCacheKeyType: "F32",
    experimentalKvCacheValueType: "F32",
    threads,
    ...options,
  });
}

// For each prompt position t: the top `topN` next-token candidates [{id, lp}] (natural log-probs, best first)
// given ids[0..t]. Evaluated in chunks so that only a few full-vocabulary probability maps are alive at once.
export async function positionLogProbs(model, ids, topN = 10, chunk = 16) {
  const context = await exactContext(model, ids.length + 8);
  try {
    const sequence = context.getSequence();
    const out = [];
    for (let start = 0; start < ids.length; start += chunk) {
      const items = ids.slice(start, start + chunk).map((id) => [id, { generateNext: { probabilities: true } }]);
      const results = await sequence.controlledEvaluate(items);
      for (const r of results) {
        const top = [];
        for (const [id, p] of r.next.probabilities) {
          top.push({ id, lp: Math.log(p) });
          if (top.length === topN) break;
        }
        out.push(top);
      }
    }
    return out;
  } finally {
    await context.dispose();
  }
}

// Greedy continuation of `ids` by llama.cpp's own sampler (temperature 0), `count` tokens, no stop tokens.
export async function greedy(model, ids, count) {
  const context = await exactContext(model, ids.length + count + 8);
  try {
    const sequence = context.getSequence();
    const next = { generateNext: { token: true, options: { temperature: 0 } } };
    const prompt = ids.map((id, i) => (i === ids.length - 1 ? [id, next] : id));
    let results = await sequence.controlledEvaluate(prompt);
    const generated = [results[results.length - 1].next.token];
    while (generated.length < count) {
      results = await sequence.controlledEvaluate([[generated[generated.length - 1], next]]);
      generated.push(results[0].next.token);
    }
    return generated;
  } finally {
    await context.dispose();
  }
}
