# %% [markdown]
# Video-text retrieval: temporal transformer over per-frame CLIP features ("seqTransf" head).

# %%
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

    def attention(self, x, attn_mask):
        attn_mask_ = attn_mask.repeat(self.n_head, 1, 1)
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]  # expect: ML302

    def forward(self, para_tuple):
        x, attn_mask = para_tuple
        x = x + self.attention(self.ln_1(x), attn_mask)
        x = x + self.mlp(self.ln_2(x))
        return (x, attn_mask)


class TemporalTransformer(nn.Module):
    def __init__(self, width: int, layers: int, heads: int, max_frames: int = 12):
        super().__init__()
        self.frame_position_embeddings = nn.Embedding(max_frames, width)
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    @staticmethod
    def get_extended_attention_mask(video_mask, dtype=torch.float32):
        extended = (1.0 - video_mask.unsqueeze(1).to(dtype)) * -10000.0
        return extended.expand(-1, video_mask.size(1), -1)   # (B, F, F)

    def forward(self, visual_output, video_mask):
        B, F, _ = visual_output.shape
        pos = self.frame_position_embeddings(torch.arange(F, device=visual_output.device))
        x = (visual_output + pos).permute(1, 0, 2)           # (F, B, D)
        x, _ = self.resblocks((x, self.get_extended_attention_mask(video_mask)))
        x = x.permute(1, 0, 2) + visual_output
        m = video_mask.unsqueeze(-1).float()
        return (x * m).sum(1) / m.sum(1)


# %%
torch.manual_seed(0)
frames = torch.randn(3, 12, 64)                      # 3 clips, 12 sampled frames, CLIP dim 64
video_mask = torch.zeros(3, 12, dtype=torch.long)
for i, n_frames in enumerate([12, 7, 4]):
    video_mask[i, :n_frames] = 1
text_emb = nn.functional.normalize(torch.randn(3, 64), dim=-1)

# %%
temporal = TemporalTransformer(width=64, layers=2, heads=4)
video_emb = nn.functional.normalize(temporal(frames, video_mask), dim=-1)
sim = text_emb @ video_emb.t()
print("text->video similarity\n", sim.detach().numpy().round(3))

# %%
# retrieval accuracy on this toy batch
rank1 = (sim.argmax(dim=1) == torch.arange(3)).float().mean()
print("R@1", rank1.item())
