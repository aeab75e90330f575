import torch
import torch.nn as nn

PAD_IDX = 0


class MoleculeGenerator(nn.Module):
    def __init__(self, vocab_size=30, d_model=32, nhead=4, num_layers=1, max_len=16):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=PAD_IDX)
        self.pos = nn.Parameter(torch.randn(1, max_len, d_model) * 0.02)
        self.transformer = nn.Transformer(d_model, nhead, num_layers, num_layers, 64, dropout=0.0, batch_first=True)
        self.fc_out = nn.Linear(d_model, vocab_size)

    def forward(self, src, tgt):
        src_pad = src == PAD_IDX
        tgt_pad = tgt == PAD_IDX
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(1), dtype=torch.bool)
        src_emb = self.embedding(src) + self.pos[:, : src.size(1)]
        tgt_emb = self.embedding(tgt) + self.pos[:, : tgt.size(1)]
        out = self.transformer(src_emb, tgt_emb, tgt_mask=tgt_mask)  # BUG
        return self.fc_out(out)


def pad_batch(seqs):
    width = max(len(s) for s in seqs)
    return torch.tensor([s + [PAD_IDX] * (width - len(s)) for s in seqs])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MoleculeGenerator().eval()
    src_smiles = [[5, 6, 7, 8, 9, 10, 11], [12, 13, 14]]
    tgt_smiles = [[1, 4, 4, 5, 2], [1, 6, 2]]
    with torch.no_grad():
        batched = model(pad_batch(src_smiles), pad_batch(tgt_smiles))[1, :3]
        alone = model(pad_batch(src_smiles[1:]), pad_batch(tgt_smiles[1:]))[0]
    print(f"short molecule logits: |padded batch - alone| = {(batched - alone).abs().max().item():.4f}")
