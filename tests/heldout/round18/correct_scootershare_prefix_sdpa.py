"""Battery-swap demand generator for an e-scooter fleet (prefix LM).

Prefix: last week's same-weekday demand profile of a zone (bidirectional).
Continuation: today's profile, generated hour by hour. Demand is bucketed.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_BUCKETS = 16
SEP = N_BUCKETS


def prefix_lm_mask(total_len, prefix_len, device=None):
    """(L, L) bool, True where query i may attend to key j."""
    idx = torch.arange(total_len, device=device)
    causal = idx[None, :] <= idx[:, None]
    in_prefix = idx[None, :] < prefix_len
    return causal | in_prefix


class PrefixAttention(nn.Module):
    def __init__(self, d, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.o = nn.Linear(d, d, bias=False)

    def forward(self, x, allowed):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        return self.o(y.transpose(1, 2).reshape(B, L, D))


class SwapDemandLM(nn.Module):
    def __init__(self, d=32, n_heads=4, depth=2):
        super().__init__()
        self.tok = nn.Embedding(N_BUCKETS + 1, d)
        self.pos = nn.Embedding(64, d)
        self.blocks = nn.ModuleList(
            nn.ModuleDict({"ln": nn.LayerNorm(d), "attn": PrefixAttention(d, n_heads),
                           "mlp": nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))})
            for _ in range(depth))
        self.out = nn.Linear(d, N_BUCKETS)

    def forward(self, tokens, prefix_len):
        L = tokens.size(1)
        x = self.tok(tokens) + self.pos(torch.arange(L, device=tokens.device))
        allowed = prefix_lm_mask(L, prefix_len, tokens.device)
        for blk in self.blocks:
            x = x + blk["attn"](blk["ln"](x), allowed)
            x = x + blk["mlp"](x)
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    last_week = torch.randint(0, N_BUCKETS, (3, 24))
    today = torch.randint(0, N_BUCKETS, (3, 24))
    tokens = torch.cat([last_week, torch.full((3, 1), SEP), today], dim=1)
    prefix_len = 25
    model = SwapDemandLM()
    logits = model(tokens[:, :-1], prefix_len)
    target = tokens[:, 1:].clone()
    target[:, : prefix_len - 1] = -100
    loss = F.cross_entropy(logits.reshape(-1, N_BUCKETS), target.reshape(-1), ignore_index=-100)
    loss.backward()
    print(float(loss))
