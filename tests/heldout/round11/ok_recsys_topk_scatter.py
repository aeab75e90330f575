"""Long user-history recommender: each target item attends only to its k most similar past items."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SparseHistoryAttention(nn.Module):
    def __init__(self, dim=64, heads=2, k=16):
        super().__init__()
        self.heads, self.k = heads, k
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)

    def select(self, targets, history, hist_valid):
        sim = torch.einsum("bld,bsd->bls", targets, history)
        sim = sim.masked_fill(~hist_valid[:, None, :], float("-inf"))
        top = sim.topk(min(self.k, history.size(1)), dim=-1).indices
        chosen = torch.zeros_like(sim, dtype=torch.bool).scatter_(-1, top, True)
        return chosen & hist_valid[:, None, :]

    def forward(self, targets, history, hist_valid):
        B, L, D = targets.shape
        S = history.size(1)
        keep = self.select(targets, history, hist_valid)
        q = self.q(targets).view(B, L, self.heads, -1).transpose(1, 2)
        k, v = self.kv(history).view(B, S, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep.unsqueeze(1))
        return out.transpose(1, 2).reshape(B, L, D)


class CTRModel(nn.Module):
    def __init__(self, n_items=10000, dim=64):
        super().__init__()
        self.items = nn.Embedding(n_items, dim, padding_idx=0)
        self.attn = SparseHistoryAttention(dim)
        self.mlp = nn.Sequential(nn.Linear(2 * dim, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, candidates, history):
        t, h = self.items(candidates), self.items(history)
        interest = self.attn(t, h, history != 0)
        return self.mlp(torch.cat([t, interest], -1)).squeeze(-1)


if __name__ == "__main__":
    history = torch.randint(1, 10000, (3, 200))
    history[1, 120:] = 0
    history[2, 40:] = 0
    cands = torch.randint(1, 10000, (3, 5))
    print(torch.sigmoid(CTRModel()(cands, history)).shape)
