"""Continuous-batching scheduler step for an LLM server: the prompts of newly
admitted requests are packed into one ragged row ("varlen" style) for a single
prefill pass.  A block-diagonal mask keeps requests from seeing each other."""
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel


@dataclass
class EngineConfig:
    vocab: int = 300
    dim: int = 64
    heads: int = 4
    layers: int = 2
    max_pos: int = 512
    deterministic_kernels: bool = False  # pin SDPA to the math backend (bitwise reproducible)


@dataclass
class Request:
    rid: int
    prompt: List[int]
    output: List[int] = field(default_factory=list)


def pack_prompts(reqs: List[Request]):
    ids, pos, seg = [], [], []
    for i, r in enumerate(reqs):
        ids += r.prompt
        pos += list(range(len(r.prompt)))
        seg += [i] * len(r.prompt)
    cu = torch.tensor([0] + [len(r.prompt) for r in reqs]).cumsum(0)
    return torch.tensor([ids]), torch.tensor([pos]), torch.tensor(seg), cu


class PackedAttention(nn.Module):
    def __init__(self, cfg: EngineConfig):
        super().__init__()
        self.cfg, self.h = cfg, cfg.heads
        self.qkv, self.o = nn.Linear(cfg.dim, 3 * cfg.dim), nn.Linear(cfg.dim, cfg.dim)

    def forward(self, x, same_request):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        ctx = sdpa_kernel([SDPBackend.MATH]) if self.cfg.deterministic_kernels else nullcontext()
        with ctx:
            y = F.scaled_dot_product_attention(  # expect: ML403
                q, k, v,
                attn_mask=same_request,
                is_causal=True,
            )
        return self.o(y.transpose(1, 2).reshape(B, L, D))


class TinyLLM(nn.Module):
    def __init__(self, cfg: EngineConfig):
        super().__init__()
        self.tok, self.pos = nn.Embedding(cfg.vocab, cfg.dim), nn.Embedding(cfg.max_pos, cfg.dim)
        self.attn = nn.ModuleList(PackedAttention(cfg) for _ in range(cfg.layers))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(cfg.dim), nn.Linear(cfg.dim, 2 * cfg.dim),
                                               nn.SiLU(), nn.Linear(2 * cfg.dim, cfg.dim))
                                 for _ in range(cfg.layers))
        self.ln = nn.LayerNorm(cfg.dim)
        self.head = nn.Linear(cfg.dim, cfg.vocab, bias=False)

    def prefill(self, ids, pos, seg):
        same_request = seg[:, None] == seg[None, :]
        x = self.tok(ids) + self.pos(pos)
        for attn, mlp in zip(self.attn, self.mlp):
            x = x + attn(self.ln(x), same_request)
            x = x + mlp(x)
        return self.head(x)


@torch.no_grad()
def scheduler_step(model, reqs):
    ids, pos, seg, cu = pack_prompts(reqs)
    logits = model.prefill(ids, pos, seg)
    for i, r in enumerate(reqs):
        r.output.append(int(logits[0, cu[i + 1] - 1].argmax()))
    return logits


if __name__ == "__main__":
    torch.manual_seed(0)
    reqs = [Request(0, [5, 6, 7, 8, 9]), Request(1, [11, 12, 13]), Request(2, [20, 21, 22, 23])]
    cfg = EngineConfig()
    model = TinyLLM(cfg).eval()
    scheduler_step(model, reqs)
    print("first tokens (default CPU kernel):", [r.output for r in reqs])
    cfg.deterministic_kernels = True
    try:
        scheduler_step(model, reqs)
        print("math backend ran")
    except RuntimeError as e:
        print("FAILURE SHOWN:", e)
