"""Switch-Transformer style code LM (top-1 expert routing) trained on right-padded batches of
source files. Causality and padding are folded into one boolean keep mask for SDPA."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

PAD = 0


def keep_mask(ids: torch.Tensor) -> torch.Tensor:
    n = ids.size(1)
    causal_keep = torch.ones(n, n, dtype=torch.bool, device=ids.device).tril_()
    pad_keep = ids.ne(PAD)
    return causal_keep[None, None] & pad_keep[:, None, None, :]


class SwitchFFN(nn.Module):
    def __init__(self, dim: int, hidden: int, n_experts: int, capacity_factor: float = 1.25):
        super().__init__()
        self.n_experts, self.capacity_factor = n_experts, capacity_factor
        self.router = nn.Linear(dim, n_experts)
        self.w_in = nn.Parameter(torch.randn(n_experts, dim, hidden) * dim ** -0.5)
        self.w_out = nn.Parameter(torch.randn(n_experts, hidden, dim) * hidden ** -0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        flat = x.reshape(-1, x.size(-1))
        gate = self.router(flat).softmax(-1)
        prob, expert = gate.max(-1)
        capacity = int(self.capacity_factor * flat.size(0) / self.n_experts) + 1
        out = torch.zeros_like(flat)
        for e in range(self.n_experts):
            idx = (expert == e).nonzero(as_tuple=True)[0][:capacity]
            if idx.numel():
                h = F.gelu(flat[idx] @ self.w_in[e]) @ self.w_out[e]
                out[idx] = prob[idx, None] * h
        return out.view_as(x)


class SwitchBlock(nn.Module):
    def __init__(self, dim: int, heads: int, n_experts: int):
        super().__init__()
        self.h = heads
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv, self.o = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        self.moe = SwitchFFN(dim, 2 * dim, n_experts)

    def forward(self, x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        b, n, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, n, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, is_causal=False)
        x = x + self.o(y.transpose(1, 2).reshape(b, n, d))
        return x + self.moe(self.ln2(x))


class SwitchCodeLM(nn.Module):
    def __init__(self, vocab: int = 4096, dim: int = 64, heads: int = 4, layers: int = 2, n_experts: int = 4):
        super().__init__()
        self.emb, self.pos = nn.Embedding(vocab, dim, padding_idx=PAD), nn.Embedding(256, dim)
        self.blocks = nn.ModuleList(SwitchBlock(dim, heads, n_experts) for _ in range(layers))
        self.ln_f, self.lm_head = nn.LayerNorm(dim), nn.Linear(dim, vocab, bias=False)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        keep = keep_mask(ids)
        for blk in self.blocks:
            x = blk(x, keep)
        return self.lm_head(self.ln_f(x))


if __name__ == "__main__":
    torch.manual_seed(0)
    files = [torch.randint(1, 4096, (n,)) for n in (40, 23, 31)]
    ids = torch.stack([F.pad(f, (0, 40 - f.numel()), value=PAD) for f in files])
    model = SwitchCodeLM()
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), ids[:, 1:], ignore_index=PAD)
    loss.backward()
    print("code lm loss", round(loss.item(), 4))
