"""Sequential recommender with SDPA; next-item prediction from the running user state."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def history_mask(T, device):
    pos = torch.arange(T, device=device)
    q_pos, k_pos = pos.view(T, 1), pos.view(1, T)
    return k_pos < q_pos  # key strictly before the query


class NextItemAttention(nn.Module):
    def __init__(self, d=64, heads=2):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=history_mask(T, x.device),  # expect: ML404
        )
        return self.out(y.transpose(1, 2).reshape(B, T, D))


class GRU4RecReplacement(nn.Module):
    def __init__(self, n_items=2000, d=64, depth=2, max_len=30):
        super().__init__()
        self.items = nn.Embedding(n_items, d, padding_idx=0)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList(NextItemAttention(d) for _ in range(depth))
        self.norm = nn.LayerNorm(d)

    def forward(self, seq):
        x = self.items(seq) + self.pos.weight[: seq.size(1)]
        for layer in self.layers:
            x = x + layer(self.norm(x))
        return x @ self.items.weight.t()


if __name__ == "__main__":
    m = GRU4RecReplacement()
    seq = torch.randint(1, 2000, (4, 30))
    print(F.cross_entropy(m(seq[:, :-1]).flatten(0, 1), seq[:, 1:].flatten()).item())
