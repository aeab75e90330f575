"""Batched jazz-solo continuation: several chorus openings (left-padded) are continued together
with a key/value cache. Tokens are note events (pitch class x octave x duration) plus rests."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_EVENTS = 12 * 4 * 6 + 6
PAD, BOS = N_EVENTS, N_EVENTS + 1
VOCAB = N_EVENTS + 2


class SoloAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, mask, cache=None):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if cache is not None:
            k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.o(y.transpose(1, 2).reshape(B, T, D)), (k, v)


class SoloLM(nn.Module):
    def __init__(self, d=64, heads=4, layers=2, max_len=256):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d)
        self.attn = nn.ModuleList(SoloAttention(d, heads) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.head = nn.Linear(d, VOCAB)

    def forward(self, ids, positions, mask, caches=None):
        x = self.emb(ids) + self.pos(positions)
        new = []
        for i, (norm, att) in enumerate(zip(self.norm, self.attn)):
            h, kv = att(norm(x), mask, None if caches is None else caches[i])
            x = x + h
            new.append(kv)
        return self.head(x), new


@torch.no_grad()
def continue_solos(model, prompts, n_new=16):
    model.eval()
    T = max(len(p) for p in prompts)
    ids = torch.tensor([[PAD] * (T - len(p)) + p for p in prompts])
    real = ids != PAD
    positions = (real.cumsum(1) - 1).clamp_min(0)
    causal = torch.ones(T, T).tril()  # BUG: 0/1 float mask; SDPA adds float masks to the scores, so later prompt notes stay visible during the prefill
    prefill_mask = causal[None, None] * real[:, None, None, :]
    logits, caches = model(ids, positions, prefill_mask)
    out = []
    pos = positions[:, -1:]
    for _ in range(n_new):
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        out.append(nxt)
        pos = pos + 1
        logits, caches = model(nxt, pos, None, caches)  # BUG: the decode step drops the padding mask, so the new note attends to the cached left-padding slots
    return torch.cat(out, 1)


if __name__ == "__main__":
    lm = SoloLM()
    prompts = [[BOS, 15, 40, 77, 3], [BOS, 200, 201]]
    print(continue_solos(lm, prompts, 6))
