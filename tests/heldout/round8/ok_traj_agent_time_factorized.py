"""Scene Transformer-style factorised agents x time encoder for joint motion
prediction.  Temporal attention is causal over the observed history (so the
same model can be rolled out online); social attention at each time step masks
missing agents.  Agent slots that are empty in a scene only query (their
outputs are discarded), they are never attended to."""
import torch
import torch.nn as nn


class FactorizedBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.time_attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.agent_attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.n1, self.n2, self.n3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))

    def forward(self, x, agent_valid):
        B, A, T, D = x.shape
        future = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)
        xt = x.reshape(B * A, T, D)
        h = self.n1(xt)
        xt = xt + self.time_attn(h, h, h, attn_mask=future, need_weights=False)[0]
        xa = xt.view(B, A, T, D).transpose(1, 2).reshape(B * T, A, D)
        missing = ~agent_valid.repeat_interleave(T, dim=0)  # (B*T, A), same agents at every step
        h = self.n2(xa)
        xa = xa + self.agent_attn(h, h, h, key_padding_mask=missing, need_weights=False)[0]
        x = xa.view(B, T, A, D).transpose(1, 2)
        return x + self.ff(self.n3(x))


class SceneEncoder(nn.Module):
    def __init__(self, d=64, h=4, n=2, horizon=8):
        super().__init__()
        self.horizon = horizon
        self.inp = nn.Linear(4, d)
        self.t_emb = nn.Embedding(32, d)
        self.blocks = nn.ModuleList(FactorizedBlock(d, h) for _ in range(n))
        self.out = nn.Linear(d, 2 * horizon)

    def forward(self, tracks, agent_valid):
        B, A, T, _ = tracks.shape
        x = self.inp(tracks) + self.t_emb(torch.arange(T))
        for blk in self.blocks:
            x = blk(x, agent_valid)
        return self.out(x[:, :, -1]).view(B, A, self.horizon, 2)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SceneEncoder().eval()
    tracks = torch.randn(2, 6, 10, 4)
    valid = torch.ones(2, 6, dtype=torch.bool)
    valid[1, 3:] = False
    with torch.no_grad():
        pred = model(tracks, valid)
        tr2 = tracks.clone()
        tr2[1, 3:] = 42.0
        pred2 = model(tr2, valid)
        solo = model(tracks[1:, :3], valid[1:, :3])
        # causality: the prefix of the history gives the same encoding at step 5
        enc_full, enc_prefix = [], []
        h1 = model.blocks[-1].register_forward_hook(lambda m, i, o: enc_full.append(o))
        model(tracks, valid)
        h1.remove()
        h2 = model.blocks[-1].register_forward_hook(lambda m, i, o: enc_prefix.append(o))
        model(tracks[:, :, :6], valid)
        h2.remove()
    assert torch.allclose(pred[1, :3], pred2[1, :3], atol=1e-5)
    assert torch.allclose(pred[1, :3], solo[0], atol=1e-5)
    assert torch.allclose(enc_full[0][:, :, :6], enc_prefix[0], atol=1e-5)
    assert not torch.isnan(pred).any()
    print("OK: causal temporal mask + (B*T, A) agent padding mask")
