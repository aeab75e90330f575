"""Small chat LM with a KV cache, used as the target model in speculative decoding (draft tokens verified in one pass)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class KVCache:
    def __init__(self):
        self.k = self.v = None

    def update(self, k, v):
        self.k = k if self.k is None else torch.cat([self.k, k], dim=2)
        self.v = v if self.v is None else torch.cat([self.v, v], dim=2)
        return self.k, self.v

    def crop(self, n):
        self.k, self.v = self.k[:, :, :n], self.v[:, :, :n]

    def __len__(self):
        return 0 if self.k is None else self.k.size(2)


class SelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.o = nn.Linear(d, d, bias=False)

    def forward(self, x, cache):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        k, v = cache.update(k, v)
        out = F.scaled_dot_product_attention(q, k, v, is_causal=L > 1)  # expect: ML405
        return self.o(out.transpose(1, 2).reshape(B, L, D))


class ChatLM(nn.Module):
    def __init__(self, vocab=1000, d=64, heads=4, layers=2, max_pos=256):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_pos, d)
        self.attn = nn.ModuleList(SelfAttention(d, heads) for _ in range(layers))
        self.ff = nn.ModuleList(nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
                                for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(2 * layers + 1))
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids, caches):
        start = len(caches[0])
        x = self.emb(ids) + self.pos(torch.arange(start, start + ids.size(1)))
        for i, (attn, ff) in enumerate(zip(self.attn, self.ff)):
            x = x + attn(self.ln[2 * i](x), caches[i])
            x = x + ff(self.ln[2 * i + 1](x))
        return self.head(self.ln[-1](x))


@torch.no_grad()
def speculative_step(target, caches, last_token, draft_tokens):
    """Verify k draft tokens with one forward pass of the target; return accepted tokens."""
    n_ctx = len(caches[0])
    inp = torch.cat([last_token, draft_tokens], dim=1)
    preds = target(inp, caches).argmax(-1)  # preds[:, i] = target's choice after inp[:, :i+1]
    accepted = []
    for i in range(draft_tokens.size(1)):
        if preds[0, i] != draft_tokens[0, i]:
            break
        accepted.append(int(draft_tokens[0, i]))
    accepted.append(int(preds[0, len(accepted)]))
    for c in caches:
        c.crop(n_ctx + len(accepted))
    return accepted


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ChatLM().eval()
    caches = [KVCache() for _ in model.attn]
    prompt = torch.randint(0, 1000, (1, 12))
    with torch.no_grad():
        model(prompt[:, :-1], caches)
    last = prompt[:, -1:]
    for _ in range(3):
        draft = torch.randint(0, 1000, (1, 4))
        out = speculative_step(model, caches, last, draft)
        last = torch.tensor([[out[-1]]])
        print(out, len(caches[0]))
