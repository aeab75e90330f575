# EXPECT: clean
"""CLIP4Clip-style temporal transformer ("seqTransf" similarity head): frame
features of variable-length videos go through CLIP ResidualAttentionBlocks
(seq-first nn.MultiheadAttention) with an additive video mask. The per-sample
(N, L, S) mask is expanded to (N*H, L, S) with repeat_interleave, matching
MHA's b*H + h layout.
"""
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head, dropout=0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head, dropout=dropout)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)),
            ("gelu", QuickGELU()),
            ("drop", nn.Dropout(dropout)),
            ("c_proj", nn.Linear(d_model * 4, d_model)),
        ]))
        self.ln_2 = nn.LayerNorm(d_model)
        self.n_head = n_head

    def attention(self, x, attn_mask):
        attn_mask_ = attn_mask.repeat_interleave(self.n_head, dim=0)
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]

    def forward(self, para_tuple):
        x, attn_mask = para_tuple
        x = x + self.attention(self.ln_1(x), attn_mask)
        x = x + self.mlp(self.ln_2(x))
        return (x, attn_mask)


class TemporalTransformer(nn.Module):
    def __init__(self, width, layers, heads):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, x, attn_mask):
        return self.resblocks((x, attn_mask))[0]


class SeqTransfHead(nn.Module):
    def __init__(self, width=32, layers=2, heads=4, max_frames=12, text_dim=24):
        super().__init__()
        self.frame_position_embeddings = nn.Embedding(max_frames, width)
        self.transformerClip = TemporalTransformer(width, layers, heads)
        self.text_proj = nn.Linear(text_dim, width)
        self.logit_scale = nn.Parameter(torch.tensor(2.0))

    def get_video_feat(self, visual_output, video_mask):
        B, L, _ = visual_output.shape
        pos = self.frame_position_embeddings(torch.arange(L).unsqueeze(0).expand(B, -1))
        x = visual_output + pos
        extended_video_mask = (1.0 - video_mask.unsqueeze(1)) * -1000000.0
        extended_video_mask = extended_video_mask.expand(-1, video_mask.size(1), -1)
        x = x.permute(1, 0, 2)  # NLD -> LND
        x = self.transformerClip(x, extended_video_mask)
        x = x.permute(1, 0, 2)
        x = x + visual_output
        m = video_mask.unsqueeze(-1)
        x = (x * m).sum(1) / m.sum(1)
        return F.normalize(x, dim=-1)

    def forward(self, text_feat, visual_output, video_mask):
        t = F.normalize(self.text_proj(text_feat), dim=-1)
        v = self.get_video_feat(visual_output, video_mask)
        return self.logit_scale.exp() * t @ v.t()


def run():
    torch.manual_seed(0)
    model = SeqTransfHead()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    B, L = 4, 8
    frames = torch.tensor([6, 8, 2, 5])
    video_mask = (torch.arange(L)[None] < frames[:, None]).float()
    visual_output = torch.randn(B, L, 32) * video_mask[..., None]
    text_feat = torch.randn(B, 24)

    model.train()
    sim = model(text_feat, visual_output, video_mask)
    labels = torch.arange(B)
    loss = (F.cross_entropy(sim, labels) + F.cross_entropy(sim.t(), labels)) / 2
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_sim = model(text_feat, visual_output, video_mask)
    return [loss.detach(), *grads, eval_sim]
