"""Next-token Transformer demo wired into a Lightning-style module."""
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


class Transformer(nn.Module):
    def __init__(self, vocab_size, ninp=32, nhead=4, nhid=64, nlayers=2, dropout=0.0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, ninp)
        self.pos = nn.Parameter(torch.zeros(256, 1, ninp))
        self.transformer = nn.Transformer(ninp, nhead, nlayers, nlayers, nhid, dropout)
        self.decoder = nn.Linear(ninp, vocab_size)
        self.ninp = ninp
        self.src_mask = None

    def forward(self, inputs, target):
        src = self.embedding(inputs) + self.pos[: inputs.size(0)]
        tgt = self.embedding(target) + self.pos[: target.size(0)]  # BUG
        output = self.transformer(src, tgt)  # BUG
        return F.log_softmax(self.decoder(output), dim=-1).view(-1, self.decoder.out_features)


class LanguageModel(LightningModule):
    def __init__(self, vocab_size=100, lr=0.1):
        super().__init__()
        self.save_hyperparameters(vocab_size=vocab_size, lr=lr)
        self.model = Transformer(vocab_size=vocab_size)

    def forward(self, inputs, target):
        return self.model(inputs, target)

    def training_step(self, batch, batch_idx):
        inputs, target = batch
        output = self(inputs, target)
        loss = F.nll_loss(output, target.view(-1))
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def validation_step(self, batch, batch_idx):
        with torch.no_grad():
            inputs, target = batch
            return F.nll_loss(self(inputs, target), target.view(-1))

    def configure_optimizers(self):
        return torch.optim.SGD(self.model.parameters(), lr=self.hparams.lr)


def make_batch(stream, i, bptt=10):
    seq_len = min(bptt, len(stream) - 1 - i)
    return stream[i : i + seq_len], stream[i + 1 : i + 1 + seq_len]


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = LanguageModel()
    opt = lm.configure_optimizers()
    stream = torch.randint(0, 100, (50, 4))
    for step, i in enumerate(range(0, 40, 10)):
        loss = lm.training_step(make_batch(stream, i), step)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("loss:", loss.item())
