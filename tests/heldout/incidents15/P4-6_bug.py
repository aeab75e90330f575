import torch
import torch.nn as nn


class CausalBlock(nn.Module):
    def __init__(self, d_model=16, nhead=2):
        super().__init__()
        self.ln = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, return_attn=False):
        h = self.ln(x)
        causal = torch.triu(torch.ones(x.size(1), x.size(1), dtype=torch.bool, device=x.device), diagonal=1)
        a, w = self.attn(h, h, h, need_weights=True, is_causal=True)  # BUG
        x = x + a
        x = x + self.mlp(x)
        return (x, w) if return_attn else x


if __name__ == "__main__":
    torch.manual_seed(0)
    block = CausalBlock().eval()
    x = torch.randn(2, 7, 16)
    try:
        with torch.no_grad():
            y = block(x)
            x2 = x.clone()
            x2[:, 4:] = torch.randn(2, 3, 16)
            y2 = block(x2)
        print(f"eval: future leak into positions 0-3: {(y[:, :4] - y2[:, :4]).abs().max().item():.4f}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
