# Protein-family classifier over amino-acid tokens (0 is the padding token).
import torch
import torch.nn as nn
import torch.nn.functional as F

AA = "ACDEFGHIKLMNPQRSTVWY"
TOK = {a: i + 1 for i, a in enumerate(AA)}


class Attention(nn.Module):
    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x, tokens):
        b, n, d = x.shape
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(b, n, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=tokens[:, None, None, :] == 0,  # expect: ML102
            dropout_p=self.dropout if self.training else 0.0,
        )
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


class FamilyClassifier(nn.Module):
    def __init__(self, n_families, dim=192, heads=6, depth=4, max_len=1024):
        super().__init__()
        self.embed = nn.Embedding(len(AA) + 1, dim, padding_idx=0)
        self.pos = nn.Embedding(max_len, dim)
        self.attn = nn.ModuleList(Attention(dim, heads) for _ in range(depth))
        self.ff = nn.ModuleList(
            nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
            for _ in range(depth)
        )
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, n_families)

    def forward(self, tokens):
        x = self.embed(tokens) + self.pos(torch.arange(tokens.size(1), device=tokens.device))
        for attn, ff, norm in zip(self.attn, self.ff, self.norm):
            x = x + attn(norm(x), tokens)
            x = x + ff(x)
        keep = (tokens != 0).unsqueeze(-1).float()
        return self.head((x * keep).sum(1) / keep.sum(1))


def tokenize(seqs, max_len=1024):
    out = torch.zeros(len(seqs), min(max(map(len, seqs)), max_len), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids = [TOK[a] for a in s[: out.size(1)]]
        out[i, : len(ids)] = torch.tensor(ids)
    return out
