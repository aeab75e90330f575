import torch
import torch.nn as nn
import torch.nn.functional as F


class SpanMaskedAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x, allowed):
        b, n, d = x.shape
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(b, n, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)  # expect: ML301
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


class SentenceSpanEncoder(nn.Module):
    """Hierarchical encoder: tokens attend within their sentence and to sentence-initial tokens."""

    def __init__(self, vocab=3000, dim=64, heads=8, depth=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.attn = nn.ModuleList(SpanMaskedAttention(dim, heads) for _ in range(depth))
        self.ff = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
                                for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))

    @staticmethod
    def span_mask(sentence_ids, valid):
        same = sentence_ids[:, :, None] == sentence_ids[:, None, :]
        first = torch.ones_like(valid)
        first[:, 1:] = sentence_ids[:, 1:] != sentence_ids[:, :-1]
        return (same | first[:, None, :]) & valid[:, None, :]

    def forward(self, tokens, sentence_ids):
        valid = tokens != 0
        allowed = self.span_mask(sentence_ids, valid)
        x = self.embed(tokens)
        for attn, ff, norm in zip(self.attn, self.ff, self.norm):
            x = x + attn(norm(x), allowed)
            x = x + ff(x)
        return x


if __name__ == "__main__":
    tokens = torch.randint(1, 3000, (8, 20))
    sentence_ids = torch.cumsum(torch.rand(8, 20) < 0.2, dim=1)
    print(SentenceSpanEncoder()(tokens, sentence_ids).shape)
