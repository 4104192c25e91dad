#!/usr/bin/env bash
# Rebuilds resources/demo/base-model/ from nothing: a ~1.6M-parameter Llama (hidden 192, 4 layers,
# 6 heads, 2 KV heads, SwiGLU 512, tied embeddings, byte-level tokenizer with ChatML) trained from
# random weights with Tunesmith's own trainer in full-parameter mode on the generated corpus.
#   resources/demo/base-model-recipe/make_base_model.sh [BUILD_DIR] [STEPS]
# Everything is seeded; with the same CPU kind and thread count the weights are bit-identical
# (other CPUs may differ in the last bits of floating-point sums).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
build="${1:-$root/build}"
steps="${2:-800}"
cli="$build/app/cli/tunesmith-cli"
work="$(mktemp -d /tmp/tunesmith-base-model.XXXXXX)"
trap 'rm -rf "$work"' EXIT

node "$here/generate.mjs" "$work"
"$cli" make-model --arch llama --out "$work/init" --tokenizer "$work/tokenizer" --hidden 192 --layers 4 --heads 6 \
    --kv-heads 2 --ffn 512 --tied --seed 1 --init-std 0.02 >/dev/null
cp "$work/tokenizer/generation_config.json" "$work/init/"
# config.json's eos/pad: <|im_end|> ends a turn, <|endoftext|> pads.
node -e 'const fs=require("fs");const p=process.argv[1];const c=JSON.parse(fs.readFileSync(p));c.eos_token_id=258;c.pad_token_id=256;c.bos_token_id=null;fs.writeFileSync(p,JSON.stringify(c,null,2)+"\n")' "$work/init/config.json"

"$cli" create "$work/corpus.tunesmith" >/dev/null
"$cli" import "$work/corpus.tunesmith" "$work/corpus.jsonl" --format openai-jsonl --source golden >/dev/null
"$cli" train --project "$work/corpus.tunesmith" --model "$work/init" --full-parameter --max-steps "$steps" \
    --micro-batch 16 --grad-accum 1 --lr 0.003 --schedule cosine --warmup-ratio 0.03 --weight-decay 0 \
    --max-grad-norm 1.0 --max-seq-len 160 --no-gradient-checkpointing --eval-every 250 --checkpoint-every 500 \
    --log-every 50 --seed 1 --threads "${THREADS:-2}" --name demo-base-model | tee "$work/train.log"

model="$(ls -d "$work"/corpus.assets/runs/*/model)"
dest="$root/resources/demo/base-model"
rm -rf "$dest"
mkdir -p "$dest"
cp "$model"/* "$dest/"
tail -n 3 "$work/train.log" | head -n 2 > "$dest/training-log-tail.jsonl"
(cd "$dest" && sha256sum model.safetensors tokenizer.json > SHA256SUMS)
echo "wrote $dest"
