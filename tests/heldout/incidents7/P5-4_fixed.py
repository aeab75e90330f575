"""Reaction-to-molecule SMILES translator in the style of DaoyuanLi2816/Molecule-Generator:
a batch-first nn.Transformer encoder-decoder over padded SMILES token batches."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, BOS, EOS = 0, 1, 2


class SmilesTransformer(nn.Module):
    def __init__(self, vocab=40, d_model=32, nhead=4, layers=2, max_len=64):
        super().__init__()
        self.d_model = d_model
        self.src_tok = nn.Embedding(vocab, d_model, padding_idx=PAD)
        self.tgt_tok = nn.Embedding(vocab, d_model, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d_model)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 64, dropout=0.1, batch_first=True)
        self.fc_out = nn.Linear(d_model, vocab)

    def _embed(self, emb, x):
        return emb(x) * math.sqrt(self.d_model) + self.pos(torch.arange(x.shape[1]))

    def forward(self, src, tgt):
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(1), dtype=torch.bool)
        src_pad = src == PAD
        tgt_pad = tgt == PAD
        out = self.transformer(self._embed(self.src_tok, src), self._embed(self.tgt_tok, tgt), tgt_mask=tgt_mask, src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)
        return self.fc_out(out)


def pad_sequences(seqs):
    L = max(len(s) for s in seqs) + 2
    out = torch.full((len(seqs), L), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s) + 2] = torch.tensor([BOS] + s + [EOS])
    return out


def train_epoch(model, pairs, optimizer):
    model.train()
    src = pad_sequences([p[0] for p in pairs])
    tgt = pad_sequences([p[1] for p in pairs])
    logits = model(src, tgt[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1), ignore_index=PAD)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SmilesTransformer()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    pairs = [([5, 6, 7, 8, 9, 10, 11], [12, 13]), ([5, 6], [14, 15, 16, 17, 18]), ([20, 21, 22], [23, 24, 25])]
    print("loss", train_epoch(model, pairs, opt))
