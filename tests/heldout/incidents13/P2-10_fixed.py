import torch
import torch.nn.functional as F
from torch import nn


class CellSetAttention(nn.Module):
    """Self-attention across the cells of a perturbation set, with padded sets."""

    def __init__(self, d_model=32, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.head_dim = d_model // n_heads
        self.in_proj = nn.Linear(d_model, 3 * d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, x, pad_mask, causal=False):
        B, S, D = x.shape
        q, k, v = self.in_proj(x).view(B, S, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        attn_mask = pad_mask[:, None, :].expand(B, S, S)
        if causal:
            tri = torch.tril(torch.ones(S, S, dtype=torch.bool))
            attn_mask = attn_mask.bool() & tri  # BUG
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask.unsqueeze(1))  # BUG
        return self.out_proj(out.transpose(1, 2).reshape(B, S, D))


class StateTransitionModel(nn.Module):
    def __init__(self, n_genes=20, d_model=32, n_layers=2):
        super().__init__()
        self.encode = nn.Linear(n_genes, d_model)
        self.layers = nn.ModuleList([CellSetAttention(d_model) for _ in range(n_layers)])
        self.decode = nn.Linear(d_model, n_genes)

    def forward(self, expr, cell_counts, causal=True):
        S = expr.shape[1]
        pad_mask = (torch.arange(S)[None, :] < cell_counts[:, None]).float()
        h = self.encode(expr)
        for layer in self.layers:
            h = h + layer(h, pad_mask, causal=causal)
        return self.decode(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = StateTransitionModel().eval()
    expr = torch.randn(3, 8, 20)
    counts = torch.tensor([8, 6, 5])
    try:
        with torch.no_grad():
            pred = model(expr, counts)
            other = expr.clone()
            other[2, 5:] = torch.randn(3, 20)
            pad_eff = (model(other, counts)[2, :5] - pred[2, :5]).abs().max().item()
        print(f"ok; pad sensitivity of set 2 = {pad_eff:.4f}")
    except RuntimeError as err:
        print(f"RuntimeError: {str(err).splitlines()[0][:120]}")
