# EXPECT: ok a per-sample 3-D additive mask (-1e6 on padding) is expanded to (N*H, L, S) with repeat_interleave(n_head, dim=0), which matches nn.MultiheadAttention's b*num_heads + h layout, and the finite -1e6 value is safe in float32.
"""Cross-modal video-text fusion transformer in the style of ArrowLuo/CLIP4Clip (module_cross.py) after the repeat_interleave fix."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head, dropout):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head, dropout=dropout)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        self.ln_2 = nn.LayerNorm(d_model)
        self.n_head = n_head

    def attention(self, x, attn_mask):
        attn_mask_ = attn_mask.repeat_interleave(self.n_head, dim=0)
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]

    def forward(self, x, attn_mask):
        x = x + self.attention(self.ln_1(x), attn_mask)
        return x + self.mlp(self.ln_2(x))


class CrossModel(nn.Module):
    def __init__(self, hidden=32, heads=4, layers=2, dropout=0.1):
        super().__init__()
        self.type_emb = nn.Embedding(2, hidden)
        self.pos_emb = nn.Embedding(24, hidden)
        self.ln = nn.LayerNorm(hidden)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([ResidualAttentionBlock(hidden, heads, dropout) for _ in range(layers)])
        self.head = nn.Linear(hidden, 1)

    def forward(self, text, video, text_mask, video_mask):
        x = torch.cat([text, video], 1)
        m = torch.cat([text_mask, video_mask], 1)
        types = torch.cat([torch.zeros_like(text_mask), torch.ones_like(video_mask)], 1)
        x = self.drop(self.ln(x + self.type_emb(types) + self.pos_emb(torch.arange(x.size(1)))[None]))
        ext = (1.0 - m.unsqueeze(1).float()) * -1000000.0
        ext = ext.expand(-1, m.size(1), -1)
        x = x.permute(1, 0, 2)
        for blk in self.blocks:
            x = blk(x, ext)
        return self.head(x[0]).squeeze(-1)


def make(n, tl, vl):
    t, v = torch.randn(n, 7, 32), torch.randn(n, 5, 32)
    tm, vm = torch.zeros(n, 7, dtype=torch.long), torch.zeros(n, 5, dtype=torch.long)
    for i in range(n):
        tm[i, : tl[i]] = 1
        vm[i, : vl[i]] = 1
    return t, v, tm, vm


def run():
    torch.manual_seed(0)
    model = CrossModel()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    t, v, tm, vm = make(3, [7, 2, 5], [5, 3, 1])
    model.train()
    loss = F.binary_cross_entropy_with_logits(model(t, v, tm, vm), torch.tensor([1.0, 0.0, 1.0]))
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        t, v, tm, vm = make(2, [3, 6], [4, 2])
        s = model(t, v, tm, vm)
    return [loss.detach(), *grads, s]
