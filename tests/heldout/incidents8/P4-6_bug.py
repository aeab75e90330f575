import torch
import torch.nn as nn


class DecoderBlock(nn.Module):
    def __init__(self, d_model=32, n_heads=4, dropout=0.0):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, return_attn=False):
        h = self.ln1(x)
        h, attn_weights = self.attn(h, h, h, need_weights=True, is_causal=True)  # BUG
        x = x + h
        x = x + self.mlp(self.ln2(x))
        return (x, attn_weights) if return_attn else x


class TinyDecoder(nn.Module):
    def __init__(self, vocab=64, d_model=32, n_layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.blocks = nn.ModuleList(DecoderBlock(d_model) for _ in range(n_layers))
        self.head = nn.Linear(d_model, vocab)

    def forward(self, idx):
        x = self.emb(idx)
        maps = []
        for blk in self.blocks:
            x, w = blk(x, return_attn=True)
            maps.append(w)
        return self.head(x), maps


if __name__ == "__main__":
    model = TinyDecoder()
    idx = torch.randint(0, 64, (2, 8))
    logits, maps = model(idx)
    print(logits.shape, maps[0][0, 0])
