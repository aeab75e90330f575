# EXPECT: ok
"""Protein masked-language model (bidirectional, no causal mask) fed tokenizer-style batches."""
import torch
import torch.nn as nn
import torch.nn.functional as F

AA = "ACDEFGHIKLMNPQRSTVWY"
PAD_ID, MASK_ID = 0, len(AA) + 1


def tokenize(seqs):
    L = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), L), PAD_ID, dtype=torch.long)
    att = torch.zeros((len(seqs), L), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor([AA.index(c) + 1 for c in s])
        att[i, : len(s)] = 1
    return {"input_ids": ids, "attention_mask": att}


class ProteinMLM(nn.Module):
    def __init__(self, d=16, heads=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(len(AA) + 2, d, padding_idx=PAD_ID)
        self.pos = nn.Embedding(16, d)
        layer = nn.TransformerEncoderLayer(d, heads, 32, dropout=p, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.lm = nn.Linear(d, len(AA) + 2)

    def forward(self, input_ids, attention_mask):
        h = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1)))
        h = self.enc(h, src_key_padding_mask=attention_mask == 0)
        return self.lm(h)


def run():
    torch.manual_seed(0)
    model = ProteinMLM()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    batch = tokenize(["MKTAYIAK", "GSHMLE", "MKVLAAGIW"])
    ids = batch["input_ids"]
    corrupt = torch.zeros_like(ids, dtype=torch.bool)
    corrupt[0, 2] = corrupt[1, 4] = corrupt[2, 0] = corrupt[2, 7] = True
    labels = torch.where(corrupt, ids, torch.full_like(ids, -100))
    masked_ids = torch.where(corrupt, torch.full_like(ids, MASK_ID), ids)

    model.train()
    logits = model(masked_ids, batch["attention_mask"])
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), labels.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        out = model(masked_ids, batch["attention_mask"])
    return [loss.detach(), out[batch["attention_mask"].bool()]]
