"""MTR/Wayformer-style motion decoder: K learned intention queries (one per
motion mode) cross-attend to a scene context made of agent tokens and map
polyline tokens.  The queries are decoded in parallel (set prediction), so
their self-attention is unmasked; the context uses a 2-D (B, S) key padding
mask built from the per-scene agent and polyline validity."""
import torch
import torch.nn as nn


class IntentionDecoder(nn.Module):
    def __init__(self, d=64, h=4, modes=6, horizon=16, layers=2):
        super().__init__()
        self.horizon = horizon
        self.queries = nn.Parameter(torch.randn(modes, d) * 0.1)
        self.self_attn = nn.ModuleList(nn.MultiheadAttention(d, h, batch_first=True) for _ in range(layers))
        self.cross_attn = nn.ModuleList(nn.MultiheadAttention(d, h, batch_first=True) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(2 * layers))
        self.traj = nn.Linear(d, horizon * 2)
        self.score = nn.Linear(d, 1)

    def forward(self, target_feat, context, context_pad):
        B = context.size(0)
        q = self.queries[None] + target_feat[:, None]
        for i, (sa, ca) in enumerate(zip(self.self_attn, self.cross_attn)):
            h = self.norms[2 * i](q)
            q = q + sa(h, h, h, need_weights=False)[0]
            h = self.norms[2 * i + 1](q)
            q = q + ca(h, context, context, key_padding_mask=context_pad, need_weights=False)[0]
        return self.traj(q).view(B, -1, self.horizon, 2), self.score(q).squeeze(-1)


class MotionModel(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.agent_enc = nn.Sequential(nn.Linear(11 * 4, d), nn.ReLU(), nn.Linear(d, d))
        self.map_enc = nn.Sequential(nn.Linear(20 * 2, d), nn.ReLU(), nn.Linear(d, d))
        self.decoder = IntentionDecoder(d)

    def forward(self, agents, agent_valid, polylines, poly_valid, target_idx):
        a = self.agent_enc(agents.flatten(2))  # (B, A, d)
        m = self.map_enc(polylines.flatten(2))  # (B, P, d)
        context = torch.cat([a, m], 1)
        context_pad = ~torch.cat([agent_valid, poly_valid], 1)  # (B, A + P)
        target = a[torch.arange(a.size(0)), target_idx]
        return self.decoder(target, context, context_pad)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MotionModel().eval()
    B, A, P = 2, 5, 12
    agents, polys = torch.randn(B, A, 11, 4), torch.randn(B, P, 20, 2)
    av, pv = torch.ones(B, A, dtype=torch.bool), torch.ones(B, P, dtype=torch.bool)
    av[1, 3:] = False
    pv[1, 7:] = False
    tgt = torch.tensor([0, 1])
    with torch.no_grad():
        traj, score = model(agents, av, polys, pv, tgt)
        agents2, polys2 = agents.clone(), polys.clone()
        agents2[1, 3:], polys2[1, 7:] = 9.0, -9.0
        traj2, score2 = model(agents2, av, polys2, pv, tgt)
        solo_traj, _ = model(agents[1:, :3], av[1:, :3], polys[1:, :7], pv[1:, :7], tgt[1:])
    assert torch.allclose(traj[1], traj2[1], atol=1e-5) and torch.allclose(score[1], score2[1], atol=1e-5)
    assert torch.allclose(traj[1], solo_traj[0], atol=1e-5)
    assert not torch.isnan(traj).any()
    print("OK: parallel intention queries, 2-D context key padding mask")
