"""BERT pretraining (MLM) benchmark model wrapped in a Lightning-style module with fp16."""
import math
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F


class LightningModule(nn.Module):
    def __init__(self):
        super().__init__()
        self.hparams = SimpleNamespace()

    def save_hyperparameters(self, **kw):
        self.hparams.__dict__.update(kw)

    def log(self, *a, **k):
        pass


class Attention(nn.Module):
    def forward(self, query, key, value, mask=None):
        scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(query.size(-1))
        if mask is not None:
            scores = scores.masked_fill(mask == 0, -1e9)  # BUG
        return torch.matmul(F.softmax(scores, dim=-1), value)


class BERT(nn.Module):
    def __init__(self, vocab=100, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, hidden, padding_idx=0)
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.attention = Attention()
        self.out = nn.Linear(hidden, vocab)

    def forward(self, x):
        mask = (x > 0).unsqueeze(1).repeat(1, x.size(1), 1).unsqueeze(1)
        h = self.emb(x)
        b, t, d = h.shape
        q, k, v = self.qkv(h).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        a = self.attention(q, k, v, mask=mask)
        return self.out(h + a.transpose(1, 2).reshape(b, t, d))


class BERTPretrain(LightningModule):
    def __init__(self, half=True, lr=1e-4):
        super().__init__()
        self.save_hyperparameters(half=half, lr=lr)
        self.bert = BERT()
        if half:
            self.bert = self.bert.half()

    def training_step(self, batch, batch_idx):
        logits = self.bert(batch["bert_input"]).float()
        loss = F.cross_entropy(logits.transpose(1, 2), batch["bert_label"], ignore_index=0)
        self.log("mlm_loss", loss)
        return loss


if __name__ == "__main__":
    torch.manual_seed(0)
    m = BERTPretrain()
    batch = {"bert_input": torch.tensor([[5, 6, 7, 0], [8, 9, 10, 11]]),
             "bert_label": torch.tensor([[0, 6, 0, 0], [8, 0, 0, 11]])}
    print("loss:", m.training_step(batch, 0).item())
