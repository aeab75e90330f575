import torch.nn as nn
import torch.nn.functional as F


class BidirectionalLayer(nn.Module):
    def __init__(self, dim, heads, p_drop):
        super().__init__()
        self.heads = heads
        self.p_drop = p_drop
        self.in_proj = nn.Linear(dim, 3 * dim)
        self.out_proj = nn.Linear(dim, dim)
        self.ln1 = nn.LayerNorm(dim)
        self.ln2 = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, mask):
        N, S, D = x.shape
        q, k, v = self.in_proj(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(N, S, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        h = F.scaled_dot_product_attention(q, k, v, mask,  # expect: ML102
                                           dropout_p=self.p_drop if self.training else 0.0)
        x = self.ln1(x + self.out_proj(h.transpose(1, 2).reshape(N, S, D)))
        return self.ln2(x + self.ffn(x))
