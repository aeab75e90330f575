"""Packed SMILES pretraining with FlexAttention document masking (SDPA fallback)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, create_mask, flex_attention

VOCAB = "#()+-=123456789BCFHINOPS[]clnos"
PAD = len(VOCAB)


def pack(smiles, row_len):
    ids = torch.full((len(smiles), row_len), PAD, dtype=torch.long)
    seg = torch.full((len(smiles), row_len), -1, dtype=torch.long)
    for r, mols in enumerate(smiles):
        pos = 0
        for d, s in enumerate(mols):
            toks = [VOCAB.index(c) for c in s if c in VOCAB][: row_len - pos]
            ids[r, pos:pos + len(toks)] = torch.tensor(toks, dtype=torch.long)
            seg[r, pos:pos + len(toks)] = d
            pos += len(toks)
    return ids, seg


def document_causal(seg):
    def mask_mod(b, h, q_idx, kv_idx):
        return (seg[b, q_idx] == seg[b, kv_idx]) & (q_idx >= kv_idx)
    return mask_mod


class FlexBlock(nn.Module):
    def __init__(self, dim, heads, use_flex=True):
        super().__init__()
        self.heads, self.use_flex = heads, use_flex
        self.norm = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, seg, block_mask=None):
        B, L, D = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if self.use_flex:
            y = flex_attention(q, k, v, block_mask=block_mask)
        else:
            same = seg[:, :, None] == seg[:, None, :]
            keep = same & torch.ones(L, L, dtype=torch.bool, device=x.device).tril()
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep.unsqueeze(1))
        x = x + self.out(y.transpose(1, 2).reshape(B, L, D))
        return x + self.ff(x)


class SmilesLM(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2, use_flex=True):
        super().__init__()
        self.use_flex = use_flex
        self.emb = nn.Embedding(PAD + 1, dim)
        self.blocks = nn.ModuleList(FlexBlock(dim, heads, use_flex) for _ in range(depth))
        self.head = nn.Linear(dim, PAD + 1)

    def forward(self, ids, seg):
        B, L = ids.shape
        block_mask = create_block_mask(document_causal(seg), B, None, L, L, device=ids.device) if self.use_flex else None
        x = self.emb(ids)
        for blk in self.blocks:
            x = blk(x, seg, block_mask)
        return self.head(x)


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    ids, seg = pack([["CCO", "c1ccccc1O", "CC(=O)N"], ["CN1C=NC2=C1C(=O)N(C)C"]], 24)
    flex_model = SmilesLM(use_flex=True)
    sdpa_model = SmilesLM(use_flex=False)
    sdpa_model.load_state_dict(flex_model.state_dict())
    with torch.no_grad():
        a, b = flex_model(ids, seg), sdpa_model(ids, seg)
    L = ids.size(1)
    print("match", torch.allclose(a, b, atol=1e-5), create_mask(document_causal(seg), 2, 1, L, L, device="cpu").sum().item())
