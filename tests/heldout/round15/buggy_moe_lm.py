"""Small decoder-only mixture-of-experts LM (top-2 routing, load-balancing aux loss)."""
import torch
from torch import nn
from torch.nn import functional as F


class Top2MoE(nn.Module):
    def __init__(self, dim, n_experts=4, hidden=96):
        super().__init__()
        self.router = nn.Linear(dim, n_experts, bias=False)
        self.w_in = nn.Parameter(torch.randn(n_experts, dim, hidden) * dim ** -0.5)
        self.w_out = nn.Parameter(torch.randn(n_experts, hidden, dim) * hidden ** -0.5)

    def forward(self, x):
        logits = self.router(x)
        probs = logits.softmax(-1)
        top_p, top_i = probs.topk(2, -1)
        top_p = top_p / top_p.sum(-1, keepdim=True)
        h = torch.einsum("btd,edh->bteh", x, self.w_in).relu()
        y = torch.einsum("bteh,ehd->bted", h, self.w_out)
        y = (y.gather(2, top_i[..., None].expand(-1, -1, -1, y.size(-1))) * top_p[..., None]).sum(2)
        density = F.one_hot(top_i[..., 0], probs.size(-1)).float().mean((0, 1))
        self.aux_loss = (density * probs.mean((0, 1))).sum() * probs.size(-1)
        return y


class MoEBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.moe = Top2MoE(dim)

    @staticmethod
    def causal_mask(n, device):
        return torch.ones(n, n, dtype=torch.bool, device=device).triu(1)

    def forward(self, x):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, self.causal_mask(x.size(1), x.device), need_weights=False)  # expect: ML501
        x = x + a
        return x + self.moe(self.ln2(x))


class MoELM(nn.Module):
    def __init__(self, vocab=200, dim=48, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(128, dim)
        self.blocks = nn.ModuleList(MoEBlock(dim, heads) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids):
        x = self.emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        for b in self.blocks:
            x = b(x)
        return self.head(x)

    def loss(self, ids):
        logits = self(ids[:, :-1])
        aux = sum(b.moe.aux_loss for b in self.blocks)
        return F.cross_entropy(logits.transpose(1, 2), ids[:, 1:]) + 0.01 * aux


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = MoELM()
    ids = torch.randint(0, 200, (3, 17))
    try:
        print("loss", lm.loss(ids).item())
    except (AssertionError, RuntimeError) as err:
        print("forward failed:", type(err).__name__, err)
