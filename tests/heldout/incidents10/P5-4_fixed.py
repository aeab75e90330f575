"""Molecule-Generator style SMILES seq2seq with nn.Transformer; sequences are
right-padded with PAD=0 but no key padding masks are given."""
import torch
import torch.nn as nn

PAD_IDX = 0


class MoleculeTransformer(nn.Module):
    def __init__(self, vocab_size=40, d_model=16, nhead=2, num_layers=2):
        super().__init__()
        self.src_embedding = nn.Embedding(vocab_size, d_model, padding_idx=PAD_IDX)
        self.tgt_embedding = nn.Embedding(vocab_size, d_model, padding_idx=PAD_IDX)
        self.transformer = nn.Transformer(d_model, nhead, num_layers, num_layers, 32, dropout=0.0, batch_first=True)
        self.fc_out = nn.Linear(d_model, vocab_size)

    def create_padding_mask(self, seq):
        return seq == PAD_IDX

    def forward(self, src, tgt):
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(1))
        src_padding_mask = self.create_padding_mask(src)
        tgt_padding_mask = self.create_padding_mask(tgt)
        out = self.transformer(self.src_embedding(src), self.tgt_embedding(tgt), tgt_mask=tgt_mask,
                               src_key_padding_mask=src_padding_mask, tgt_key_padding_mask=tgt_padding_mask,
                               memory_key_padding_mask=src_padding_mask)
        return self.fc_out(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MoleculeTransformer().eval()
    src = torch.tensor([[5, 6, 7, 0, 0], [8, 9, 10, 11, 12]])
    tgt = torch.tensor([[1, 5, 6], [1, 8, 9]])
    with torch.no_grad():
        a = model(src, tgt)
        b = model(src[:1, :3], tgt[:1])  # same molecule without padding
    print("molecule-0 change padded vs unpadded:", (a[0] - b[0]).abs().max().item())
