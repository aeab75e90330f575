"""Gato-style generalist agent: observations (discretised), separator and
action tokens of every time step are flattened into one token stream and a
decoder-only transformer is trained to predict action tokens.  Sequences are
fixed-length windows (no padding), so SDPA's is_causal=True with q_len == k_len
is exactly the causal mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F

OBS_BINS, N_ACTIONS, SEP = 64, 8, 64 + 8


class CausalBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        B, L, D = x.shape
        q, k, v = self.qkv(self.n1(x)).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(y.transpose(1, 2).reshape(B, L, D))
        return x + self.mlp(self.n2(x))


class GatoLite(nn.Module):
    def __init__(self, obs_dim=4, d=64, h=4, n=2, ctx=128):
        super().__init__()
        self.obs_dim = obs_dim
        self.tok = nn.Embedding(SEP + 1, d)
        self.pos = nn.Embedding(ctx, d)
        self.blocks = nn.ModuleList(CausalBlock(d, h) for _ in range(n))
        self.head = nn.Linear(d, SEP + 1)

    def tokenize(self, obs, actions):
        ob = ((obs.clamp(-1, 1) + 1) / 2 * (OBS_BINS - 1)).round().long()  # (B, T, obs_dim)
        sep = torch.full(ob.shape[:2] + (1,), SEP)
        act = (actions + OBS_BINS).unsqueeze(-1)
        return torch.cat([ob, sep, act], -1).flatten(1)  # (B, T * (obs_dim + 2))

    def forward(self, tokens):
        x = self.tok(tokens) + self.pos(torch.arange(tokens.size(1)))
        for blk in self.blocks:
            x = blk(x)
        return self.head(x)

    def action_loss(self, obs, actions):
        tokens = self.tokenize(obs, actions)
        logits = self(tokens[:, :-1])
        step = self.obs_dim + 2
        is_action = (torch.arange(1, tokens.size(1)) % step) == step - 1
        return F.cross_entropy(logits[:, is_action].flatten(0, 1), tokens[:, 1:][:, is_action].flatten())


if __name__ == "__main__":
    torch.manual_seed(0)
    agent = GatoLite().eval()
    obs, act = torch.rand(2, 5, 4) * 2 - 1, torch.randint(0, N_ACTIONS, (2, 5))
    with torch.no_grad():
        loss = agent.action_loss(obs, act)
        toks = agent.tokenize(obs, act)
        a = agent(toks)
        act2 = act.clone()
        act2[:, 3:] = (act[:, 3:] + 1) % N_ACTIONS
        b = agent(agent.tokenize(obs, act2))
    first_changed = 3 * 6 + 5  # position of the first edited action token
    assert torch.allclose(a[:, :first_changed], b[:, :first_changed], atol=1e-5)
    assert torch.isfinite(loss)
    print("OK: is_causal=True on full square self-attention is causal")
