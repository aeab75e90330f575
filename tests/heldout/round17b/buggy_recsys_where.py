"""Next-item recommender over variable-length shopping sessions."""
import torch
import torch.nn.functional as F
from torch import nn


class SessionAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.in_proj = nn.Linear(dim, 3 * dim)
        self.out_proj = nn.Linear(dim, dim)

    def forward(self, x, bias):
        b, n, d = x.shape
        q, k, v = self.in_proj(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML103
        return self.out_proj(y.transpose(1, 2).reshape(b, n, d))


class SessionRecommender(nn.Module):
    def __init__(self, n_items=1000, dim=48, heads=4, max_len=50):
        super().__init__()
        self.items = nn.Embedding(n_items, dim)
        self.pos = nn.Embedding(max_len, dim)
        self.attn = SessionAttention(dim, heads)
        self.norm = nn.LayerNorm(dim)

    def session_bias(self, lengths, n):
        valid = torch.arange(n, device=lengths.device)[None, :] < lengths[:, None]
        causal = torch.ones(n, n, dtype=torch.bool, device=lengths.device).tril()
        keep = causal[None] & valid[:, None, :]
        return torch.where(keep, float("-inf"), 0.0)[:, None]

    def forward(self, item_ids, lengths):
        n = item_ids.size(1)
        x = self.items(item_ids) + self.pos(torch.arange(n, device=item_ids.device))
        x = self.norm(x + self.attn(x, self.session_bias(lengths, n)))
        return x @ self.items.weight.T


def sample_batch(sessions, pad=0):
    n = max(len(s) for s in sessions)
    ids = torch.full((len(sessions), n), pad)
    for i, s in enumerate(sessions):
        ids[i, :len(s)] = torch.tensor(s)
    return ids, torch.tensor([len(s) for s in sessions])


if __name__ == "__main__":
    torch.manual_seed(0)
    ids, lengths = sample_batch([[5, 17, 230, 4], [99, 3], [12, 12, 40, 41, 42]])
    model = SessionRecommender()
    scores = model(ids, lengths)
    print(scores[torch.arange(3), lengths - 1].topk(5).indices)
