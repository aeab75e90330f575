"""VectorNet-style map encoding for motion forecasting.

Lanes / crosswalks are polylines of up to V vectors; a PointNet-like subgraph
encodes each polyline with a masked max-pool.  The target agent(s) then attend
to all map polylines of the scene (padded to P_max)."""
import torch
import torch.nn as nn


class PolylineSubgraph(nn.Module):
    def __init__(self, in_dim=6, dim=64):
        super().__init__()
        self.mlp1 = nn.Sequential(nn.Linear(in_dim, dim), nn.LayerNorm(dim), nn.ReLU())
        self.mlp2 = nn.Sequential(nn.Linear(2 * dim, dim), nn.LayerNorm(dim), nn.ReLU())

    def forward(self, vectors, vec_valid):
        # vectors: (B, P, V, 6) start xy, end xy, type, lane-id
        h = self.mlp1(vectors)
        neg = torch.finfo(h.dtype).min
        pooled = h.masked_fill(~vec_valid[..., None], neg).max(2, keepdim=True).values
        h = self.mlp2(torch.cat([h, pooled.expand_as(h)], -1))
        h = h.masked_fill(~vec_valid[..., None], neg).max(2).values
        return torch.where(vec_valid.any(-1, keepdim=True), h, torch.zeros_like(h))


class AgentMapInteraction(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.subgraph = PolylineSubgraph(dim=dim)
        self.agent_enc = nn.Sequential(nn.Linear(20 * 4, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.a2m = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, 30 * 2)

    def forward(self, agent_hist, vectors, vec_valid):
        B = agent_hist.size(0)
        poly = self.subgraph(vectors, vec_valid)  # (B, P, D)
        poly_pad = ~vec_valid.any(-1)  # (B, P): polyline slot is empty
        agents = self.agent_enc(agent_hist.flatten(2))  # (B, A, D)
        ctx, _ = self.a2m(
            agents, poly, poly,
            key_padding_mask=poly_pad.unsqueeze(1),  # expect: ML301
            need_weights=False,
        )
        agents = self.ln(agents + ctx)
        return self.head(agents).view(B, agents.size(1), 30, 2)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = AgentMapInteraction()
    B, A, P, V = 2, 3, 16, 9
    hist = torch.randn(B, A, 20, 4)
    vectors = torch.randn(B, P, V, 6)
    vec_valid = torch.rand(B, P, V) > 0.3
    vec_valid[1, 10:] = False  # scene 1 has fewer map elements
    try:
        print(model(hist, vectors, vec_valid).shape)
    except (RuntimeError, AssertionError) as e:
        print("FAILURE SHOWN:", type(e).__name__, e)
