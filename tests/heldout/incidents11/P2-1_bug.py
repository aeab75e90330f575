import torch
import torch.nn as nn


class CausalBlock(nn.Module):
    def __init__(self, d_model, n_heads, max_len):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_heads)
        self.ln1 = nn.LayerNorm(d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        self.register_buffer("attn_mask", torch.tril(torch.ones(max_len, max_len)))  # BUG

    def forward(self, x):
        T = x.size(0)
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=self.attn_mask[:T, :T])
        x = x + a
        return x + self.mlp(self.ln2(x))


class TinyLM(nn.Module):
    def __init__(self, vocab=64, d_model=32, n_heads=4, n_layers=2, max_len=8):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Parameter(torch.randn(max_len, 1, d_model) * 0.02)
        self.blocks = nn.ModuleList(CausalBlock(d_model, n_heads, max_len) for _ in range(n_layers))
        self.head = nn.Linear(d_model, vocab)

    def forward(self, idx):
        x = self.tok(idx) + self.pos[: idx.size(0)]
        for blk in self.blocks:
            x = blk(x)
        return self.head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = TinyLM()
    seq = torch.randint(0, 64, (8, 2))
    alt = seq.clone()
    alt[-1] = (alt[-1] + 3) % 64
    with torch.no_grad():
        d = (lm(seq)[:-1] - lm(alt)[:-1]).abs().max().item()
    print(f"prefix change when last token changes: {d:.3e}")
