import torch
import torch.nn.functional as F
from torch import nn


class SetTransformerBlock(nn.Module):
    def __init__(self, d_model=32, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.out = nn.Linear(d_model, d_model)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, x, attn_mask):
        B, S, D = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, S, 3, self.n_heads, D // self.n_heads).permute(2, 0, 3, 1, 4)
        h = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return x + self.out(h.transpose(1, 2).reshape(B, S, D))


class StateTransitionModel(nn.Module):
    def __init__(self, n_genes=20, d_model=32, n_layers=2):
        super().__init__()
        self.encoder = nn.Linear(n_genes, d_model)
        self.blocks = nn.ModuleList([SetTransformerBlock(d_model) for _ in range(n_layers)])
        self.decoder = nn.Linear(d_model, n_genes)

    def build_attention_mask(self, cell_counts):
        padding_mask = (cell_counts.abs().sum(-1) != 0).float()  # BUG
        attn_mask = padding_mask[:, None, :] & padding_mask[:, :, None]  # BUG
        attn_mask = attn_mask | torch.eye(cell_counts.size(1), dtype=torch.bool)
        return attn_mask

    def forward(self, cell_counts):
        attn_mask = self.build_attention_mask(cell_counts)
        x = self.encoder(cell_counts)
        for blk in self.blocks:
            x = blk(x, attn_mask)
        return self.decoder(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = StateTransitionModel().eval()
    cells = torch.randn(3, 8, 20)
    cells[0, 6:] = 0.0
    cells[2, 3:] = 0.0
    try:
        with torch.no_grad():
            pred = model(cells)
        print(f"ok: prediction {tuple(pred.shape)}, finite={bool(torch.isfinite(pred).all())}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
