"""Batched greedy generation with left padding and a KV cache (HF-generate-like loop, SDPA attention)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.o = nn.Linear(d, d, bias=False)

    def forward(self, x, keep, cache=None):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        if cache is not None and cache.get("k") is not None:
            k = torch.cat([cache["k"], k], dim=2)
            v = torch.cat([cache["v"], v], dim=2)
        if cache is not None:
            cache["k"], cache["v"] = k, v
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return self.o(out.transpose(1, 2).reshape(B, L, D))


class TinyLM(nn.Module):
    def __init__(self, vocab=500, d=64, heads=4, layers=2, max_pos=128):
        super().__init__()
        self.emb, self.pos = nn.Embedding(vocab, d), nn.Embedding(max_pos, d)
        self.attn = nn.ModuleList(Attention(d, heads) for _ in range(layers))
        self.mlp = nn.ModuleList(nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
                                 for _ in range(layers))
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids, attention_mask, position_ids, caches=None):
        # attention_mask: (B, S_total) 1 = real token, covering cached + new tokens
        B, L = ids.shape
        S = attention_mask.size(1)
        q_pos = torch.arange(S - L, S, device=ids.device)
        k_pos = torch.arange(S, device=ids.device)
        causal = k_pos[None, :] <= q_pos[:, None]                      # (L, S)
        keep = causal[None, None] & attention_mask.bool()[:, None, None, :]
        keep = keep | (k_pos[None, :] == q_pos[:, None])[None, None]  # pad queries see themselves
        x = self.emb(ids) + self.pos(position_ids)
        for i, (attn, mlp) in enumerate(zip(self.attn, self.mlp)):
            x = x + attn(x, keep, None if caches is None else caches[i])
            x = x + mlp(x)
        return self.head(x)


@torch.no_grad()
def generate(model, prompts, pad_id=0, max_new=5):
    n = max(len(p) for p in prompts)
    ids = torch.tensor([[pad_id] * (n - len(p)) + p for p in prompts])
    attention_mask = (ids != pad_id).long()
    position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
    caches = [dict() for _ in model.attn]
    logits = model(ids, attention_mask, position_ids, caches)
    out = ids
    for _ in range(max_new):
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        out = torch.cat([out, nxt], dim=1)
        attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], dim=1)
        position_ids = position_ids[:, -1:] + 1
        logits = model(nxt, attention_mask, position_ids, caches)
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyLM().eval()
    prompts = [[5, 17, 42, 8, 9, 11], [77, 3], [120, 121, 122, 123]]
    print(generate(model, prompts))
