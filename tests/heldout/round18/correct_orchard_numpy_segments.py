"""Frost-fan activation classifier for an apple orchard.

Every fan run (start -> stop) produces a short sequence of readings from the
fan's tower (temperature at 1 m and 10 m, wind speed). Runs from many fans are
packed back to back into fixed-length rows; ``seg_ids`` says which run each
reading belongs to (-1 = filler), and attention stays inside a run.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROW_LEN = 48


def pack_runs(runs, row_len=ROW_LEN):
    rows, segs, cur, cur_seg = [], [], [], []
    for seg_id, r in enumerate(runs):
        if len(cur) + len(r) > row_len:
            rows.append(cur); segs.append(cur_seg); cur, cur_seg = [], []
        cur.extend(r); cur_seg.extend([seg_id] * len(r))
    rows.append(cur); segs.append(cur_seg)
    readings = np.zeros((len(rows), row_len, 3), dtype=np.float32)
    seg_ids = np.full((len(rows), row_len), -1, dtype=np.int64)
    for i, (row, seg) in enumerate(zip(rows, segs)):
        readings[i, : len(row)] = np.asarray(row, dtype=np.float32)
        seg_ids[i, : len(seg)] = seg
    return readings, seg_ids


def same_run(seg_ids: np.ndarray) -> np.ndarray:
    """(R, L, L) True where query and key belong to the same fan run (filler attends to filler)."""
    return seg_ids[:, :, None] == seg_ids[:, None, :]


class PackedLayer(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x, allowed):
        R, L, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(R, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed[:, None])
        x = x + self.out(y.transpose(1, 2).reshape(R, L, D))
        return x + self.ff(self.ln2(x))


class FanRunClassifier(nn.Module):
    OUTCOMES = ("inversion_ok", "weak_inversion", "advective_frost", "sensor_fault")

    def __init__(self, d=32, depth=2):
        super().__init__()
        self.inp = nn.Linear(3, d)
        self.layers = nn.ModuleList(PackedLayer(d) for _ in range(depth))
        self.cls = nn.Linear(d, len(self.OUTCOMES))

    def forward(self, readings, seg_ids):
        allowed = torch.from_numpy(same_run(seg_ids))
        x = self.inp(torch.from_numpy(readings))
        for layer in self.layers:
            x = layer(x, allowed)
        seg = torch.from_numpy(seg_ids)
        onehot = F.one_hot(seg.clamp(min=0), int(seg.max()) + 1).float() * (seg >= 0).unsqueeze(-1)
        pooled = torch.einsum("rls,rld->sd", onehot, x) / onehot.sum((0, 1)).unsqueeze(-1)
        return self.cls(pooled)


if __name__ == "__main__":
    rng = np.random.default_rng(1)
    runs = [rng.normal(size=(int(rng.integers(6, 20)), 3)).tolist() for _ in range(8)]
    readings, seg_ids = pack_runs(runs)
    print(FanRunClassifier()(readings, seg_ids).argmax(-1))
