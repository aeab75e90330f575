"""module_cross.py (CLIP4Clip style): cross-modal transformer whose residual
blocks pass (x, attn_mask) tuples through nn.Sequential."""
from collections import OrderedDict

import torch
from torch import nn


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model: int, n_head: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)), ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(d_model * 4, d_model))]))
        self.ln_2 = nn.LayerNorm(d_model)
        self.n_head = n_head

    def attention(self, x: torch.Tensor, attn_mask: torch.Tensor):
        attn_mask_ = attn_mask.repeat_interleave(self.n_head, dim=0)
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]

    def forward(self, para_tuple: tuple):
        x, attn_mask = para_tuple
        x = x + self.attention(self.ln_1(x), attn_mask)
        x = x + self.mlp(self.ln_2(x))
        return (x, attn_mask)


class Transformer(nn.Module):
    def __init__(self, width: int, layers: int, heads: int):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor):
        return self.resblocks((x, attn_mask))[0]


class CrossModel(nn.Module):
    def __init__(self, hidden=16, layers=2, heads=4):
        super().__init__()
        self.transformer = Transformer(hidden, layers, heads)

    def build_attention_mask(self, attention_mask):
        extended_attention_mask = (1.0 - attention_mask.unsqueeze(1)) * -1000000.0
        return extended_attention_mask.expand(-1, attention_mask.size(1), -1)

    def forward(self, concat_input, attention_mask):
        extended = self.build_attention_mask(attention_mask)
        x = concat_input.permute(1, 0, 2)  # NLD -> LND
        x = self.transformer(x, extended)
        return x.permute(1, 0, 2)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CrossModel().eval()
    x = torch.randn(2, 6, 16)
    mask_a = torch.tensor([[1.0] * 6, [1.0] * 2 + [0.0] * 4])
    mask_b = torch.tensor([[1.0] * 6, [1.0] * 6])
    with torch.no_grad():
        a = model(x, mask_a)[0]
        b = model(x, mask_b)[0]
    print("sample-0 change when only sample-1's mask changes:", (a - b).abs().max().item())
