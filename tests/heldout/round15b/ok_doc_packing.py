"""Packed pre-training rows with SDPA; attention never crosses a document boundary."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PackedAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, allowed):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed[:, None])
        return self.proj(y.transpose(1, 2).reshape(b, n, d))


class PackedDecoder(nn.Module):
    def __init__(self, vocab, dim=32, heads=4, depth=2, max_len=128):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_len, dim)
        self.attn = nn.ModuleList(PackedAttention(dim, heads) for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)

    @staticmethod
    def document_mask(doc_ids):
        n = doc_ids.size(-1)
        causal = torch.ones(n, n, dtype=torch.bool, device=doc_ids.device).tril()
        return causal & (doc_ids[:, :, None] == doc_ids[:, None, :])

    def forward(self, ids, doc_ids):
        x = self.tok(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        allowed = self.document_mask(doc_ids)
        for attn, ln in zip(self.attn, self.ln):
            x = x + attn(ln(x), allowed)
        return self.head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(2, 40, (2, 12))
    doc_ids = torch.tensor([[0] * 4 + [1] * 5 + [2] * 3, [0] * 7 + [1] * 5])
    model = PackedDecoder(vocab=40)
    logits = model(ids[:, :-1], doc_ids[:, :-1])
    print("loss", F.cross_entropy(logits.transpose(1, 2), ids[:, 1:]).item())
