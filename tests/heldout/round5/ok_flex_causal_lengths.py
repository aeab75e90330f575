"""FlexAttention for a causal LM over right-padded batches: padding handled inside mask_mod."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def causal_padding_mod(lengths):
    def mask_mod(b, h, q_idx, kv_idx):
        causal = q_idx >= kv_idx
        in_seq = kv_idx < lengths[b]
        return causal & in_seq
    return mask_mod


def alibi_score_mod(slopes):
    def score_mod(score, b, h, q_idx, kv_idx):
        return score - slopes[h] * (q_idx - kv_idx)
    return score_mod


class FlexLMLayer(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.register_buffer("slopes", 2.0 ** (-torch.arange(1, heads + 1).float()), persistent=False)

    def forward(self, x, block_mask):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, score_mod=alibi_score_mod(self.slopes), block_mask=block_mask)
        return x + self.o(y.transpose(1, 2).reshape(B, T, D))


def build(lengths, T):
    return create_block_mask(causal_padding_mod(lengths), B=lengths.numel(), H=None, Q_LEN=T, KV_LEN=T, device="cpu")


if __name__ == "__main__":
    torch.manual_seed(0)
    lengths = torch.tensor([128, 70])
    bm = build(lengths, 128)
    layer = FlexLMLayer()
    x = torch.randn(2, 128, 64)
    with torch.no_grad():
        y = layer(x, bm)
        x2 = x.clone(); x2[:, 100] = torch.randn(64)
        y2 = layer(x2, bm)
    print("no leak to earlier positions:", torch.allclose(y[:, :100], y2[:, :100], atol=1e-5))
