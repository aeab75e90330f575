"""Tiny StarCoder-style code LM (pre-LN GPT blocks, fused QKV, SDPA attention)
trained on fill-in-the-middle formatted files that are right padded to the
longest file in the batch."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, FIM_PREFIX, FIM_MIDDLE, FIM_SUFFIX = 0, 1, 2, 3


def build_attention_mask(input_ids: torch.Tensor, pad_id: int = PAD) -> torch.Tensor:
    """(B, 1, L, L) mask combining the autoregressive constraint and padding."""
    L = input_ids.size(1)
    future = torch.triu(torch.ones(L, L, dtype=torch.bool, device=input_ids.device), diagonal=1)
    padded_key = (input_ids == pad_id)[:, None, None, :]
    return future[None, None] | padded_key


class CodeBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(approximate="tanh"), nn.Linear(4 * dim, dim))

    def forward(self, x, attn_mask=None):
        B, L, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(D, dim=-1)
        q, k, v = (t.view(B, L, self.heads, D // self.heads).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        x = x + self.proj(y.transpose(1, 2).reshape(B, L, D))
        return x + self.mlp(self.ln2(x))


class TinyStarCoder(nn.Module):
    def __init__(self, vocab=512, dim=64, heads=4, layers=2, ctx=128):
        super().__init__()
        self.wte = nn.Embedding(vocab, dim)
        self.wpe = nn.Embedding(ctx, dim)
        self.blocks = nn.ModuleList(CodeBlock(dim, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, labels=None):
        L = input_ids.size(1)
        h = self.wte(input_ids) + self.wpe(torch.arange(L, device=input_ids.device))
        mask = build_attention_mask(input_ids)
        for blk in self.blocks:
            h = blk(h, attn_mask=mask)  # expect: ML102
        logits = self.lm_head(self.ln_f(h))
        if labels is None:
            return logits
        loss = F.cross_entropy(logits[:, :-1].flatten(0, 1), labels[:, 1:].flatten(), ignore_index=PAD)
        return loss, logits


def fim_format(prefix, middle, suffix):
    return [FIM_PREFIX] + prefix + [FIM_SUFFIX] + suffix + [FIM_MIDDLE] + middle


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyStarCoder().eval()
    seq = fim_format(list(range(10, 18)), list(range(40, 46)), list(range(60, 64)))
    ids = torch.tensor([seq])
    with torch.no_grad():
        a = model(ids)
        ids2 = ids.clone()
        ids2[0, 12:] = 99
        b = model(ids2)
    leak = (a[0, :12] - b[0, :12]).abs().max().item()
    print("change of logits before position 12 after editing positions >= 12:", leak)
    assert leak > 1e-4
    print("FAILURE SHOWN: code LM attends to future tokens")
