# EXPECT: ok
"""Right-padded classification batch through nn.TransformerEncoder with the
nested-tensor fast path enabled: the padding mask is attention_mask == 0
(True = pad), and pooling uses only real tokens (pad rows are zero in eval)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class NewsClassifier(nn.Module):
    def __init__(self, vocab=300, d=32, heads=4, n_cls=4, p=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(64, d)
        enc_layer = nn.TransformerEncoderLayer(d, heads, 64, p, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, 2, enable_nested_tensor=True)
        self.cls = nn.Sequential(nn.Dropout(p), nn.Linear(d, n_cls))

    def forward(self, batch):
        ids, am = batch["input_ids"], batch["attention_mask"]
        x = self.tok(ids) + self.pos(torch.arange(ids.size(1)))
        x = self.encoder(x, src_key_padding_mask=am == 0)
        w = am.unsqueeze(-1).float()
        return self.cls((x * w).sum(1) / w.sum(1))


def run():
    torch.manual_seed(109)
    lens = torch.tensor([11, 3, 7, 11, 5, 9, 2, 11])
    ids = torch.randint(1, 300, (8, 11))
    am = (torch.arange(11)[None] < lens[:, None]).long()
    batch = {"input_ids": ids * am, "attention_mask": am,
             "labels": torch.tensor([0, 1, 2, 3, 0, 1, 2, 3])}
    model = NewsClassifier()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    loss = F.cross_entropy(model(batch), batch["labels"])
    opt.zero_grad()
    loss.backward()
    g = model.tok.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(batch).softmax(-1)
    return [loss.detach(), g, ev]
