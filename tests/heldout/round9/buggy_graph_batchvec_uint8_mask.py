"""Graph transformer over a PyG-style mini-batch: all nodes of all graphs concatenated,
`batch[i]` gives the graph id of node i. Attention must stay within each graph."""
import torch
import torch.nn as nn


class GraphTransformerLayer(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x, batch):
        # 1 where the two nodes belong to different graphs (must not attend)
        cross_graph = (batch[:, None] != batch[None, :]).to(torch.uint8)
        h = self.n1(x).unsqueeze(0)
        out, _ = self.attn(h, h, h, attn_mask=cross_graph)  # expect: ML203
        x = x + out.squeeze(0)
        return x + self.ff(self.n2(x))


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = GraphTransformerLayer()
    x = torch.randn(7, 32)
    batch = torch.tensor([0, 0, 0, 1, 1, 1, 1])
    try:
        layer(x, batch)
        print("no error raised")
    except (AssertionError, RuntimeError) as e:
        print("FAILURE SHOWN:", type(e).__name__, str(e)[:90])
