# EXPECT: bug the per-sample 3-D additive mask is expanded to (N*H, L, S) with attn_mask.repeat(n_head, 1, 1), so nn.MultiheadAttention (which indexes b*num_heads + h) applies other samples' padding masks to most heads.
"""Cross-modal text/video fusion encoder in the style of ArrowLuo/CLIP4Clip (modules/module_cross.py, time-major ResidualAttentionBlock)."""
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head, dropout):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head, dropout=dropout)
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
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]  # BUG-SITE

    def forward(self, para_tuple):
        x, attn_mask = para_tuple
        x = x + self.attention(self.ln_1(x), attn_mask)
        x = x + self.mlp(self.ln_2(x))
        return (x, attn_mask)


class CrossModel(nn.Module):
    def __init__(self, hidden=32, heads=4, layers=2, max_pos=24, dropout=0.1):
        super().__init__()
        self.position_embeddings = nn.Embedding(max_pos, hidden)
        self.token_type_embeddings = nn.Embedding(2, hidden)
        self.LayerNorm = nn.LayerNorm(hidden)
        self.dropout = nn.Dropout(dropout)
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(hidden, heads, dropout) for _ in range(layers)])
        self.pooler = nn.Linear(hidden, hidden)
        self.sim_head = nn.Linear(hidden, 1)

    def build_attention_mask(self, attention_mask):
        extended_attention_mask = attention_mask.unsqueeze(1).to(self.LayerNorm.weight.dtype)
        extended_attention_mask = (1.0 - extended_attention_mask) * -1000000.0
        extended_attention_mask = extended_attention_mask.expand(-1, attention_mask.size(1), -1)
        return extended_attention_mask

    def forward(self, text_feat, video_feat, text_mask, video_mask):
        concat = torch.cat([text_feat, video_feat], dim=1)
        concat_mask = torch.cat([text_mask, video_mask], dim=1)
        types = torch.cat([torch.zeros_like(text_mask), torch.ones_like(video_mask)], dim=1)
        pos = torch.arange(concat.size(1)).unsqueeze(0)
        x = concat + self.position_embeddings(pos) + self.token_type_embeddings(types)
        x = self.dropout(self.LayerNorm(x))
        ext = self.build_attention_mask(concat_mask)
        x = x.permute(1, 0, 2)
        x = self.resblocks((x, ext))[0]
        x = x.permute(1, 0, 2)
        pooled = torch.tanh(self.pooler(x[:, 0]))
        return self.sim_head(pooled).squeeze(-1)


def make_inputs(n, text_lens, video_lens, lt=8, lv=6, d=32):
    text = torch.randn(n, lt, d)
    video = torch.randn(n, lv, d)
    tm = torch.zeros(n, lt, dtype=torch.long)
    vm = torch.zeros(n, lv, dtype=torch.long)
    for i in range(n):
        tm[i, :text_lens[i]] = 1
        vm[i, :video_lens[i]] = 1
    return text, video, tm, vm


def run():
    torch.manual_seed(0)
    model = CrossModel()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    text, video, tm, vm = make_inputs(3, [8, 3, 5], [6, 2, 4])
    target = torch.tensor([1.0, 0.0, 1.0])
    model.train()
    loss = F.binary_cross_entropy_with_logits(model(text, video, tm, vm), target)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        text, video, tm, vm = make_inputs(3, [4, 8, 2], [3, 6, 5])
        scores = model(text, video, tm, vm)
    return [loss.detach(), *grads, scores]
