import torch
from torch import nn


class QuickGELU(nn.Module):
    def forward(self, x: torch.Tensor):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model: int, n_head: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, d_model * 4),
            QuickGELU(),
            nn.Linear(d_model * 4, d_model),
        )
        self.ln_2 = nn.LayerNorm(d_model)
        self.n_head = n_head

    def attention(self, x: torch.Tensor, attn_mask: torch.Tensor):
        attn_mask_ = attn_mask.repeat_interleave(self.n_head, dim=0)
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]

    def forward(self, para_tuple: tuple):
        # x: (L, N, D), attn_mask: (N, L, L)
        x, attn_mask = para_tuple
        x = x + self.attention(self.ln_1(x), attn_mask)
        x = x + self.mlp(self.ln_2(x))
        return (x, attn_mask)


class CrossModel(nn.Module):
    def __init__(self, width: int = 512, layers: int = 4, heads: int = 8):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def build_attention_mask(self, attention_mask: torch.Tensor) -> torch.Tensor:
        extended = (1.0 - attention_mask.unsqueeze(1)) * -1000000.0
        return extended.expand(-1, attention_mask.size(1), -1)

    def forward(self, concat_input: torch.Tensor, concat_mask: torch.Tensor) -> torch.Tensor:
        extended_mask = self.build_attention_mask(concat_mask)
        x = concat_input.permute(1, 0, 2)  # NLD -> LND
        x = self.resblocks((x, extended_mask))[0]
        return x.permute(1, 0, 2)


if __name__ == "__main__":
    model = CrossModel()
    feats = torch.randn(3, 44, 512)
    mask = torch.ones(3, 44)
    mask[1, 20:] = 0
    mask[2, 32:] = 0
    print(model(feats, mask).shape)
