import torch
import torch.nn as nn


class Translator(nn.Module):
    def __init__(self, vocab=1000, d=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.core = nn.Transformer(d, 4, 2, 2, 128, batch_first=True)
        self.out = nn.Linear(d, vocab)

    def forward(self, src_ids, tgt_ids):
        t = tgt_ids.size(1)
        future = torch.triu(torch.full((t, t), float("-inf")), diagonal=1)
        h = self.core(self.emb(src_ids), self.emb(tgt_ids), future)  # expect: ML501
        return self.out(h)
