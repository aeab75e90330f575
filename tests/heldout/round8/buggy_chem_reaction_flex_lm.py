"""Decoder-only reaction predictor: "reactants>reagents>>product" SMILES
strings are tokenised at the character level and a small GPT predicts the
product autoregressively.  Attention uses FlexAttention with a causal
mask_mod (materialised as a BlockMask once per sequence length)."""
import re
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

SMILES_RE = re.compile(r"(\[[^\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\(|\)|\.|=|#|-|\+|\\|/|:|~|@|\?|>|\*|\$|%[0-9]{2}|[0-9])")


class Vocab:
    def __init__(self, corpus):
        toks = sorted({t for s in corpus for t in SMILES_RE.findall(s)})
        self.itos = ["<pad>", "<bos>", "<eos>"] + toks
        self.stoi = {t: i for i, t in enumerate(self.itos)}

    def encode(self, s):
        return [1] + [self.stoi[t] for t in SMILES_RE.findall(s)] + [2]


def causal_mask_mod(b, h, q_idx, kv_idx):
    return q_idx <= kv_idx


class FlexSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.qkv, self.o = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        self._mask_cache = {}

    def block_mask(self, L, device):
        if L not in self._mask_cache:
            self._mask_cache[L] = create_block_mask(causal_mask_mod, None, None, L, L, device=device)
        return self._mask_cache[L]

    def forward(self, x):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = flex_attention(
            q, k, v,
            block_mask=self.block_mask(L, x.device),  # expect: ML102
        )
        return self.o(y.transpose(1, 2).reshape(B, L, D))


class ReactionGPT(nn.Module):
    def __init__(self, vocab_size, dim=64, heads=4, layers=2, ctx=256):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab_size, dim), nn.Embedding(ctx, dim)
        self.attn = nn.ModuleList(FlexSelfAttention(dim, heads) for _ in range(layers))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(),
                                               nn.Linear(4 * dim, dim)) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.head = nn.Linear(dim, vocab_size)

    def forward(self, ids):
        x = self.tok(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        for attn, mlp, ln in zip(self.attn, self.mlp, self.ln):
            x = x + attn(ln(x))
            x = x + mlp(x)
        return self.head(x)


if __name__ == "__main__":
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    rxns = ["CC(=O)O.OCC>[H+]>CC(=O)OCC", "c1ccccc1Br.B(O)O>[Pd]>c1ccccc1"]
    vocab = Vocab(rxns)
    ids = torch.tensor([vocab.encode(rxns[0])])
    model = ReactionGPT(len(vocab.itos)).eval()
    with torch.no_grad():
        logits = model(ids)
        loss = F.cross_entropy(logits[0, :-1], ids[0, 1:])
        cut = ids.size(1) // 2
        ids2 = ids.clone()
        ids2[0, cut:] = vocab.stoi["C"]
        leak = (model(ids2)[0, :cut] - logits[0, :cut]).abs().max().item()
    print("teacher-forced loss:", loss.item(), "| future-edit leak:", leak)
    assert leak > 1e-4
    print("FAILURE SHOWN: product tokens can read the answer from later positions")
