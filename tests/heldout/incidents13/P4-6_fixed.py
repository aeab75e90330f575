import torch
import torch.nn as nn


class DecoderOnlyBlock(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.ln2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        self.last_attn_weights = None

    def forward(self, x):
        h = self.ln1(x)
        L = h.size(1)
        causal_mask = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
        out, weights = self.attn(h, h, h, need_weights=True, attn_mask=causal_mask, is_causal=True)  # BUG
        self.last_attn_weights = weights
        x = x + out
        return x + self.ff(self.ln2(x))


class TinyDecoder(nn.Module):
    def __init__(self, vocab=64, d_model=32, n_heads=4, n_layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.blocks = nn.Sequential(*[DecoderOnlyBlock(d_model, n_heads) for _ in range(n_layers)])
        self.head = nn.Linear(d_model, vocab)

    def forward(self, ids):
        return self.head(self.blocks(self.tok(ids)))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyDecoder()
    ids = torch.randint(0, 64, (2, 8))
    try:
        model.train()
        model(ids)
        train_msg = "train ok"
    except RuntimeError as err:
        train_msg = f"train RuntimeError: {str(err)[:48]}"
    model.eval()
    with torch.no_grad():
        base = model(ids)
        ids2 = ids.clone()
        ids2[:, 4:] = (ids2[:, 4:] + 9) % 64
        leak = (model(ids2)[:, :4] - base[:, :4]).abs().max().item()
    print(f"{train_msg}; eval future leak = {leak:.4f}")
