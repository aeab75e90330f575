# EXPECT: ok
"""Decision Transformer with nn.MultiheadAttention blocks; the buffer holds the lower
triangle and the call negates it into MHA's True = masked convention."""
import torch
import torch.nn as nn


class DTBlock(nn.Module):
    def __init__(self, h_dim, n_heads, max_T, p):
        super().__init__()
        self.attn = nn.MultiheadAttention(h_dim, n_heads, dropout=p, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(h_dim, 4 * h_dim), nn.GELU(), nn.Linear(4 * h_dim, h_dim), nn.Dropout(p))
        self.ln1, self.ln2 = nn.LayerNorm(h_dim), nn.LayerNorm(h_dim)
        self.register_buffer("visible", torch.tril(torch.ones(max_T, max_T)).bool())

    def forward(self, x):
        T = x.shape[1]
        a, _ = self.attn(x, x, x, attn_mask=~self.visible[:T, :T], need_weights=False)
        x = self.ln1(x + a)
        return self.ln2(x + self.mlp(x))


class DecisionTransformer(nn.Module):
    def __init__(self, state_dim=6, act_dim=3, n_blocks=2, h_dim=32, context_len=5, n_heads=2, p=0.1):
        super().__init__()
        self.h_dim = h_dim
        self.blocks = nn.Sequential(*[DTBlock(h_dim, n_heads, 3 * context_len, p) for _ in range(n_blocks)])
        self.embed_ln = nn.LayerNorm(h_dim)
        self.embed_timestep = nn.Embedding(100, h_dim)
        self.embed_rtg, self.embed_state, self.embed_action = nn.Linear(1, h_dim), nn.Linear(state_dim, h_dim), nn.Linear(act_dim, h_dim)
        self.predict_action = nn.Sequential(nn.Linear(h_dim, act_dim), nn.Tanh())

    def forward(self, timesteps, states, actions, rtg):
        B, T, _ = states.shape
        t = self.embed_timestep(timesteps)
        toks = torch.stack((self.embed_rtg(rtg) + t, self.embed_state(states) + t, self.embed_action(actions) + t), dim=2)
        h = self.blocks(self.embed_ln(toks.reshape(B, 3 * T, self.h_dim)))
        return self.predict_action(h.reshape(B, T, 3, self.h_dim)[:, :, 1])


def run():
    torch.manual_seed(0)
    B, K = 4, 5
    model = DecisionTransformer(context_len=K)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-4)
    timesteps = torch.arange(K)[None].repeat(B, 1) + torch.tensor([[0], [3], [10], [40]])
    states, actions, rtg = torch.randn(B, K, 6), torch.rand(B, K, 3) * 2 - 1, torch.rand(B, K, 1) * 10
    model.train()
    loss = nn.functional.mse_loss(model(timesteps, states, actions, rtg), actions)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(timesteps, states, actions, rtg)
    return [loss.detach(), ev]
