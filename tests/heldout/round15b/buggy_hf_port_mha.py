"""Encoder layer ported from an einsum implementation to nn.MultiheadAttention."""
import torch
import torch.nn as nn


def get_extended_attention_mask(attention_mask, num_heads, tgt_len):
    blocked = attention_mask[:, None, None, :] == 0
    return blocked.expand(-1, num_heads, tgt_len, -1)


class PortedLayer(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(hidden, heads, batch_first=True)
        self.ln = nn.LayerNorm(hidden)
        self.ffn = nn.Sequential(nn.Linear(hidden, 2 * hidden), nn.GELU(), nn.Linear(2 * hidden, hidden))

    def forward(self, x, attention_mask):
        ext = get_extended_attention_mask(attention_mask, self.heads, x.size(1))
        out, _ = self.mha(x, x, x, attn_mask=ext)  # expect: ML301
        x = self.ln(x + out)
        return x + self.ffn(x)


class PortedEncoder(nn.Module):
    def __init__(self, vocab=50, hidden=32, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList(PortedLayer(hidden) for _ in range(layers))

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        for layer in self.layers:
            x = layer(x, attention_mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = PortedEncoder()
    ids = torch.randint(1, 50, (2, 6))
    am = torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]])
    try:
        print(enc(ids, am).shape)
    except (AssertionError, RuntimeError) as exc:
        print("forward failed:", exc)
