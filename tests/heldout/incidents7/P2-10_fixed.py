"""Set transformer over cell embeddings in the style of ArcInstitute/state: a causal
(cell-sentence) mask registered as a buffer is combined with a per-batch padding mask for SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CellSetAttention(nn.Module):
    def __init__(self, dim, n_heads, max_cells=32):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.register_buffer("causal_mask", torch.tril(torch.ones(max_cells, max_cells, dtype=torch.bool)))

    def forward(self, x, cell_mask):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.n_heads, D // self.n_heads).permute(2, 0, 3, 1, 4)
        pad = cell_mask[:, None, :].expand(B, S, S)
        attn_mask = (self.causal_mask[:S, :S] & pad).unsqueeze(1)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return self.out(y.transpose(1, 2).reshape(B, S, D))


class StateTransitionModel(nn.Module):
    def __init__(self, n_genes=50, dim=32, n_heads=4, depth=2, n_perts=7):
        super().__init__()
        self.basal_encoder = nn.Sequential(nn.Linear(n_genes, dim), nn.GELU())
        self.pert_encoder = nn.Embedding(n_perts, dim)
        self.layers = nn.ModuleList([CellSetAttention(dim, n_heads) for _ in range(depth)])
        self.norms = nn.ModuleList([nn.LayerNorm(dim) for _ in range(depth)])
        self.project_out = nn.Linear(dim, n_genes)

    def forward(self, basal_expr, pert_idx, cell_mask):
        h = self.basal_encoder(basal_expr) + self.pert_encoder(pert_idx)[:, None, :]
        for attn, norm in zip(self.layers, self.norms):
            h = h + attn(norm(h), cell_mask)
        return basal_expr + self.project_out(h)


def collate_cell_sets(sets, n_genes):
    S = max(s.shape[0] for s in sets)
    x = torch.zeros(len(sets), S, n_genes)
    mask = torch.zeros(len(sets), S, dtype=torch.bool)
    for i, s in enumerate(sets):
        x[i, : s.shape[0]] = s
        mask[i, : s.shape[0]] = True
    return x, mask


if __name__ == "__main__":
    torch.manual_seed(0)
    model = StateTransitionModel()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    basal, cell_mask = collate_cell_sets([torch.rand(8, 50), torch.rand(5, 50)], 50)
    target = basal + 0.1 * torch.randn_like(basal)
    pred = model(basal, torch.tensor([2, 5]), cell_mask)
    loss = ((pred - target) ** 2)[cell_mask].mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("loss", loss.item())
