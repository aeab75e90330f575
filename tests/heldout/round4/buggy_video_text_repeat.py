# CLIP4Clip-style cross-modal module: text tokens + video frames in one transformer.
import torch
import torch.nn as nn


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model: int, n_head: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, d_model * 4), nn.GELU(), nn.Linear(d_model * 4, d_model))
        self.ln_2 = nn.LayerNorm(d_model)
        self.n_head = n_head

    def attention(self, x: torch.Tensor, attn_mask: torch.Tensor):
        attn_mask_ = attn_mask.repeat(self.n_head, 1, 1)
        return self.attn(
            x, x, x,
            need_weights=False,
            attn_mask=attn_mask_,  # expect: ML302
        )[0]

    def forward(self, para_tuple):
        x, attn_mask = para_tuple                       # x: (L, N, D)
        x = x + self.attention(self.ln_1(x), attn_mask)
        x = x + self.mlp(self.ln_2(x))
        return (x, attn_mask)


class CrossModel(nn.Module):
    def __init__(self, width=512, layers=4, heads=8, max_pos=128):
        super().__init__()
        self.type_emb = nn.Embedding(2, width)
        self.pos_emb = nn.Embedding(max_pos, width)
        self.blocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])
        self.pooler = nn.Linear(width, width)
        self.sim_head = nn.Linear(width, 1)

    def build_attention_mask(self, attention_mask):
        # attention_mask: (N, L) 1 for valid text tokens / frames, 0 for padding
        extended = (1.0 - attention_mask.unsqueeze(1).float()) * -1000000.0       # (N, 1, L)
        return extended.expand(-1, attention_mask.size(1), -1)                     # (N, L, L)

    def forward(self, text_feats, video_feats, text_mask, video_mask):
        x = torch.cat([text_feats, video_feats], dim=1)                            # (N, L, D)
        types = torch.cat([torch.zeros_like(text_mask), torch.ones_like(video_mask)], dim=1)
        mask = torch.cat([text_mask, video_mask], dim=1)
        pos = torch.arange(x.size(1), device=x.device)
        x = x + self.type_emb(types.long()) + self.pos_emb(pos)
        ext = self.build_attention_mask(mask)
        x = x.permute(1, 0, 2)
        x, _ = self.blocks((x, ext))
        x = x.permute(1, 0, 2)
        pooled = torch.tanh(self.pooler(x[:, 0]))
        return self.sim_head(pooled).squeeze(-1)
