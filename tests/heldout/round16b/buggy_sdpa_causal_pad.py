import torch
import torch.nn as nn
import torch.nn.functional as F


class RotaryEmbedding(nn.Module):
    def __init__(self, dim, base=10000):
        super().__init__()
        self.register_buffer("inv_freq", 1.0 / base ** (torch.arange(0, dim, 2).float() / dim), persistent=False)

    def forward(self, x):
        t = torch.arange(x.size(-2), device=x.device, dtype=self.inv_freq.dtype)
        freqs = torch.outer(t, self.inv_freq)
        cos, sin = freqs.cos(), freqs.sin()
        x1, x2 = x[..., ::2], x[..., 1::2]
        return torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], -1).flatten(-2)


class LlamaishAttention(nn.Module):
    def __init__(self, dim, n_heads, dropout=0.1):
        super().__init__()
        self.n_heads, self.dropout = n_heads, dropout
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)
        self.rope = RotaryEmbedding(dim // n_heads)

    def forward(self, x, attention_mask):
        b, n, d = x.shape
        q, k, v = self.wqkv(x).view(b, n, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        q, k = self.rope(q), self.rope(k)
        keep = attention_mask[:, None, None, :].bool()
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=keep, dropout_p=self.dropout if self.training else 0.0, is_causal=True  # expect: ML403
        )
        return self.wo(out.transpose(1, 2).reshape(b, n, d))


class LlamaishLM(nn.Module):
    def __init__(self, vocab=1000, dim=64, n_heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(
            nn.ModuleList([nn.RMSNorm(dim), LlamaishAttention(dim, n_heads), nn.RMSNorm(dim),
                           nn.Sequential(nn.Linear(dim, 3 * dim), nn.SiLU(), nn.Linear(3 * dim, dim))])
            for _ in range(depth)
        )
        self.norm = nn.RMSNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask, labels=None):
        h = self.emb(input_ids)
        for n1, attn, n2, mlp in self.layers:
            h = h + attn(n1(h), attention_mask)
            h = h + mlp(n2(h))
        logits = self.lm_head(self.norm(h))
        if labels is None:
            return logits
        labels = labels.masked_fill(attention_mask == 0, -100)
        return F.cross_entropy(logits[:, :-1].flatten(0, 1), labels[:, 1:].flatten(), ignore_index=-100)


if __name__ == "__main__":
    model = LlamaishLM()
    ids = torch.randint(0, 1000, (2, 12))
    am = torch.ones_like(ids)
    am[0, 9:] = 0
    print(model(ids, am, labels=ids).item())
