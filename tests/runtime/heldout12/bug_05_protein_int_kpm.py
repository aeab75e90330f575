# EXPECT: bug
"""Protein property regressor fed tokenizer-style batches (input_ids / attention_mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

AA = "ACDEFGHIKLMNPQRSTVWY"
PAD_ID = 0


def tokenize(seqs):
    L = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), L), PAD_ID, dtype=torch.long)
    att = torch.zeros((len(seqs), L), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor([AA.index(c) + 1 for c in s])
        att[i, : len(s)] = 1
    return {"input_ids": ids, "attention_mask": att}


class ProteinRegressor(nn.Module):
    def __init__(self, d=16, heads=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(len(AA) + 1, d, padding_idx=PAD_ID)
        layer = nn.TransformerEncoderLayer(d, heads, 32, dropout=p, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)
        self.out = nn.Linear(d, 1)

    def forward(self, batch):
        h = self.emb(batch["input_ids"])
        h = self.enc(h, src_key_padding_mask=1 - batch["attention_mask"])  # BUG-SITE
        m = batch["attention_mask"].unsqueeze(-1).to(h.dtype)
        return self.out((h * m).sum(1) / m.sum(1)).squeeze(-1)


def run():
    torch.manual_seed(0)
    model = ProteinRegressor()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    batch = tokenize(["MKTAYIAK", "GSHMLE", "MKVLAAGIW"])
    target = torch.tensor([0.3, -1.2, 0.8])

    model.train()
    loss = F.mse_loss(model(batch), target)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        pred = model(batch)
    return [loss.detach(), pred]
