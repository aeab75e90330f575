"""Decision Transformer (return-to-go, state, action interleaved) with a torch.compile'd trunk."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalTrunk(nn.Module):
    def __init__(self, dim=128, heads=4, depth=3, max_tokens=90):
        super().__init__()
        self.heads = heads
        self.layers = nn.ModuleList(nn.Linear(dim, 3 * dim) for _ in range(depth))
        self.outs = nn.ModuleList(nn.Linear(dim, dim) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        idx = torch.arange(max_tokens)
        keep = torch.where(idx[None, :] <= idx[:, None], 1.0, 0.0)
        self.register_buffer("keep", keep, persistent=False)

    def forward(self, x):
        B, T, C = x.shape
        mask = self.keep[:T, :T]
        for qkv, out, norm in zip(self.layers, self.outs, self.norms):
            q, k, v = qkv(norm(x)).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML202
            x = x + out(y.transpose(1, 2).reshape(B, T, C))
        return x


class DecisionTransformer(nn.Module):
    def __init__(self, state_dim=11, act_dim=3, dim=128, max_ep_len=1000):
        super().__init__()
        self.embed_rtg = nn.Linear(1, dim)
        self.embed_state = nn.Linear(state_dim, dim)
        self.embed_action = nn.Linear(act_dim, dim)
        self.embed_time = nn.Embedding(max_ep_len, dim)
        self.trunk = torch.compile(CausalTrunk(dim), backend="eager")
        self.predict_action = nn.Sequential(nn.Linear(dim, act_dim), nn.Tanh())

    def forward(self, rtg, states, actions, timesteps):
        B, K, _ = states.shape
        t = self.embed_time(timesteps)
        tokens = torch.stack(
            [self.embed_rtg(rtg) + t, self.embed_state(states) + t, self.embed_action(actions) + t], dim=2
        ).reshape(B, 3 * K, -1)
        h = self.trunk(tokens).reshape(B, K, 3, -1)
        return self.predict_action(h[:, :, 1])


if __name__ == "__main__":
    dt = DecisionTransformer()
    K = 10
    a = dt(torch.randn(2, K, 1), torch.randn(2, K, 11), torch.randn(2, K, 3), torch.arange(K).expand(2, K))
    print(F.mse_loss(a, torch.zeros_like(a)).item())
