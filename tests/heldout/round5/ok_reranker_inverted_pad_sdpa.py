"""Cross-encoder reranker: the padding mask is built MHA-style (True = pad) for the legacy
nn.MultiheadAttention tower and inverted before it reaches SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_ID = 0


def pad_positions(ids):
    return ids.eq(PAD_ID)  # True = padding (MHA convention)


class SDPALayer(nn.Module):
    def __init__(self, dim=128, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)
        self.ln = nn.LayerNorm(dim)

    def forward(self, x, is_pad):
        B, S, D = x.shape
        q, k, v = self.qkv(self.ln(x)).view(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        keep = ~is_pad[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return x + self.o(y.transpose(1, 2).reshape(B, S, D))


class LegacyLayer(nn.Module):
    def __init__(self, dim=128, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln = nn.LayerNorm(dim)

    def forward(self, x, is_pad):
        h = self.ln(x)
        return x + self.attn(h, h, h, key_padding_mask=is_pad, need_weights=False)[0]


class Reranker(nn.Module):
    def __init__(self, vocab=30522, dim=128, legacy=False):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD_ID)
        layer_cls = LegacyLayer if legacy else SDPALayer
        self.layers = nn.ModuleList(layer_cls(dim) for _ in range(2))
        self.score = nn.Linear(dim, 1)

    def forward(self, ids):
        is_pad = pad_positions(ids)
        x = self.emb(ids)
        for layer in self.layers:
            x = layer(x, is_pad)
        return self.score(x[:, 0]).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    a, b = Reranker().eval(), Reranker(legacy=True).eval()
    ids = torch.randint(1, 30522, (2, 10))
    ids[1, 6:] = PAD_ID
    with torch.no_grad():
        same = torch.allclose(a(ids)[1], a(ids[1:, :6])[0], atol=1e-5)
        same_legacy = torch.allclose(b(ids)[1], b(ids[1:, :6])[0], atol=1e-5)
        print("pads ignored:", same, same_legacy)
