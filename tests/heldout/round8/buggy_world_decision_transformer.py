"""Decision Transformer for offline RL: (return-to-go, state, action) triples
are interleaved into one token stream of length 3K and a transformer predicts
a_t from the token of s_t.  Trajectory segments shorter than K are left padded
with an explicit timestep mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DecisionTransformer(nn.Module):
    def __init__(self, state_dim=11, act_dim=3, dim=64, heads=4, layers=2, max_ep_len=1000):
        super().__init__()
        self.act_dim = act_dim
        self.embed_t = nn.Embedding(max_ep_len, dim)
        self.embed_R = nn.Linear(1, dim)
        self.embed_s = nn.Linear(state_dim, dim)
        self.embed_a = nn.Linear(act_dim, dim)
        self.ln = nn.LayerNorm(dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1, batch_first=True,
                                           norm_first=True, activation="gelu")
        self.backbone = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.predict_action = nn.Sequential(nn.Linear(dim, act_dim), nn.Tanh())

    def forward(self, states, actions, rtg, timesteps, step_mask):
        B, K, _ = states.shape
        t = self.embed_t(timesteps)
        tokens = torch.stack(
            [self.embed_R(rtg) + t, self.embed_s(states) + t, self.embed_a(actions) + t], dim=2
        ).reshape(B, 3 * K, -1)
        tok_pad = ~step_mask.repeat_interleave(3, dim=1)
        h = self.backbone(  # expect: ML401
            self.ln(tokens),
            src_key_padding_mask=tok_pad,
        )
        h = h.view(B, K, 3, -1)
        return self.predict_action(h[:, :, 1])  # predict a_t from the s_t token


def dt_loss(model, batch):
    pred = model(batch["states"], batch["actions"], batch["rtg"], batch["timesteps"], batch["mask"])
    m = batch["mask"].unsqueeze(-1)
    return ((pred - batch["actions"]) ** 2 * m).sum() / (m.sum() * pred.size(-1))


if __name__ == "__main__":
    torch.manual_seed(0)
    K = 10
    model = DecisionTransformer()
    batch = {
        "states": torch.randn(2, K, 11),
        "actions": torch.rand(2, K, 3) * 2 - 1,
        "rtg": torch.randn(2, K, 1),
        "timesteps": torch.arange(K).expand(2, K).clone(),
        "mask": torch.ones(2, K, dtype=torch.bool),
    }
    batch["mask"][1, :3] = False  # left padding
    print("offline RL loss:", dt_loss(model, batch).item())
    model.eval()
    with torch.no_grad():
        a = model(batch["states"], batch["actions"], batch["rtg"], batch["timesteps"], batch["mask"])
        acts2 = batch["actions"].clone()
        acts2[:, 6:] = 0.0  # the actions the model is asked to predict for t >= 6
        b = model(batch["states"], acts2, batch["rtg"], batch["timesteps"], batch["mask"])
    leak = (a[:, :7] - b[:, :7]).abs().max().item()
    print("prediction of a_t for t <= 6 changes when the target actions a_6.. change:", leak)
    assert leak > 1e-4
    print("FAILURE SHOWN: the policy reads the action it is supposed to predict")
