"""State-transition model (ArcInstitute/state style) attention over a set of
cells with a per-set padding mask and a causal option.  Torch raises on the bug:
bitwise_and on a float mask (RuntimeError)."""
import torch
import torch.nn.functional as F
from torch import nn


class SetAttention(nn.Module):
    def __init__(self, dim=32, heads=4, causal=True):
        super().__init__()
        self.heads, self.causal = heads, causal
        self.to_qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def build_mask(self, padding_mask):
        """padding_mask: [B, S], 1.0 for real cells."""
        B, S = padding_mask.shape
        mask = padding_mask.bool()[:, None, :] & padding_mask.bool()[:, :, None]
        if self.causal:
            causal = torch.tril(torch.ones(S, S, dtype=torch.bool))
            mask = mask & causal
        mask = mask | torch.eye(S, dtype=torch.bool)
        return mask.unsqueeze(1)

    def forward(self, x, padding_mask):
        B, S, D = x.shape
        q, k, v = self.to_qkv(x).view(B, S, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        attn_mask = self.build_mask(padding_mask)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return self.out(y.transpose(1, 2).reshape(B, S, D))


if __name__ == "__main__":
    torch.manual_seed(0)
    m = SetAttention()
    x = torch.randn(3, 5, 32)
    pm = torch.tensor([[1.0] * 5, [1.0] * 3 + [0.0] * 2, [1.0] * 4 + [0.0]])
    x2 = x.clone(); x2[:, -1] = torch.randn(3, 32)
    with torch.no_grad():
        a, b = m(x, pm), m(x2, pm)
    print("prefix change when last cell changes:", (a[:, :-1] - b[:, :-1]).abs().max().item())
