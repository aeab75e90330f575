"""Autoregressive nucleotide language model over k-mer tokens (HyenaDNA/GPT-style baseline with nn.MultiheadAttention)."""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F

K = 3
KMERS = ["".join(p) for p in itertools.product("ACGT", repeat=K)]
STOI = {k: i + 2 for i, k in enumerate(KMERS)}  # 0 = pad, 1 = N-containing


def tokenize(seq, k=K):
    return [STOI.get(seq[i:i + k], 1) for i in range(0, len(seq) - k + 1, k)]


class DNABlock(nn.Module):
    def __init__(self, d, heads, p=0.1):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.mha = nn.MultiheadAttention(d, heads, dropout=p, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Dropout(p), nn.Linear(4 * d, d))

    def forward(self, x, mask):
        h = self.ln1(x)
        a, _ = self.mha(h, h, h, attn_mask=mask)  # expect: ML404
        x = x + a
        return x + self.ff(self.ln2(x))


class DNALM(nn.Module):
    def __init__(self, d=64, heads=4, depth=3, max_len=512):
        super().__init__()
        self.emb = nn.Embedding(len(KMERS) + 2, d, padding_idx=0)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList(DNABlock(d, heads) for _ in range(depth))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, len(KMERS) + 2)

    @staticmethod
    def future_mask(n, device):
        return torch.triu(torch.ones(n, n, dtype=torch.bool, device=device))

    def forward(self, ids):
        n = ids.size(1)
        x = self.emb(ids) + self.pos(torch.arange(n, device=ids.device))
        mask = self.future_mask(n, ids.device)
        for blk in self.blocks:
            x = blk(x, mask)
        return self.head(self.ln(x))


if __name__ == "__main__":
    torch.manual_seed(0)
    genome = "".join("ACGT"[i] for i in torch.randint(0, 4, (300,)).tolist())
    reads = [genome[i:i + 96] for i in range(0, 200, 50)]
    batch = torch.tensor([tokenize(r) for r in reads])
    model = DNALM()
    logits = model(batch[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), batch[:, 1:].reshape(-1), ignore_index=0)
    print(batch.shape, loss.item())
