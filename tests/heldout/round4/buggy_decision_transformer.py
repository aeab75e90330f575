"""Decision Transformer (Chen et al., 2021): (return-to-go, state, action) tokens,
predict the next action autoregressively. Built on nn.TransformerEncoder."""
import torch
import torch.nn as nn


class DecisionTransformer(nn.Module):
    def __init__(self, state_dim, act_dim, hidden=128, n_layer=3, n_head=1, max_ep_len=1000):
        super().__init__()
        self.act_dim = act_dim
        self.embed_timestep = nn.Embedding(max_ep_len, hidden)
        self.embed_return = nn.Linear(1, hidden)
        self.embed_state = nn.Linear(state_dim, hidden)
        self.embed_action = nn.Linear(act_dim, hidden)
        self.embed_ln = nn.LayerNorm(hidden)
        layer = nn.TransformerEncoderLayer(hidden, n_head, 4 * hidden, 0.1, batch_first=True,
                                           activation="gelu", norm_first=True)
        self.transformer = nn.TransformerEncoder(layer, n_layer, enable_nested_tensor=False)
        self.predict_action = nn.Sequential(nn.Linear(hidden, act_dim), nn.Tanh())

    def forward(self, states, actions, returns_to_go, timesteps):
        B, T = states.shape[:2]
        t_emb = self.embed_timestep(timesteps)
        r = self.embed_return(returns_to_go) + t_emb
        s = self.embed_state(states) + t_emb
        a = self.embed_action(actions) + t_emb
        # interleave as (R_1, s_1, a_1, R_2, s_2, a_2, ...)
        h = torch.stack((r, s, a), dim=2).reshape(B, 3 * T, -1)
        h = self.embed_ln(h)
        causal_mask = nn.Transformer.generate_square_subsequent_mask(h.size(0), device=h.device)
        h = self.transformer(
            h,
            mask=causal_mask,  # expect: ML303
        )
        h = h.reshape(B, T, 3, -1).permute(0, 2, 1, 3)
        return self.predict_action(h[:, 1])        # predict a_t from the s_t token

    @torch.no_grad()
    def get_action(self, states, actions, returns_to_go, timesteps, context=20):
        states, actions = states[:, -context:], actions[:, -context:]
        returns_to_go, timesteps = returns_to_go[:, -context:], timesteps[:, -context:]
        return self.forward(states, actions, returns_to_go, timesteps)[:, -1]


def train_step(model, batch, optimizer):
    states, actions, rtg, timesteps = batch
    pred = model(states, actions, rtg, timesteps)
    loss = ((pred - actions) ** 2).mean()
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
    optimizer.step()
    return loss.item()
