"""Irregular clinical time series classifier: the collate function builds an additive
0/-inf key bias with torch.where; it travels through the DataLoader into SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader


def collate(samples):
    T = max(s.size(0) for s in samples)
    x = torch.zeros(len(samples), T, samples[0].size(1))
    valid = torch.zeros(len(samples), T, dtype=torch.bool)
    for i, s in enumerate(samples):
        x[i, :s.size(0)] = s
        valid[i, :s.size(0)] = True
    bias = torch.where(valid, 0.0, float("-inf"))[:, None, None, :]
    return {"x": x, "bias": bias, "valid": valid}


class ObsAttention(nn.Module):
    def __init__(self, n_feat=3, d=16, heads=2):
        super().__init__()
        self.h = heads
        self.inp = nn.Linear(n_feat, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.cls = nn.Linear(d, 2)

    def forward(self, x, bias, valid):
        h = self.inp(x)
        B, T, D = h.shape
        q, k, v = self.qkv(h).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias).transpose(1, 2).reshape(B, T, D)
        w = valid[..., None].float()
        return self.cls((y * w).sum(1) / w.sum(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    series = [torch.randn(5, 3), torch.randn(9, 3)]
    model = ObsAttention()
    batch = next(iter(DataLoader(series, batch_size=2, collate_fn=collate)))
    logits = model(**batch)
    solo = model(**collate([series[0]]))
    assert not torch.isnan(logits).any()
    assert torch.allclose(logits[0], solo[0], atol=1e-5), "padding changed the prediction"
    print("OK: prediction for the short series is padding-invariant")
