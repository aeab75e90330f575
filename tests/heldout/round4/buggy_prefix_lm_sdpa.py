"""Prefix-LM (UniLM / T5 prefix-LM style) attention with SDPA.

The prefix is attended bidirectionally, the continuation causally; right padding.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PrefixLMAttention(nn.Module):
    def __init__(self, dim: int, heads: int, pad_id: int = 0):
        super().__init__()
        self.heads = heads
        self.pad_id = pad_id
        self.qkv = nn.Linear(dim, dim * 3, bias=False)
        self.out = nn.Linear(dim, dim)

    def build_mask(self, tokens: torch.Tensor, prefix_len: torch.Tensor) -> torch.Tensor:
        B, T = tokens.shape
        dev = tokens.device
        # 1 above the diagonal: future positions
        future = (1 - torch.tril(torch.ones(T, T, device=dev))).bool()       # (T, T)
        in_prefix = torch.arange(T, device=dev)[None, :] < prefix_len[:, None]  # (B, T)
        # prefix keys are visible to every query
        mask = future.unsqueeze(0) & ~in_prefix[:, None, :]                  # (B, T, T)
        pad = tokens == self.pad_id
        mask = mask | pad[:, None, :]
        return mask.unsqueeze(1)                                             # (B, 1, T, T)

    def forward(self, x, tokens, prefix_len):
        B, T, D = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q, k, v = (t.view(B, T, self.heads, D // self.heads).transpose(1, 2) for t in (q, k, v))
        mask = self.build_mask(tokens, prefix_len)
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=mask,  # expect: ML102
        )
        return self.out(y.transpose(1, 2).reshape(B, T, D))


class PrefixLM(nn.Module):
    def __init__(self, vocab=1000, dim=128, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.layers = nn.ModuleList(PrefixLMAttention(dim, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.lm_head = nn.Linear(dim, vocab)

    def forward(self, tokens, prefix_len):
        x = self.emb(tokens)
        for attn, norm in zip(self.layers, self.norms):
            x = x + attn(norm(x), tokens, prefix_len)
        return self.lm_head(x)


def loss_fn(model, tokens, prefix_len):
    logits = model(tokens[:, :-1], prefix_len)
    tgt = tokens[:, 1:].clone()
    pos = torch.arange(tgt.size(1), device=tgt.device)[None]
    tgt[pos < (prefix_len[:, None] - 1)] = -100     # no loss on the prefix
    tgt[tgt == 0] = -100
    return F.cross_entropy(logits.transpose(1, 2), tgt, ignore_index=-100)
