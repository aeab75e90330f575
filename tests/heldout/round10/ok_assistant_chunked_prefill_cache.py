"""Assistant LM serving loop: long prompts are prefilled in chunks against a growing KV cache."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


class CachedAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.q = nn.Linear(d, d, bias=False)
        self.kv = nn.Linear(d, 2 * d, bias=False)
        self.o = nn.Linear(d, d, bias=False)
        self.k_cache = self.v_cache = None

    def reset(self):
        self.k_cache = self.v_cache = None

    def forward(self, x):
        B, L, D = x.shape
        q = self.q(x).view(B, L, self.h, -1).transpose(1, 2)
        k, v = self.kv(x).view(B, L, 2, self.h, -1).permute(2, 0, 3, 1, 4)
        if self.k_cache is not None:
            k = torch.cat([self.k_cache, k], dim=2)
            v = torch.cat([self.v_cache, v], dim=2)
        self.k_cache, self.v_cache = k, v
        S = k.size(2)
        if L == 1:
            out = F.scaled_dot_product_attention(q, k, v)
        elif L == S:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_lower_right(L, S))
        return self.o(out.transpose(1, 2).reshape(B, L, D))


class AssistantLM(nn.Module):
    def __init__(self, vocab=800, d=64, heads=4, layers=2, max_pos=512):
        super().__init__()
        self.emb, self.pos = nn.Embedding(vocab, d), nn.Embedding(max_pos, d)
        self.layers = nn.ModuleList(CachedAttention(d, heads) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.head = nn.Linear(d, vocab, bias=False)
        self.seen = 0

    def reset(self):
        self.seen = 0
        for layer in self.layers:
            layer.reset()

    def forward(self, ids):
        pos = torch.arange(self.seen, self.seen + ids.size(1))
        self.seen += ids.size(1)
        x = self.emb(ids) + self.pos(pos)
        for attn, norm in zip(self.layers, self.norms):
            x = x + attn(norm(x))
        return self.head(x)


@torch.no_grad()
def chunked_prefill(model, prompt, chunk=8):
    model.reset()
    outs = [model(prompt[:, i:i + chunk]) for i in range(0, prompt.size(1), chunk)]
    return torch.cat(outs, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = AssistantLM().eval()
    prompt = torch.randint(0, 800, (2, 29))
    chunked = chunked_prefill(model, prompt, chunk=8)
    model.reset()
    with torch.no_grad():
        full = model(prompt)
        step = model(chunked[:, -1:].argmax(-1))
    print(chunked.shape, step.shape, torch.allclose(chunked, full, atol=1e-5))
