"""Bidirectional DNA encoder with ALiBi distance bias and padding (SDPA, float additive mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def alibi_slopes(n_heads: int) -> torch.Tensor:
    return torch.tensor([2.0 ** (-8.0 * (i + 1) / n_heads) for i in range(n_heads)])


def attention_bias(valid: torch.Tensor, slopes: torch.Tensor) -> torch.Tensor:
    """(N, S) bool keep + (H,) slopes -> (N, H, S, S) float additive bias."""
    S = valid.size(1)
    pos = torch.arange(S, device=valid.device)
    dist = (pos[None, :] - pos[:, None]).abs().float()
    alibi = -slopes[:, None, None] * dist                                   # (H, S, S), <= 0
    pad = torch.zeros(valid.shape, device=valid.device).masked_fill(~valid, float("-inf"))
    return alibi[None] + pad[:, None, None, :]


class DNAEncoderLayer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, bias):
        N, S, D = x.shape
        q, k, v = self.qkv(self.n1(x)).view(N, S, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        x = x + self.o(F.scaled_dot_product_attention(q, k, v, attn_mask=bias).transpose(1, 2).reshape(N, S, D))
        return x + self.ff(self.n2(x))


class DNAEncoder(nn.Module):
    def __init__(self, d=128, h=8, depth=3):
        super().__init__()
        self.emb = nn.Embedding(6, d)  # A C G T N PAD
        self.layers = nn.ModuleList(DNAEncoderLayer(d, h) for _ in range(depth))
        self.register_buffer("slopes", alibi_slopes(h))
        self.mlm = nn.Linear(d, 5)

    def forward(self, bases, valid):
        bias = attention_bias(valid, self.slopes)
        x = self.emb(bases)
        for layer in self.layers:
            x = layer(x, bias)
        return self.mlm(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    bases = torch.randint(0, 5, (4, 300))
    valid = torch.arange(300)[None] < torch.tensor([300, 250, 120, 299])[:, None]
    bases[~valid] = 5
    model = DNAEncoder()
    logits = model(bases, valid)
    loss = F.cross_entropy(logits[valid], bases[valid])
    loss.backward()
    print("mlm loss", round(loss.item(), 4))
