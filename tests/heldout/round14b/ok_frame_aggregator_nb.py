# %% [markdown]
# Multi-camera detection fusion: each sample has a variable number of detections from up to 3 cameras.
# Detections attend to detections from *other* cameras (and themselves) to de-duplicate objects.

# %%
import torch
from torch import nn

torch.manual_seed(7)
N_HEADS = 4
D = 32


def make_scene(n_det):
    return torch.randn(n_det, D), torch.randint(0, 3, (n_det,))


scenes = [make_scene(n) for n in (9, 4, 6)]
max_det = max(f.size(0) for f, _ in scenes)
feats = torch.zeros(len(scenes), max_det, D)
cams = torch.full((len(scenes), max_det), -1)
for i, (f, c) in enumerate(scenes):
    feats[i, : f.size(0)] = f
    cams[i, : c.size(0)] = c


# %%
class CrossViewFusion(nn.Module):
    def __init__(self, dim, heads, layers=2):
        super().__init__()
        self.heads = heads
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads) for _ in range(layers))   # (L, B, E) layout
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.dup_head = nn.Linear(dim, 1)

    def build_mask(self, cams):
        pad = cams < 0
        same_cam = cams[:, :, None] == cams[:, None, :]
        eye = torch.eye(cams.size(1), dtype=torch.bool)
        blocked = (same_cam & ~eye) | pad[:, None, :]
        blocked = blocked & ~eye                          # a detection can always see itself
        return blocked.repeat_interleave(self.heads, dim=0)

    def forward(self, feats, cams):
        mask = self.build_mask(cams)
        x = feats.transpose(0, 1)                         # (L, B, E)
        for attn, norm in zip(self.attn, self.norm):
            h = norm(x)
            x = x + attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return self.dup_head(x.transpose(0, 1)).squeeze(-1)


# %%
fusion = CrossViewFusion(D, N_HEADS)
dup_logits = fusion(feats, cams)
print("duplicate probability, scene 1:", dup_logits[1, :4].sigmoid().detach().numpy().round(2))

# %%
# sanity check: a scene scored in a batch matches the scene scored alone
alone = fusion(feats[1:2, :4], cams[1:2, :4])
print("batched vs alone max diff:", (alone[0] - dup_logits[1, :4]).abs().max().item())
