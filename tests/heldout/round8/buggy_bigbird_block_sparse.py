"""BigBird-style encoder (ITC variant) for long genomic / legal sequences,
simulated densely on top of nn.MultiheadAttention: each block of tokens sees its
neighbour blocks, a few random blocks and the global blocks at both ends."""
import torch
import torch.nn as nn


def bigbird_pattern(num_blocks, block, n_rand=1, n_global=1, seed=0):
    """Returns an (L, L) boolean pattern, True where attention is part of the sparse graph."""
    g = torch.Generator().manual_seed(seed)
    pat = torch.zeros(num_blocks, num_blocks, dtype=torch.bool)
    for i in range(num_blocks):
        pat[i, max(0, i - 1): i + 2] = True  # sliding blocks
        pat[i, torch.randint(0, num_blocks, (n_rand,), generator=g)] = True  # random blocks
    pat[:n_global, :] = pat[:, :n_global] = True
    pat[-n_global:, :] = pat[:, -n_global:] = True
    return pat.repeat_interleave(block, 0).repeat_interleave(block, 1)


class BigBirdEncoderLayer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, sparse_pattern):
        h = self.ln1(x)
        a, _ = self.attn(
            h, h, h,
            attn_mask=sparse_pattern,
            need_weights=False,
        )
        x = x + a
        return x + self.ff(self.ln2(x))


class BigBirdEncoder(nn.Module):
    def __init__(self, vocab=64, d=64, h=4, n=2, block=4, num_blocks=8):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(block * num_blocks, d) * 0.02)
        self.layers = nn.ModuleList(BigBirdEncoderLayer(d, h) for _ in range(n))
        self.register_buffer("pattern", bigbird_pattern(num_blocks, block), persistent=False)
        self.head = nn.Linear(d, 2)

    def forward(self, ids):
        x = self.tok(ids) + self.pos
        for layer in self.layers:
            x = layer(
                x,
                self.pattern,  # expect: ML101
            )
        return self.head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BigBirdEncoder().eval()
    ids = torch.randint(0, 64, (1, 32))
    with torch.no_grad():
        out = model(ids)
    print("NaN rows (global-block tokens):", torch.isnan(out[0]).any(-1).nonzero().flatten().tolist())
    assert torch.isnan(out).any()
    print("FAILURE SHOWN: the sparse graph itself is masked; fully connected global rows become NaN")
