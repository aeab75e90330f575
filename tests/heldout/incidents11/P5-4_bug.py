import math

import torch
import torch.nn as nn

PAD, BOS, EOS = 0, 1, 2


class ReactionToMolecule(nn.Module):
    """Translates a reactant SMILES token sequence into a product SMILES token sequence."""

    def __init__(self, vocab_size=32, d_model=32, nhead=4, num_layers=2, max_len=24):
        super().__init__()
        self.src_tok = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.tgt_tok = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(1, max_len, d_model) * 0.02)
        self.transformer = nn.Transformer(d_model, nhead, num_layers, num_layers, 64, 0.0, batch_first=True)
        self.fc_out = nn.Linear(d_model, vocab_size)
        self.d_model = d_model

    def embed(self, emb, ids):
        return emb(ids) * math.sqrt(self.d_model) + self.pos[:, : ids.size(1)]

    def forward(self, src, tgt):
        src_padding_mask = src == PAD
        tgt_padding_mask = tgt == PAD
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(1), dtype=torch.bool)
        out = self.transformer(self.embed(self.src_tok, src), self.embed(self.tgt_tok, tgt), tgt_mask=tgt_mask)  # BUG
        return self.fc_out(out)


def pad_batch(seqs, length):
    return torch.tensor([s + [PAD] * (length - len(s)) for s in seqs])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ReactionToMolecule().eval()
    src_short = pad_batch([[BOS, 5, 9, 7, EOS], [BOS, 4, 8, 6, 11, 3, 12, EOS]], 8)
    src_long = pad_batch([[BOS, 5, 9, 7, EOS], [BOS, 4, 8, 6, 11, 3, 12, EOS]], 12)
    tgt = pad_batch([[BOS, 6, 9], [BOS, 10, 4]], 3)
    with torch.no_grad():
        a = model(src_short, tgt)
        b = model(src_long, tgt)
    print(f"product logits change when only the source padding length changes: {(a[0] - b[0]).abs().max().item():.3e}")
