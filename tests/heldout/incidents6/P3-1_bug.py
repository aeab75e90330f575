"""Cross-modal transformer fusing text and video frame tokens (sequence-first layout)."""
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
    def __init__(self, hidden_size=32, num_layers=2, num_heads=4, max_pos=32):
        super().__init__()
        self.position_embeddings = nn.Embedding(max_pos, hidden_size)
        self.type_embeddings = nn.Embedding(2, hidden_size)
        self.transformer = Transformer(hidden_size, num_layers, num_heads)

    def build_attention_mask(self, attention_mask):
        extended_attention_mask = attention_mask.unsqueeze(1)
        extended_attention_mask = extended_attention_mask.to(dtype=self.position_embeddings.weight.dtype)
        extended_attention_mask = (1.0 - extended_attention_mask) * -1000000.0
        return extended_attention_mask.expand(-1, attention_mask.size(1), -1)

    def forward(self, text_feats, video_feats, text_mask, video_mask):
        concat = torch.cat([text_feats, video_feats], dim=1)
        concat_mask = torch.cat([text_mask, video_mask], dim=1)
        type_ids = torch.cat([torch.zeros_like(text_mask), torch.ones_like(video_mask)], dim=1)
        pos = torch.arange(concat.size(1), device=concat.device)
        x = concat + self.position_embeddings(pos)[None] + self.type_embeddings(type_ids)
        extended_attention_mask = self.build_attention_mask(concat_mask)
        x = x.permute(1, 0, 2)  # NLD -> LND
        x = self.transformer(x, extended_attention_mask)
        return x.permute(1, 0, 2)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CrossModel()
    text = torch.randn(3, 6, 32)
    video = torch.randn(3, 8, 32)
    text_mask = torch.tensor([[1] * 6, [1] * 3 + [0] * 3, [1] * 4 + [0] * 2])
    video_mask = torch.tensor([[1] * 8, [1] * 5 + [0] * 3, [1] * 2 + [0] * 6])
    print(model(text, video, text_mask, video_mask).shape)
