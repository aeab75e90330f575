"""Video-text cross encoder over frame and word tokens (CLIP4Clip 'tightTransf'-style)."""
from collections import OrderedDict

import torch
import torch.nn as nn


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model: int, n_head: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)),
            ("gelu", nn.GELU()),
            ("c_proj", nn.Linear(d_model * 4, d_model)),
        ]))
        self.ln_2 = nn.LayerNorm(d_model)
        self.n_head = n_head

    def attention(self, x: torch.Tensor, attn_mask: torch.Tensor):
        attn_mask_ = attn_mask.repeat(self.n_head, 1, 1)
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]  # expect: ML302

    def forward(self, para_tuple: tuple):
        x, attn_mask = para_tuple
        x = x + self.attention(self.ln_1(x), attn_mask)
        x = x + self.mlp(self.ln_2(x))
        return (x, attn_mask)


class CrossTransformer(nn.Module):
    def __init__(self, width: int, layers: int, heads: int):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor):
        return self.resblocks((x, attn_mask))[0]


class CrossModel(nn.Module):
    def __init__(self, width=64, layers=2, heads=4, max_pos=128):
        super().__init__()
        self.type_emb = nn.Embedding(2, width)
        self.pos_emb = nn.Embedding(max_pos, width)
        self.transformer = CrossTransformer(width, layers, heads)
        self.pooler = nn.Linear(width, width)
        self.sim = nn.Linear(width, 1)

    def build_attention_mask(self, attention_mask):
        # attention_mask: (B, L) with 1 = keep
        extended = (1.0 - attention_mask.unsqueeze(1).float()) * -1000000.0
        return extended.expand(-1, attention_mask.size(1), -1)

    def forward(self, text_feats, video_feats, text_mask, video_mask):
        x = torch.cat([text_feats, video_feats], dim=1)
        types = torch.cat([torch.zeros_like(text_mask), torch.ones_like(video_mask)], dim=1)
        mask = torch.cat([text_mask, video_mask], dim=1)
        pos = torch.arange(x.size(1), device=x.device)
        x = x + self.type_emb(types) + self.pos_emb(pos)[None]
        ext = self.build_attention_mask(mask)
        x = x.permute(1, 0, 2)  # NLD -> LND
        x = self.transformer(x, ext)
        x = x.permute(1, 0, 2)
        pooled = torch.tanh(self.pooler(x[:, 0]))
        return self.sim(pooled).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    B, Lt, Lv, D = 3, 12, 8, 64
    model = CrossModel(width=D)
    text = torch.randn(B, Lt, D)
    video = torch.randn(B, Lv, D)
    tmask = torch.ones(B, Lt, dtype=torch.long)
    tmask[0, 6:] = 0
    tmask[2, 9:] = 0
    vmask = torch.ones(B, Lv, dtype=torch.long)
    vmask[1, 5:] = 0
    print(model(text, video, tmask, vmask))
