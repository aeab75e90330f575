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
            ("c_fc", nn.Linear(d_model, d_model * 4)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(d_model * 4, d_model)),
        ]))
        self.ln_2 = nn.LayerNorm(d_model)
        self.n_head = n_head

    def attention(self, x: torch.Tensor, attn_mask: torch.Tensor):
        attn_mask_ = attn_mask.repeat(self.n_head, 1, 1)  # BUG
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]

    def forward(self, para_tuple: tuple):
        # x: torch.Tensor, attn_mask: torch.Tensor
        x, attn_mask = para_tuple
        x = x + self.attention(self.ln_1(x), attn_mask)
        x = x + self.mlp(self.ln_2(x))
        return (x, attn_mask)


class CrossModel(nn.Module):
    def __init__(self, width=32, layers=2, heads=4):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def build_attention_mask(self, attention_mask):
        extended_attention_mask = (1.0 - attention_mask.unsqueeze(1)) * -1000000.0
        return extended_attention_mask.expand(-1, attention_mask.size(1), -1)

    def forward(self, concat_input, concat_mask):
        extended_attention_mask = self.build_attention_mask(concat_mask)
        x = concat_input.permute(1, 0, 2)  # NLD -> LND
        x = self.resblocks((x, extended_attention_mask))[0]
        return x.permute(1, 0, 2)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CrossModel().eval()
    frames = torch.randn(3, 6, 32)
    video_mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 1, 0, 0, 0, 0]]).float()
    with torch.no_grad():
        batched = model(frames, video_mask)
        single = model(frames[1:2], video_mask[1:2])
    print(batched.shape)
    print("clip 1, batched vs alone:", (batched[1, :3] - single[0, :3]).abs().max().item())
