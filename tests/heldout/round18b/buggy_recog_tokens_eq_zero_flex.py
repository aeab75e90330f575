"""DNA k-mer promoter classifier using FlexAttention with a padding mask_mod."""
import itertools

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

K = 3
KMERS = {"".join(p): i + 1 for i, p in enumerate(itertools.product("ACGT", repeat=K))}


def kmerize(seqs, width):
    ids = torch.zeros(len(seqs), width, dtype=torch.long)
    for i, s in enumerate(seqs):
        toks = [KMERS[s[j:j + K]] for j in range(0, len(s) - K + 1, K)][:width]
        ids[i, : len(toks)] = torch.tensor(toks)
    return ids


class PromoterNet(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(len(KMERS) + 1, d, padding_idx=0)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.cls = nn.Linear(d, 2)

    def forward(self, tokens):
        B, S = tokens.shape
        pad = tokens == 0

        def padding_mod(b, h, q_idx, kv_idx):
            return pad[b, kv_idx]

        block_mask = create_block_mask(padding_mod, B, None, S, S, device=tokens.device)
        x = self.emb(tokens)
        q, k, v = self.qkv(x).view(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=block_mask)  # BUG: mask_mod returns tokens == 0 (padding) as True; flex attends True
        x = x + self.proj(y.transpose(1, 2).reshape(B, S, -1))
        keep = (~pad).unsqueeze(-1).float()
        return self.cls((x * keep).sum(1) / keep.sum(1))


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    tokens = kmerize(["TATAAAAGGCGCCGTATAAT" * 2, "GGGCGGGACGT"], 16)
    with torch.no_grad():
        logits = PromoterNet()(tokens)
    print("logits", [[round(v, 4) for v in row] for row in logits.tolist()])
