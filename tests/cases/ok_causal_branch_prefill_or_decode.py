import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, layer_past=None, pad_lens=None):
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q = q.view(b, t, self.heads, -1).transpose(1, 2)
        k = k.view(b, t, self.heads, -1).transpose(1, 2)
        v = v.view(b, t, self.heads, -1).transpose(1, 2)
        if layer_past is None:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            # one new token: it may see every cached key except left padding
            pk, pv = layer_past
            k = torch.cat([pk, k], dim=2)
            v = torch.cat([pv, v], dim=2)
            keep = torch.arange(k.shape[2])[None, :] >= pad_lens[:, None]
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None, None, :])
        return self.proj(y.transpose(1, 2).reshape(b, t, c)), (k, v)


if __name__ == "__main__":
    m = CausalSelfAttention(16)
    x = torch.randn(2, 5, 16)
    y, past = m(x)
    y2, _ = m(torch.randn(2, 1, 16), past, torch.tensor([0, 2]))
    print(y2.shape)
