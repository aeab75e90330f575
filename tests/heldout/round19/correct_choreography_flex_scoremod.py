"""Contemporary-dance phrase generator over movement tokens, with a per-head recency bias.
Causal masking is done inside the FlexAttention score_mod."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import flex_attention

MOVES = ["<pad>", "<bos>", "roll", "spiral", "release", "fall", "recover", "suspend", "swing", "contract", "lift", "slide", "turn", "still"]


class RecencyAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.register_buffer("slopes", torch.logspace(-1, -3, heads, base=2.0))

    def forward(self, x):
        B, T, _ = x.shape
        slopes = self.slopes

        def recency_causal(score, b, h, q_idx, kv_idx):
            biased = score - slopes[h] * (q_idx - kv_idx)
            return torch.where(kv_idx <= q_idx, biased, -float("inf"))

        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, score_mod=recency_causal)
        return self.out(y.transpose(1, 2).reshape(B, T, -1))


class PhraseModel(nn.Module):
    def __init__(self, d=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(len(MOVES), d)
        self.layers = nn.ModuleList(RecencyAttention(d, heads) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.head = nn.Linear(d, len(MOVES))

    def forward(self, moves):
        x = self.emb(moves)
        for norm, layer in zip(self.norms, self.layers):
            x = x + layer(norm(x))
        return self.head(x)


if __name__ == "__main__":
    phrase = torch.tensor([[1, 2, 3, 8, 5, 6, 12, 13]])
    model = PhraseModel()
    with torch.no_grad():
        loss = nn.functional.cross_entropy(model(phrase[:, :-1])[0], phrase[0, 1:])
    print(loss.item())
