from collections import OrderedDict

import torch
from torch import nn


class LayerNorm(nn.LayerNorm):
    def forward(self, x):
        orig_type = x.dtype
        return super().forward(x.type(torch.float32)).type(orig_type)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model: int, n_head: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(d_model * 4, d_model)),
        ]))
        self.ln_2 = LayerNorm(d_model)
        self.n_head = n_head

    def attention(self, x, attn_mask):
        attn_mask_ = attn_mask.repeat_interleave(self.n_head, dim=0)  # BUG
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]

    def forward(self, para_tuple):
        x, attn_mask = para_tuple
        x = x + self.attention(self.ln_1(x), attn_mask)
        x = x + self.mlp(self.ln_2(x))
        return (x, attn_mask)


class CrossModel(nn.Module):
    """Joint text-video transformer over the concatenated frame and word features."""

    def __init__(self, width=32, layers=2, heads=4):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def build_attention_mask(self, attention_mask):
        extended_attention_mask = (1.0 - attention_mask.unsqueeze(1)) * -1000000.0
        return extended_attention_mask.expand(-1, attention_mask.size(1), -1)

    def forward(self, concat_input, attention_mask):
        extended = self.build_attention_mask(attention_mask)
        x = concat_input.permute(1, 0, 2)
        x = self.resblocks((x, extended))[0]
        return x.permute(1, 0, 2)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CrossModel().eval()
    feats = torch.randn(3, 8, 32)
    video_mask = torch.tensor([[1] * 8, [1] * 5 + [0] * 3, [1] * 3 + [0] * 5], dtype=torch.float32)
    with torch.no_grad():
        batched = model(feats, video_mask)
        worst = 0.0
        for i in range(3):
            single = model(feats[i:i + 1], video_mask[i:i + 1])
            n = int(video_mask[i].sum())
            worst = max(worst, (batched[i, :n] - single[0, :n]).abs().max().item())
    print(f"max |batched - per-sample| over real positions = {worst:.4f}")
