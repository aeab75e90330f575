"""Decision Transformer over (return-to-go, state, action) triples with left
padded trajectory windows; the padding mask arrives from the replay sampler as
an int 0/1 tensor (1 = real timestep), as in the original codebase."""
import torch
import torch.nn as nn


class DecisionTransformer(nn.Module):
    def __init__(self, state_dim=4, act_dim=2, hidden=32, heads=4, layers=2, max_ep_len=100, K=5):
        super().__init__()
        self.hidden = hidden
        self.embed_timestep = nn.Embedding(max_ep_len, hidden)
        self.embed_return = nn.Linear(1, hidden)
        self.embed_state = nn.Linear(state_dim, hidden)
        self.embed_action = nn.Linear(act_dim, hidden)
        self.embed_ln = nn.LayerNorm(hidden)
        self.transformer = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(hidden, heads, 4 * hidden, dropout=0.0, batch_first=True, norm_first=True),
            layers, enable_nested_tensor=False)
        self.predict_action = nn.Sequential(nn.Linear(hidden, act_dim), nn.Tanh())
        self.register_buffer("causal", torch.ones(3 * K, 3 * K, dtype=torch.bool).triu(1), persistent=False)

    def forward(self, states, actions, returns_to_go, timesteps, attention_mask):
        B, K = states.shape[:2]
        t = self.embed_timestep(timesteps)
        stacked = torch.stack(
            (self.embed_return(returns_to_go) + t, self.embed_state(states) + t, self.embed_action(actions) + t), dim=1
        ).permute(0, 2, 1, 3).reshape(B, 3 * K, self.hidden)
        stacked = self.embed_ln(stacked)
        stacked_attention_mask = torch.stack((attention_mask,) * 3, dim=1).permute(0, 2, 1).reshape(B, 3 * K)
        stacked_padding = 1 - stacked_attention_mask
        h = self.transformer(
            stacked,
            mask=self.causal[: 3 * K, : 3 * K],
            src_key_padding_mask=stacked_padding,  # expect: ML203
        )
        h = h.reshape(B, K, 3, self.hidden).permute(0, 2, 1, 3)
        return self.predict_action(h[:, 1])


if __name__ == "__main__":
    torch.manual_seed(0)
    dt = DecisionTransformer()
    B, K = 2, 5
    states, actions = torch.randn(B, K, 4), torch.randn(B, K, 2)
    rtg = torch.randn(B, K, 1)
    timesteps = torch.arange(K).repeat(B, 1)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])
    try:
        print(dt(states, actions, rtg, timesteps, attention_mask).shape)
    except (AssertionError, RuntimeError) as e:
        print("failed:", type(e).__name__, e)
