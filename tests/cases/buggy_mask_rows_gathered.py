"""A per-sample padding mask whose rows are picked by an index tensor (a lane per shot, a batch
sorted by length, beams reordered) keeps what each row says: True at padding, which SDPA reads as
"attend"."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class LaneContext(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(40, d, padding_idx=PAD)
        self.kv = nn.Linear(d, 2 * d)
        self.q = nn.Linear(6, d)
        self._kv = None
        self._pad = None

    def set_context(self, boards):
        ctx = self.emb(boards)
        L, R, D = ctx.shape
        k, v = self.kv(ctx).chunk(2, dim=-1)
        self._kv = tuple(t.view(L, R, self.heads, D // self.heads).transpose(1, 2) for t in (k, v))
        self._pad = (boards == PAD)[:, None, None, :]

    def forward(self, shots, lane_idx):
        q = self.q(shots)
        B, D = q.shape
        q = q.view(B, self.heads, 1, D // self.heads)
        k, v = (t[lane_idx] for t in self._kv)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=self._pad[lane_idx])  # expect: ML102


def lane_demo():
    model = LaneContext()
    boards = torch.randint(1, 40, (2, 39))
    boards[1, 30:] = PAD
    model.set_context(boards)
    return model(torch.randn(5, 6), torch.tensor([0, 1, 1, 0, 1]))


def sorted_batch(q, k, v, ids, lengths):
    pad = ids.eq(PAD)[:, None, None, :]
    order = lengths.argsort(descending=True)
    return F.scaled_dot_product_attention(q[order], k[order], v[order], attn_mask=pad[order])  # expect: ML102


def run_sorted():
    ids = torch.tensor([[4, 5, 0, 0], [7, 8, 9, 3]])
    q = k = v = torch.randn(2, 2, 4, 8)
    return sorted_batch(q, k, v, ids, torch.tensor([2, 4]))
