#!/usr/bin/env python3
"""The reference for tunesmith-bench-train: the same LoRA training step written directly in PyTorch.

A Llama-shaped decoder in plain torch (RMSNorm, rotate-half RoPE, GQA attention with HF's repeat_kv,
SwiGLU MLP), fp32, with frozen base weights (dense: PyTorch has no NF4 on the CPU, so this is the
like-for-like reference for Tunesmith's dense-base variant), LoRA on q, k, v, o, gate, up and down
(A kaiming-uniform, B zero, scaling alpha / r, dropout on the LoRA path as PEFT does), loss on the
learned (assistant) positions only, summed and divided by their count, global grad-norm clipping and
torch.optim.AdamW. Optional per-layer gradient checkpointing (torch.utils.checkpoint).

Prints one JSON object: tokens/s (steady state, the first --warmup steps excluded) and peak RSS.
Written for Debian 12's python3-torch (1.13): no scaled_dot_product_attention.
"""

import argparse
import json
import math
import os
import resource
import time

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.checkpoint import checkpoint


class LoraLinear(nn.Module):
    """y = x W^T + scaling * B(A(dropout(x))), W frozen."""

    def __init__(self, in_features, out_features, r, alpha, dropout):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features) * 0.02, requires_grad=False)
        self.lora_A = nn.Parameter(torch.empty(r, in_features))
        self.lora_B = nn.Parameter(torch.zeros(out_features, r))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.scaling = alpha / r
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x):
        y = F.linear(x, self.weight)
        return y + F.linear(F.linear(self.dropout(x), self.lora_A), self.lora_B) * self.scaling


class RMSNorm(nn.Module):
    def __init__(self, size, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size), requires_grad=False)
        self.eps = eps

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def repeat_kv(x, groups):
    # (B, KV, T, D) -> (B, KV * groups, T, D), as transformers' modeling_llama.repeat_kv.
    if groups == 1:
        return x
    b, kv, t, d = x.shape
    return x[:, :, None, :, :].expand(b, kv, groups, t, d).reshape(b, kv * groups, t, d)


class Layer(nn.Module):
    def __init__(self, a):
        super().__init__()
        C, H, KV, D, Fi = a.hidden, a.heads, a.kv_heads, a.hidden // a.heads, a.ffn
        self.H, self.KV, self.D = H, KV, D
        lora = lambda i, o: LoraLinear(i, o, a.r, a.alpha, a.dropout)  # noqa: E731
        self.q_proj, self.k_proj, self.v_proj = lora(C, H * D), lora(C, KV * D), lora(C, KV * D)
        self.o_proj = lora(H * D, C)
        self.gate_proj, self.up_proj, self.down_proj = lora(C, Fi), lora(C, Fi), lora(Fi, C)
        self.input_layernorm = RMSNorm(C, a.eps)
        self.post_attention_layernorm = RMSNorm(C, a.eps)

    def forward(self, x, cos, sin, mask):
        B, T, _ = x.shape
        h = self.input_layernorm(x)
        q = self.q_proj(h).view(B, T, self.H, self.D).transpose(1, 2)
        k = self.k_proj(h).view(B, T, self.KV, self.D).transpose(1, 2)
        v = self.v_proj(h).view(B, T, self.KV, self.D).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k, v = repeat_kv(k, self.H // self.KV), repeat_kv(v, self.H // self.KV)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.D) + mask
        att = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(B, T, self.H * self.D)
        x = x + self.o_proj(att)
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class Model(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.embed_tokens = nn.Embedding(a.vocab, a.hidden)
        self.embed_tokens.weight.requires_grad_(False)
        self.layers = nn.ModuleList(Layer(a) for _ in range(a.layers))
        self.norm = RMSNorm(a.hidden, a.eps)
        self.lm_head = nn.Linear(a.hidden, a.vocab, bias=False)
        self.lm_head.weight.requires_grad_(False)
        D = a.hidden // a.heads
        inv_freq = 1.0 / (a.rope_theta ** (torch.arange(0, D, 2, dtype=torch.float32) / D))
        freqs = torch.arange(a.seq, dtype=torch.float32)[:, None] * inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        self.register_buffer("cos", emb.cos()[None, None], persistent=False)  # (1, 1, T, D)
        self.register_buffer("sin", emb.sin()[None, None], persistent=False)
        self.register_buffer("mask", torch.full((a.seq, a.seq), -1e30).triu(1)[None, None], persistent=False)
        self.checkpointing = a.checkpointing

    def loss(self, ids, targets):
        """Sum of -log p(target) over positions whose target is not -100, and their count."""
        B, T = ids.shape
        x = self.embed_tokens(ids)
        if self.checkpointing:
            x.requires_grad_(True)  # PEFT's enable_input_require_grads
        for layer in self.layers:
            if self.checkpointing:
                x = checkpoint(layer, x, self.cos, self.sin, self.mask)
            else:
                x = layer(x, self.cos, self.sin, self.mask)
        h = self.norm(x).reshape(B * T, -1)
        t = targets.reshape(-1)
        where = (t != -100).nonzero().squeeze(1)
        logits = self.lm_head(h.index_select(0, where))
        return F.cross_entropy(logits, t.index_select(0, where), reduction="sum"), where.numel()


def vm_hwm_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hidden", type=int, default=512)
    p.add_argument("--layers", type=int, default=8)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--kv-heads", type=int, default=4)
    p.add_argument("--ffn", type=int, default=1376)
    p.add_argument("--vocab", type=int, default=8192)
    p.add_argument("--eps", type=float, default=1e-5)
    p.add_argument("--rope-theta", type=float, default=10000.0)
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--prompt-len", type=int, default=37, help="leading tokens of each row that are not learned")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=8, help="timed steps (after the warm-up)")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--r", type=int, default=16)
    p.add_argument("--alpha", type=float, default=32.0)
    p.add_argument("--dropout", type=float, default=0.05)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--max-grad-norm", type=float, default=0.3)
    p.add_argument("--checkpointing", action="store_true")
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = Model(a)
    model.train()
    params = [q for q in model.parameters() if q.requires_grad]
    opt = torch.optim.AdamW(params, lr=a.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)

    # Rows of `seq` byte-level ids; positions >= prompt_len are learned, so the targets (the next
    # token) are scored at positions prompt_len - 1 .. seq - 2, as in Tunesmith's masked rows.
    g = torch.Generator().manual_seed(a.seed)
    steps = a.warmup + a.steps
    batches = []
    for _ in range(steps):
        ids = torch.randint(0, 256, (a.batch, a.seq), generator=g)
        targets = torch.full_like(ids, -100)
        targets[:, a.prompt_len - 1 : a.seq - 1] = ids[:, a.prompt_len :]
        batches.append((ids, targets))

    times = []
    losses = []
    start = time.perf_counter()
    for ids, targets in batches:
        opt.zero_grad(set_to_none=True)
        loss_sum, n = model.loss(ids, targets)
        (loss_sum / max(n, 1)).backward()
        torch.nn.utils.clip_grad_norm_(params, a.max_grad_norm)
        opt.step()
        losses.append(loss_sum.item() / max(n, 1))
        times.append(time.perf_counter())

    tokens_per_step = a.batch * a.seq
    steady = (times[-1] - times[a.warmup - 1]) if a.warmup > 0 else (times[-1] - start)
    step_times = [t1 - t0 for t0, t1 in zip([start] + times[:-1], times)]
    trainable = sum(q.numel() for q in params)
    total = sum(q.numel() for q in model.parameters())
    print(
        json.dumps(
            {
                "variant": "python-dense" + ("-ckpt" if a.checkpointing else ""),
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
                "tokens_per_s": tokens_per_step * a.steps / steady,
                "step_seconds": step_times,
                "peak_rss_mib": vm_hwm_kib() / 1024.0,
                "parameters": total,
                "trainable": trainable,
                "loss_first": losses[0],
                "loss_last": losses[-1],
                "loadavg": os.getloadavg()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
