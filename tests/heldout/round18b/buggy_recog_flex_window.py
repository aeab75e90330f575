"""Long-context genomic language model with sliding-window FlexAttention."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

WINDOW = 4
NUC = "ACGTN"


def sliding_window_causal(b, h, q_idx, kv_idx):
    causal = q_idx >= kv_idx
    window = q_idx - kv_idx >= WINDOW  # BUG: window test inverted: keeps keys at distance >= WINDOW, drops the local ones (and the diagonal)
    return causal & window


class GenomeBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.norm = nn.RMSNorm(d)
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.o = nn.Linear(d, d, bias=False)
        self.mlp = nn.Sequential(nn.RMSNorm(d), nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))

    def forward(self, x, block_mask):
        B, L, D = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=block_mask)
        x = x + self.o(y.transpose(1, 2).reshape(B, L, D))
        return x + self.mlp(x)


class GenomeLM(nn.Module):
    def __init__(self, d=32, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(len(NUC), d)
        self.blocks = nn.ModuleList(GenomeBlock(d, heads) for _ in range(depth))
        self.head = nn.Linear(d, len(NUC))

    def forward(self, seq):
        L = seq.size(1)
        block_mask = create_block_mask(sliding_window_causal, None, None, L, L, device=seq.device)
        x = self.emb(seq)
        for blk in self.blocks:
            x = blk(x, block_mask)
        return self.head(x)


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    seq = torch.tensor([[NUC.index(c) for c in "ACGTTGCAAGGCTTACGATCGGAT"]])
    with torch.no_grad():
        logits = GenomeLM()(seq[:, :-1])
    print("nll", round(F.cross_entropy(logits[0], seq[0, 1:]).item(), 5))
