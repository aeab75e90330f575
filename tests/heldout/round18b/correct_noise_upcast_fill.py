"""Half-precision inference for a document-retrieval cross-encoder."""
import math

import torch
import torch.nn as nn


class CrossEncoderAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x, pad):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(q.size(-1))
        scores = scores.float().masked_fill(pad[:, None, None, :], -1e9)
        probs = torch.softmax(scores, dim=-1).to(v.dtype)
        return self.proj((probs @ v).transpose(1, 2).reshape(B, L, D))


class CrossEncoder(nn.Module):
    def __init__(self, vocab=2000, d=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.seg = nn.Embedding(2, d)
        self.attn = nn.ModuleList(CrossEncoderAttention(d, heads) for _ in range(2))
        self.score = nn.Linear(d, 1)

    def forward(self, ids, segments, pad):
        x = self.emb(ids) + self.seg(segments)
        for layer in self.attn:
            x = x + layer(x, pad)
        return self.score(x[:, 0]).squeeze(-1)


@torch.no_grad()
def rerank(model, ids, segments, pad):
    with torch.autocast(device_type="cpu", dtype=torch.float16):
        return model(ids, segments, pad).float()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CrossEncoder().eval()
    ids = torch.randint(1, 2000, (3, 16))
    segments = (torch.arange(16) >= 6).long().expand(3, -1)
    pad = torch.zeros(3, 16, dtype=torch.bool)
    pad[2, 12:] = True
    fp32 = model(ids, segments, pad)
    fp16 = rerank(model, ids, segments, pad)
    print("fp16 close", torch.allclose(fp32, fp16, atol=5e-2), [round(v, 3) for v in fp16.tolist()])
