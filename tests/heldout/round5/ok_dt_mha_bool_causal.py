"""Decision Transformer trunk with nn.MultiheadAttention and a bool block mask (~tril)."""
import torch
import torch.nn as nn


class DTBlock(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, block):
        a = self.ln1(x)
        x = x + self.attn(a, a, a, attn_mask=block, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class DecisionTransformer(nn.Module):
    def __init__(self, state_dim=4, act_dim=2, d=64, max_len=60):
        super().__init__()
        self.embed = nn.ModuleDict({"rtg": nn.Linear(1, d), "s": nn.Linear(state_dim, d), "a": nn.Linear(act_dim, d)})
        self.blocks = nn.ModuleList(DTBlock(d) for _ in range(2))
        self.act = nn.Linear(d, act_dim)
        keep = torch.tril(torch.ones(max_len, max_len, dtype=torch.bool))
        self.register_buffer("block", ~keep, persistent=False)

    def forward(self, rtg, states, actions):
        B, K, _ = states.shape
        tok = torch.stack([self.embed["rtg"](rtg), self.embed["s"](states), self.embed["a"](actions)], 2).reshape(B, 3 * K, -1)
        T = tok.size(1)
        for blk in self.blocks:
            tok = blk(tok, self.block[:T, :T])
        return self.act(tok.reshape(B, K, 3, -1)[:, :, 1])


if __name__ == "__main__":
    torch.manual_seed(0)
    m = DecisionTransformer().eval()
    r, s, a = torch.randn(1, 5, 1), torch.randn(1, 5, 4), torch.randn(1, 5, 2)
    with torch.no_grad():
        p = m(r, s, a)
        a2 = a.clone(); a2[:, 2] = torch.randn(2)
        print("action 2 not seen by state 2:", torch.allclose(p[:, :3], m(r, s, a2)[:, :3], atol=1e-5))
