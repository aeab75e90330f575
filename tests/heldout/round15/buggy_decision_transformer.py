"""Decision-Transformer-style policy: (return-to-go, state, action) triples per timestep."""
import math

import torch
from torch import nn
from torch.nn import functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, dim, n_head, max_tokens, attn_pdrop=0.1):
        super().__init__()
        self.n_head = n_head
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.attn_pdrop = attn_pdrop
        self.register_buffer(
            "mask", torch.triu(torch.ones(max_tokens, max_tokens, dtype=torch.bool), diagonal=1), persistent=False
        )

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=self.mask[:T, :T],  # expect: ML102
            dropout_p=self.attn_pdrop if self.training else 0.0,
        )
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    def __init__(self, dim, n_head, max_tokens):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = CausalSelfAttention(dim, n_head, max_tokens)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class DecisionTransformer(nn.Module):
    def __init__(self, state_dim=11, act_dim=3, dim=64, n_head=4, n_layer=2, context=20, max_ep_len=1000):
        super().__init__()
        self.context = context
        self.embed_t = nn.Embedding(max_ep_len, dim)
        self.embed_rtg = nn.Linear(1, dim)
        self.embed_s = nn.Linear(state_dim, dim)
        self.embed_a = nn.Linear(act_dim, dim)
        self.ln = nn.LayerNorm(dim)
        self.blocks = nn.Sequential(*[Block(dim, n_head, 3 * context) for _ in range(n_layer)])
        self.predict_a = nn.Sequential(nn.Linear(dim, act_dim), nn.Tanh())

    def forward(self, rtg, states, actions, timesteps):
        B, K, _ = states.shape
        te = self.embed_t(timesteps)
        tokens = torch.stack(
            (self.embed_rtg(rtg) + te, self.embed_s(states) + te, self.embed_a(actions) + te), dim=2
        ).reshape(B, 3 * K, -1)
        h = self.blocks(self.ln(tokens)).reshape(B, K, 3, -1)
        return self.predict_a(h[:, :, 1])  # action predicted from the state token


if __name__ == "__main__":
    torch.manual_seed(0)
    B, K = 2, 10
    dt = DecisionTransformer(context=K)
    rtg, s, a = torch.randn(B, K, 1), torch.randn(B, K, 11), torch.rand(B, K, 3) * 2 - 1
    t = torch.arange(K).expand(B, K)
    pred = dt(rtg, s, a, t)
    print("bc loss", F.mse_loss(pred, a).item())
