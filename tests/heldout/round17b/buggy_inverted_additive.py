"""Bi-encoder for passage retrieval: queries and passages share one encoder."""
import torch
import torch.nn.functional as F
from torch import nn


class PassageEncoder(nn.Module):
    def __init__(self, vocab=30000, dim=64, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(256, dim)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim) for _ in range(layers))
        self.o = nn.ModuleList(nn.Linear(dim, dim) for _ in range(layers))
        self.norm = nn.LayerNorm(dim)

    def forward(self, input_ids, attention_mask):
        b, n = input_ids.shape
        x = self.emb(input_ids) + self.pos(torch.arange(n, device=input_ids.device))
        ext = attention_mask[:, None, None, :].to(x.dtype) * torch.finfo(x.dtype).min
        for qkv, o in zip(self.qkv, self.o):
            q, k, v = qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=ext)  # expect: ML103
            x = x + o(y.transpose(1, 2).reshape(b, n, -1))
        x = self.norm(x)
        m = attention_mask.unsqueeze(-1).to(x.dtype)
        return F.normalize((x * m).sum(1) / m.sum(1), dim=-1)


def in_batch_negatives_loss(encoder, queries, passages, temperature=0.05):
    q = encoder(**queries)
    p = encoder(**passages)
    scores = q @ p.T / temperature
    return F.cross_entropy(scores, torch.arange(q.size(0), device=q.device))


def toy_batch(lengths, n=12, seed=0):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1, 30000, (len(lengths), n), generator=g)
    attention_mask = (torch.arange(n)[None] < torch.tensor(lengths)[:, None]).long()
    return {"input_ids": ids * attention_mask, "attention_mask": attention_mask}


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = PassageEncoder()
    print(in_batch_negatives_loss(enc, toy_batch([5, 7, 4]), toy_batch([12, 9, 10], seed=1)).item())
