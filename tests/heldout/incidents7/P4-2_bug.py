"""Next-token prediction demo in the style of the pytorch-lightning demos (lightning.pytorch.demos):
a Transformer wrapper around nn.Transformer and a hand-rolled LightningModule-like trainer."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class PositionalEncoding(nn.Module):
    def __init__(self, dim, dropout=0.1, max_len=256):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        pe = torch.zeros(max_len, dim)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, dim, 2) * (-math.log(10000.0) / dim))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return self.dropout(x + self.pe[:, : x.size(1)])


class Transformer(nn.Module):
    def __init__(self, vocab_size=33, ninp=32, nhead=2, nhid=64, nlayers=2, dropout=0.2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, ninp)
        self.transformer = nn.Transformer(d_model=ninp, nhead=nhead, num_encoder_layers=nlayers, num_decoder_layers=nlayers, dim_feedforward=nhid, dropout=dropout, batch_first=True)
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        self.decoder = nn.Linear(ninp, vocab_size)
        self.ninp = ninp
        self.vocab_size = vocab_size

    def forward(self, inputs, target):
        _, t = inputs.shape
        src = self.pos_encoder(self.embedding(inputs) * math.sqrt(self.ninp))
        target = self.pos_encoder(self.embedding(target) * math.sqrt(self.ninp))
        output = self.transformer(src, target)  # BUG
        return self.decoder(output).view(-1, self.vocab_size)


class LightningTransformer:
    """Minimal stand-in for a LightningModule: training_step + configure_optimizers."""

    def __init__(self, vocab_size=33):
        self.model = Transformer(vocab_size=vocab_size)

    def forward(self, inputs, target):
        return self.model(inputs, target)

    def training_step(self, batch, batch_idx):
        inputs, target = batch
        output = self.forward(inputs, target)
        return F.nll_loss(F.log_softmax(output, dim=-1), target.reshape(-1))

    def configure_optimizers(self):
        return torch.optim.SGD(self.model.parameters(), lr=0.1)


def fit(module, batches):
    optimizer = module.configure_optimizers()
    module.model.train()
    for batch_idx, batch in enumerate(batches):
        loss = module.training_step(batch, batch_idx)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    data = torch.randint(0, 33, (6, 21))
    batches = [(data[i: i + 2, :-1], data[i: i + 2, 1:]) for i in range(0, 6, 2)]
    print("final loss", fit(LightningTransformer(), batches))
