"""Llama-style encoder/decoder stack in bf16 with eager attention and incremental decoding."""
import torch
import torch.nn as nn


def expand_padding_mask(mask, dtype, tgt_len):
    """(B, S) 1/0 -> additive (B, 1, tgt_len, S)."""
    bsz, src_len = mask.shape
    expanded = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
    inverted = 1.0 - expanded
    return inverted.masked_fill(inverted.bool(), torch.finfo(dtype).min)


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(dim, dim, bias=False) for _ in range(4))

    def forward(self, x, ctx, mask, past=None):
        b, t, d = x.shape
        split = lambda y: y.view(b, -1, self.heads, d // self.heads).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(ctx)), split(self.v(ctx))
        if past is not None:
            k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
        scores = q @ k.transpose(2, 3) / (d // self.heads) ** 0.5
        if mask is not None:
            scores = scores + mask
        probs = scores.float().softmax(-1).to(q.dtype)
        return self.o((probs @ v).transpose(1, 2).reshape(b, t, d)), (k, v)


class Seq2Seq(nn.Module):
    def __init__(self, vocab=50, dim=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.enc = Attention(dim, heads)
        self.cross = Attention(dim, heads)
        self.head = nn.Linear(dim, vocab, bias=False)

    def encode(self, src, src_mask):
        x = self.emb(src)
        return x + self.enc(x, x, expand_padding_mask(src_mask, x.dtype, src.shape[1]))[0]

    def decode(self, tgt, memory, src_mask):
        y = self.emb(tgt)
        a, _ = self.cross(y, memory, expand_padding_mask(src_mask, y.dtype, tgt.shape[1]))
        return self.head(y + a)

    @torch.no_grad()
    def generate(self, src, src_mask, bos=1, steps=3):
        memory = self.encode(src, src_mask)
        out = torch.full((src.shape[0], 1), bos, dtype=torch.long)
        for step in range(steps):
            out = torch.cat([out, self.decode(out, memory, src_mask)[:, -1:].argmax(-1)], 1)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    m = Seq2Seq().to(torch.bfloat16).eval()
    src = torch.tensor([[5, 6, 7, 0, 0], [8, 9, 10, 11, 12]])
    sm = (src != 0).long()
    print(m.generate(src, sm).shape)
