"""Forum-style snippet (pytorch#21518 thread): causal self-attention with
nn.MultiheadAttention for an 8-step sequence."""
import torch
import torch.nn as nn

SEQ_LEN = 8


class CausalSelfAttention(nn.Module):
    def __init__(self, embed_dim=16, num_heads=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(embed_dim, num_heads)
        mask = torch.triu(torch.ones(SEQ_LEN, SEQ_LEN), diagonal=1).bool()
        self.register_buffer("attn_mask", mask)

    def forward(self, x):  # x: (L, N, E)
        out, weights = self.attn(x, x, x, attn_mask=self.attn_mask)
        return out, weights


if __name__ == "__main__":
    torch.manual_seed(0)
    m = CausalSelfAttention()
    x = torch.randn(SEQ_LEN, 2, 16)
    out, w = m(x)
    print("attention weight on future keys:", torch.triu(w, diagonal=1).sum().item())
