import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class PositionalEncoding(nn.Module):
    def __init__(self, dim, max_len=64):
        super().__init__()
        pe = torch.zeros(max_len, dim)
        position = torch.arange(0, max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, dim, 2) * (-math.log(10000.0) / dim))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class Transformer(nn.Module):
    """Small seq2seq language model used by the demo trainer."""

    def __init__(self, vocab_size=33, ninp=32, nhead=4, nhid=64, nlayers=1):
        super().__init__()
        self.pos_encoder = PositionalEncoding(ninp)
        self.embedding = nn.Embedding(vocab_size, ninp)
        self.transformer = nn.Transformer(
            d_model=ninp, nhead=nhead, num_encoder_layers=nlayers, num_decoder_layers=nlayers,
            dim_feedforward=nhid, dropout=0.0, batch_first=True,
        )
        self.decoder = nn.Linear(ninp, vocab_size)
        self.ninp = ninp
        self.vocab_size = vocab_size
        self.src_mask = None

    def forward(self, inputs, target, mask=None):
        _, t = inputs.shape
        if mask is None and self.src_mask is None or self.src_mask.size(0) != t:
            self.src_mask = nn.Transformer.generate_square_subsequent_mask(t)
        src = self.pos_encoder(self.embedding(inputs) * math.sqrt(self.ninp))
        target = self.pos_encoder(self.embedding(target) * math.sqrt(self.ninp))
        output = self.transformer(src, target, tgt_mask=self.src_mask)  # BUG
        return self.decoder(output).view(-1, self.vocab_size)


def training_step(model, batch):
    inputs, target = batch
    output = model(inputs, target)
    return F.nll_loss(F.log_softmax(output, dim=-1), target.view(-1))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Transformer().eval()
    inputs = torch.randint(0, 33, (2, 10))
    target = torch.randint(0, 33, (2, 10))
    with torch.no_grad():
        loss = training_step(model, (inputs, target)).item()
        base = model(inputs, target).view(2, 10, -1)
        t2 = target.clone()
        t2[:, 5:] = (t2[:, 5:] + 3) % 33
        leak = (model(inputs, t2).view(2, 10, -1)[:, :5] - base[:, :5]).abs().max().item()
    print(f"future leak: max |d logits[:, :5]| after editing target 5.. = {leak:.4f}")
