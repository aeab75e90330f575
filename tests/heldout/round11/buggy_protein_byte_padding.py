"""Masked-residue protein encoder; batches are right-padded with the <pad> token."""
import torch
import torch.nn as nn

AMINO = "ACDEFGHIKLMNPQRSTVWY"
PAD, MASK, CLS = 0, 1, 2
VOCAB = {aa: i + 3 for i, aa in enumerate(AMINO)}


def tokenize(seqs):
    L = max(map(len, seqs)) + 1
    out = torch.full((len(seqs), L), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, 0] = CLS
        out[i, 1 : len(s) + 1] = torch.tensor([VOCAB[c] for c in s])
    return out


class ResidueEncoder(nn.Module):
    def __init__(self, d=96, heads=4, depth=3):
        super().__init__()
        self.tok = nn.Embedding(len(VOCAB) + 3, d, padding_idx=PAD)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d, heads, 4 * d, 0.0, batch_first=True, norm_first=True)
            for _ in range(depth))
        self.lm_head = nn.Linear(d, len(VOCAB) + 3)

    def forward(self, tokens):
        pad = tokens.eq(PAD).byte()
        x = self.tok(tokens)
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=pad)  # expect: ML203
        return self.lm_head(x)


def mlm_step(model, tokens, p=0.15):
    corrupt = tokens.clone()
    pick = (torch.rand(tokens.shape) < p) & (tokens > CLS)
    corrupt[pick] = MASK
    logits = model(corrupt)
    return nn.functional.cross_entropy(logits[pick], tokens[pick])


if __name__ == "__main__":
    toks = tokenize(["MKTAYIAKQRQISFVKSHFSRQ", "MKVLAAGIVGLLLA", "GSHMSEQ"])
    print(mlm_step(ResidueEncoder(), toks).item())
