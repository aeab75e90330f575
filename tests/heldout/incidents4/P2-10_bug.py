import torch
import torch.nn as nn
import torch.nn.functional as F

sdpa = F.scaled_dot_product_attention


def cell_set_mask(counts, max_cells, device):
    positions = torch.arange(max_cells, device=device)
    return (positions[None, :] < counts[:, None]).float()  # BUG


def pairwise_mask(valid):
    return valid[:, :, None] & valid[:, None, :]  # BUG


class SetAttentionBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.to_out = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, attn_mask):
        b, s, d = x.shape
        q, k, v = self.to_qkv(self.norm(x)).chunk(3, dim=-1)
        q, k, v = (t.view(b, s, self.heads, d // self.heads).transpose(1, 2) for t in (q, k, v))
        out = sdpa(q, k, v, attn_mask=attn_mask)  # BUG
        return x + self.to_out(out.transpose(1, 2).reshape(b, s, d))


class CellSetEncoder(nn.Module):
    def __init__(self, n_genes, dim=128, heads=4, depth=2):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(n_genes, dim), nn.GELU(), nn.Linear(dim, dim))
        self.blocks = nn.ModuleList([SetAttentionBlock(dim, heads) for _ in range(depth)])
        self.readout = nn.Linear(dim, n_genes)

    def forward(self, expr, counts):
        b, s, _ = expr.shape
        valid = cell_set_mask(counts, s, expr.device)
        mask = pairwise_mask(valid)
        h = self.embed(expr)
        for block in self.blocks:
            h = block(h, mask)
        return self.readout(h) * valid[..., None]


def training_step(model, batch, optimizer):
    pred = model(batch["expr"], batch["counts"])
    loss = F.mse_loss(pred, batch["target"])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
