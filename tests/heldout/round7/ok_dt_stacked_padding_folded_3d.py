"""Decision Transformer over (return-to-go, state, action) triples with
left-padded windows. The sampler's int 0/1 mask (1 = real timestep) is
interleaved, compared with 0 to get a bool padding mask, and folded together
with causality into one per-sample (B*H, 3K, 3K) mask; padded slots keep their
diagonal so no row is empty on any path."""
import torch
import torch.nn as nn


class DecisionTransformer(nn.Module):
    def __init__(self, state_dim=4, act_dim=2, hidden=32, heads=4, layers=2, max_ep_len=100):
        super().__init__()
        self.hidden, self.heads = hidden, heads
        self.embed_timestep = nn.Embedding(max_ep_len, hidden)
        self.embed_return = nn.Linear(1, hidden)
        self.embed_state = nn.Linear(state_dim, hidden)
        self.embed_action = nn.Linear(act_dim, hidden)
        self.embed_ln = nn.LayerNorm(hidden)
        self.transformer = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(hidden, heads, 4 * hidden, dropout=0.0, batch_first=True, norm_first=True),
            layers, enable_nested_tensor=False)
        self.predict_action = nn.Sequential(nn.Linear(hidden, act_dim), nn.Tanh())

    def attention_mask_3d(self, attention_mask):
        B, K = attention_mask.shape
        stacked = torch.stack((attention_mask,) * 3, dim=1).permute(0, 2, 1).reshape(B, 3 * K)
        padding = stacked == 0
        T = 3 * K
        blocked = torch.ones(T, T, dtype=torch.bool).triu(1)[None] | padding[:, None, :]
        blocked = blocked & ~torch.eye(T, dtype=torch.bool)
        return blocked.repeat_interleave(self.heads, dim=0)

    def forward(self, states, actions, returns_to_go, timesteps, attention_mask):
        B, K = states.shape[:2]
        t = self.embed_timestep(timesteps)
        x = torch.stack(
            (self.embed_return(returns_to_go) + t, self.embed_state(states) + t, self.embed_action(actions) + t), dim=1
        ).permute(0, 2, 1, 3).reshape(B, 3 * K, self.hidden)
        h = self.transformer(self.embed_ln(x), mask=self.attention_mask_3d(attention_mask))
        h = h.reshape(B, K, 3, self.hidden).permute(0, 2, 1, 3)
        return self.predict_action(h[:, 1])


if __name__ == "__main__":
    torch.manual_seed(0)
    dt = DecisionTransformer()
    B, K = 2, 5
    states, actions, rtg = torch.randn(B, K, 4), torch.randn(B, K, 2), torch.randn(B, K, 1)
    timesteps = torch.arange(K).repeat(B, 1)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])
    for mode in ("train", "eval"):
        getattr(dt, mode)()
        with torch.no_grad():
            a = dt(states, actions, rtg, timesteps, attention_mask)
            solo = dt(states[1:, 2:], actions[1:, 2:], rtg[1:, 2:], timesteps[1:, 2:], attention_mask[1:, 2:])
            act2 = actions.clone()
            act2[:, 2] += 3.0  # logged action a_2
            b = dt(states, act2, rtg, timesteps, attention_mask)
        assert not torch.isnan(a).any()
        assert torch.allclose(a[1, 2:], solo[0], atol=1e-5), "left padding changed real predictions"
        assert (a[:, :3] - b[:, :3]).abs().max() < 1e-5, "a_2 leaked into predictions up to a_2"
        print(mode, "ok")
