"""Candidate-word generator for a daily "spelling bee" letter puzzle.

Prompt: ``<letters>:<centre letter>|`` e.g. ``aeglnrt:g|``; the model proposes
words character by character. Decoding keeps a rolling KV cache of the last
``CACHE_WINDOW`` positions; prompts in a batch are left-padded.
"""
import string

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = ["<pad>", "<bos>", "<eos>"] + list(string.ascii_lowercase + ":|,")
STOI = {c: i for i, c in enumerate(VOCAB)}
PAD_ID, BOS_ID, EOS_ID = 0, 1, 2
CACHE_WINDOW = 16


def encode_batch(prompts):
    ids = [[BOS_ID] + [STOI[c] for c in p] for p in prompts]
    L = max(map(len, ids))
    out = torch.full((len(ids), L), PAD_ID)
    for r, seq in enumerate(ids):
        out[r, L - len(seq):] = torch.tensor(seq)
    return out


class CachedAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x, key_ok, cache=None):
        """key_ok: (B, S_total) bool over every position so far (prompt + generated)."""
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        if cache is not None:
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        S = k.size(2)
        keys = key_ok[:, -S:]                      # the cache holds the most recent S positions
        if T == 1:
            mask = keys[:, None, None, :]
        else:
            causal = torch.ones(T, S, dtype=torch.bool, device=x.device).tril(S - T)
            mask = causal[None, None] & keys[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.proj(y.transpose(1, 2).reshape(B, T, D)), (k[:, :, -CACHE_WINDOW:], v[:, :, -CACHE_WINDOW:])


class WordProposer(nn.Module):
    def __init__(self, d=48, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(len(VOCAB), d)
        self.pos = nn.Embedding(128, d)
        self.attn = nn.ModuleList(CachedAttention(d, heads) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.lm = nn.Linear(d, len(VOCAB))

    def forward(self, ids, positions, key_ok, caches=None):
        x = self.emb(ids) + self.pos(positions)
        new = []
        for i, (norm, attn) in enumerate(zip(self.norm, self.attn)):
            a, kv = attn(norm(x), key_ok, None if caches is None else caches[i])
            x = x + a
            new.append(kv)
        return self.lm(x), new


@torch.no_grad()
def propose(model, prompts, max_new=10):
    ids = encode_batch(prompts)
    key_ok = ids != PAD_ID
    positions = (key_ok.long().cumsum(-1) - 1).clamp(min=0)
    logits, caches = model(ids, positions, key_ok)
    nxt = logits[:, -1].argmax(-1, keepdim=True)
    pos = positions[:, -1:]
    out = [nxt]
    for _ in range(max_new - 1):
        key_ok = torch.cat([key_ok, torch.ones_like(nxt, dtype=torch.bool)], dim=1)
        pos = pos + 1
        logits, caches = model(nxt, pos, key_ok, caches)
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        out.append(nxt)
    return torch.cat(out, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = WordProposer().eval()
    print(propose(model, ["aeglnrt:g|", "bcilmou:o|lumbo,", "dehinos:h|"]).shape)
