"""SMILES-to-SMILES generator (e.g. reaction product prediction) with nn.Transformer on padded batches."""
import torch
import torch.nn as nn

PAD, BOS, EOS = 0, 1, 2


def collate_smiles(pairs):
    src_len = max(len(s) for s, _ in pairs)
    tgt_len = max(len(t) for _, t in pairs)
    src = torch.full((len(pairs), src_len), PAD, dtype=torch.long)
    tgt = torch.full((len(pairs), tgt_len), PAD, dtype=torch.long)
    for i, (s, t) in enumerate(pairs):
        src[i, : len(s)] = torch.tensor(s)
        tgt[i, : len(t)] = torch.tensor(t)
    return src, tgt


class MoleculeGenerator(nn.Module):
    def __init__(self, vocab=40, d_model=32, nhead=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model, padding_idx=PAD)
        self.pos = nn.Embedding(128, d_model)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 64, dropout=0.1, batch_first=True)
        self.fc_out = nn.Linear(d_model, vocab)

    def embed(self, x):
        return self.emb(x) + self.pos(torch.arange(x.size(1), device=x.device))

    def forward(self, src, tgt):
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(1), device=tgt.device, dtype=torch.bool)
        src_pad = src == PAD
        tgt_pad = tgt == PAD
        out = self.transformer(
            self.embed(src), self.embed(tgt), tgt_mask=tgt_mask,
            src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad,
        )
        return self.fc_out(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = [([5, 6, 7, 8, 9, 10], [BOS, 11, 12, 13, EOS]), ([5, 7, 9], [BOS, 14, EOS])]
    src, tgt = collate_smiles(batch)
    model = MoleculeGenerator()
    logits = model(src, tgt[:, :-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, 40), tgt[:, 1:].reshape(-1), ignore_index=PAD)
    loss.backward()
    print(loss.item())
