"""Offline RL for a robot arm: return-conditioned transformer over (return, state, action) tokens."""
import torch
import torch.nn as nn


class ArmPolicy(nn.Module):
    def __init__(self, state_dim=12, act_dim=4, d=64, heads=4, layers=2, max_ep_len=500):
        super().__init__()
        self.embed_return = nn.Linear(1, d)
        self.embed_state = nn.Linear(state_dim, d)
        self.embed_action = nn.Linear(act_dim, d)
        self.embed_timestep = nn.Embedding(max_ep_len, d)
        self.embed_ln = nn.LayerNorm(d)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, 0.1, activation="gelu", batch_first=True)
        self.transformer = nn.TransformerEncoder(layer, layers)
        self.predict_action = nn.Sequential(nn.Linear(d, act_dim), nn.Tanh())

    def forward(self, returns_to_go, states, actions, timesteps):
        B, K, _ = states.shape
        t = self.embed_timestep(timesteps)
        stacked = torch.stack(
            (self.embed_return(returns_to_go) + t, self.embed_state(states) + t, self.embed_action(actions) + t),
            dim=2).reshape(B, 3 * K, -1)
        L = stacked.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(L, device=states.device)
        h = self.transformer(self.embed_ln(stacked), mask=causal, is_causal=True)
        h = h.reshape(B, K, 3, -1)
        return self.predict_action(h[:, :, 1])  # a_t from the state token s_t


def rollout_step(policy, rtg, states, actions, timesteps):
    policy.eval()
    with torch.no_grad():
        return policy(rtg, states, actions, timesteps)[:, -1]


if __name__ == "__main__":
    torch.manual_seed(0)
    B, K = 3, 8
    policy = ArmPolicy()
    rtg = torch.rand(B, K, 1) * 50
    states, actions = torch.randn(B, K, 12), torch.rand(B, K, 4) * 2 - 1
    timesteps = torch.arange(K).repeat(B, 1)
    pred = policy(rtg, states, actions, timesteps)
    loss = nn.functional.mse_loss(pred, actions)
    loss.backward()
    a_train = pred[:, 2].detach()
    a_eval = rollout_step(policy, rtg, states, actions, timesteps)
    perturbed = actions.clone()
    perturbed[:, -1] = 0.0
    same = torch.allclose(rollout_step(policy, rtg, states, perturbed, timesteps), a_eval, atol=1e-5)
    print(loss.item(), a_eval.shape, same)
