"""SMILES generator trained on packed sequences with FlexAttention.

Several molecules are packed into one row; ``mol_id`` says which molecule each
token belongs to. Attention must stay inside a molecule and be autoregressive.
"""
import functools

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def packed_causal(b, h, q_idx, kv_idx, mol_id):
    same_molecule = mol_id[b, q_idx] == mol_id[b, kv_idx]
    autoregressive = q_idx <= kv_idx
    return same_molecule & autoregressive


class FlexBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.norm = nn.RMSNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim, bias=False)
        self.ff = nn.Sequential(nn.RMSNorm(dim), nn.Linear(dim, 4 * dim), nn.SiLU(), nn.Linear(4 * dim, dim))

    def forward(self, x, block_mask):
        B, T, D = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=block_mask)
        x = x + self.out(y.transpose(1, 2).reshape(B, T, D))
        return x + self.ff(x)


class SmilesGenerator(nn.Module):
    def __init__(self, vocab=64, dim=128, heads=4, depth=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList(FlexBlock(dim, heads) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)

    def forward(self, tokens, mol_id):
        B, T = tokens.shape
        block_mask = create_block_mask(
            functools.partial(packed_causal, mol_id=mol_id),  # expect: ML102
            B, None, T, T, device=tokens.device,
        )
        x = self.emb(tokens)
        for blk in self.blocks:
            x = blk(x, block_mask)
        return self.head(x)


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")
    torch.manual_seed(0)
    tokens = torch.randint(0, 64, (2, 128))
    mol_id = torch.cumsum(torch.rand(2, 128) < 0.05, dim=1)
    model = SmilesGenerator().eval()
    with torch.no_grad():  # CPU flex has no backward: validation pass only
        logits = model(tokens, mol_id)
        loss = nn.functional.cross_entropy(logits[:, :-1].reshape(-1, 64), tokens[:, 1:].reshape(-1))
    print("packed LM val loss", loss.item())
