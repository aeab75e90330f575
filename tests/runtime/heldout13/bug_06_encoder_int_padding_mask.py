# EXPECT: bug
"""Token tagger.  The padding mask is computed as 1 - attention_mask: right
polarity (1 = pad) but int64, which nn.TransformerEncoder rejects."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Tagger(nn.Module):
    def __init__(self, vocab=90, n_tags=5, d=32, heads=4, dropout=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        enc = nn.TransformerEncoderLayer(d, heads, 64, dropout, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(enc, num_layers=2)
        self.cls = nn.Linear(d, n_tags)

    def forward(self, batch):
        x = self.emb(batch["input_ids"])
        pad = 1 - batch["attention_mask"]
        x = self.encoder(x, src_key_padding_mask=pad)  # BUG-SITE
        return self.cls(x)


def run():
    torch.manual_seed(5)
    ids = torch.randint(1, 90, (4, 10))
    att = torch.ones(4, 10, dtype=torch.long)
    att[1, 6:] = 0
    att[3, 3:] = 0
    ids = ids * att
    tags = torch.randint(0, 5, (4, 10)).masked_fill(att == 0, -100)
    batch = {"input_ids": ids, "attention_mask": att, "labels": tags}
    model = Tagger()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    logits = model(batch)
    loss = F.cross_entropy(logits.reshape(-1, 5), batch["labels"].reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    g = model.cls.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(batch).argmax(-1).float()
    return [loss.detach(), g, pred]
