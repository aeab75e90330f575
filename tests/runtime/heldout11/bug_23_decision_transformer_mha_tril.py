# EXPECT: bug
"""Decision Transformer for offline RL: (return-to-go, state, action) tokens interleaved,
a GPT over the 3K-token trajectory built from nn.MultiheadAttention blocks."""
import torch
import torch.nn as nn


class DTBlock(nn.Module):
    def __init__(self, h_dim, n_heads, max_T, p):
        super().__init__()
        self.attn = nn.MultiheadAttention(h_dim, n_heads, dropout=p, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(h_dim, 4 * h_dim), nn.GELU(), nn.Linear(4 * h_dim, h_dim), nn.Dropout(p))
        self.ln1, self.ln2 = nn.LayerNorm(h_dim), nn.LayerNorm(h_dim)
        ones = torch.ones((max_T, max_T))
        self.register_buffer("mask", torch.tril(ones).bool())    # token i may look at tokens <= i

    def forward(self, x):
        T = x.shape[1]
        a, _ = self.attn(x, x, x, attn_mask=self.mask[:T, :T], need_weights=False)  # BUG-SITE
        x = self.ln1(x + a)
        return self.ln2(x + self.mlp(x))


class DecisionTransformer(nn.Module):
    def __init__(self, state_dim=6, act_dim=3, n_blocks=2, h_dim=32, context_len=5, n_heads=2, drop_p=0.1,
                 max_timestep=100):
        super().__init__()
        self.h_dim, self.act_dim = h_dim, act_dim
        self.blocks = nn.Sequential(*[DTBlock(h_dim, n_heads, 3 * context_len, drop_p) for _ in range(n_blocks)])
        self.embed_ln = nn.LayerNorm(h_dim)
        self.embed_timestep = nn.Embedding(max_timestep, h_dim)
        self.embed_rtg = nn.Linear(1, h_dim)
        self.embed_state = nn.Linear(state_dim, h_dim)
        self.embed_action = nn.Linear(act_dim, h_dim)
        self.predict_action = nn.Sequential(nn.Linear(h_dim, act_dim), nn.Tanh())

    def forward(self, timesteps, states, actions, returns_to_go):
        B, T, _ = states.shape
        t = self.embed_timestep(timesteps)
        s = self.embed_state(states) + t
        a = self.embed_action(actions) + t
        r = self.embed_rtg(returns_to_go) + t
        h = torch.stack((r, s, a), dim=1).permute(0, 2, 1, 3).reshape(B, 3 * T, self.h_dim)
        h = self.blocks(self.embed_ln(h))
        h = h.reshape(B, T, 3, self.h_dim).permute(0, 2, 1, 3)
        return self.predict_action(h[:, 1])      # predict a_t from the state token s_t


def run():
    torch.manual_seed(0)
    B, K = 4, 5
    model = DecisionTransformer(context_len=K)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-4)
    timesteps = torch.arange(K)[None].repeat(B, 1) + torch.tensor([[0], [3], [10], [40]])
    states = torch.randn(B, K, 6)
    actions = torch.rand(B, K, 3) * 2 - 1
    rtg = torch.rand(B, K, 1) * 10
    model.train()
    pred = model(timesteps, states, actions, rtg)
    loss = nn.functional.mse_loss(pred, actions)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 0.25)
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(timesteps, states, actions, rtg)
    return [loss.detach(), ev]
