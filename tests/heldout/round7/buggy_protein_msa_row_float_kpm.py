"""MSA Transformer style axial attention over a multiple sequence alignment
(rows = homologous sequences, columns = residues). MSAs are subsampled to a
fixed depth, so only the column (residue) axis is padded; the padding arrives
as an HF-style 1/0 mask."""
import torch
import torch.nn as nn


class AxialBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.row_norm = nn.LayerNorm(d)
        self.row_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.col_norm = nn.LayerNorm(d)
        self.col_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ffn = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x, residue_mask):
        # x: (B, R, C, D); residue_mask: (B, R, C) 1 = real residue
        B, R, C, D = x.shape
        rows = self.row_norm(x).reshape(B * R, C, D)
        row_pad = 1.0 - residue_mask.reshape(B * R, C).float()
        row_pad[:, 0] = 0.0  # every row keeps its leading token so empty rows stay finite
        h, _ = self.row_attn(rows, rows, rows, key_padding_mask=row_pad, need_weights=False)  # expect: ML201
        x = x + h.reshape(B, R, C, D)
        cols = self.col_norm(x).transpose(1, 2).reshape(B * C, R, D)
        h, _ = self.col_attn(cols, cols, cols, need_weights=False)
        x = x + h.reshape(B, C, R, D).transpose(1, 2)
        return x + self.ffn(x)


class MSAEncoder(nn.Module):
    def __init__(self, vocab=25, d=32, heads=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, d, padding_idx=0)
        self.blocks = nn.ModuleList([AxialBlock(d, heads) for _ in range(layers)])

    def forward(self, msa_tokens, residue_mask):
        x = self.tok(msa_tokens)
        for blk in self.blocks:
            x = blk(x, residue_mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = MSAEncoder()
    msa = torch.randint(1, 25, (1, 3, 7))
    msa[0, :, 5:] = 0  # alignment padded from 5 to 7 columns
    mask = (msa != 0).long()
    with torch.no_grad():
        a = enc(msa, mask)
        enc.tok.weight[0] = torch.randn(32) * 3  # only the padding embedding changes
        b = enc(msa, mask)
    # only row attention runs over padded columns here: rows 0..2, real columns 0..4
    moved = (a[0, :, :5] - b[0, :, :5]).abs().max().item()
    print("real residues moved by padded columns (training-mode path):", moved)
    assert moved > 1e-3
