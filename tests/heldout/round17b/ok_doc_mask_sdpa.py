"""Pretraining on packed math word problems: several problems per row, no attention across them."""
import torch
import torch.nn.functional as F
from torch import nn


class PackedProblemLM(nn.Module):
    def __init__(self, vocab=3000, dim=64, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(256, dim)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim) for _ in range(layers))
        self.proj = nn.ModuleList(nn.Linear(dim, dim) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.out = nn.Linear(dim, vocab)

    @staticmethod
    def visibility(problem_ids):
        n = problem_ids.size(1)
        causal = torch.ones(n, n, dtype=torch.bool, device=problem_ids.device).tril()
        same = problem_ids.unsqueeze(2) == problem_ids.unsqueeze(1)
        return torch.logical_and(causal, same).unsqueeze(1)

    def forward(self, ids, problem_ids):
        b, n = ids.shape
        x = self.emb(ids) + self.pos(torch.arange(n, device=ids.device))
        allowed = self.visibility(problem_ids)
        for qkv, proj, norm in zip(self.qkv, self.proj, self.norm):
            q, k, v = qkv(norm(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
            x = x + proj(y.transpose(1, 2).reshape(b, n, -1))
        return self.out(x)


def pack(problems, row_len):
    ids = torch.zeros(len(problems), row_len, dtype=torch.long)
    pid = torch.full((len(problems), row_len), -1)
    for r, row in enumerate(problems):
        pos = 0
        for j, p in enumerate(row):
            ids[r, pos:pos + len(p)] = torch.tensor(p)
            pid[r, pos:pos + len(p)] = j
            pos += len(p)
    return ids, pid


if __name__ == "__main__":
    torch.manual_seed(0)
    ids, pid = pack([[[5, 6, 7, 8], [9, 10, 11]], [[12, 13, 14, 15, 16, 17]]], 8)
    model = PackedProblemLM()
    logits = model(ids[:, :-1], pid[:, :-1])
    print(F.cross_entropy(logits.transpose(1, 2), ids[:, 1:]).item())
