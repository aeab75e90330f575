# EXPECT: bug the square subsequent mask is torch.tril(torch.ones(sz, sz)) (a float 0/1 keep mask, the torch.log was dropped); nn.TransformerEncoder adds float masks to the scores, so future tokens are not masked in the language model.
"""Imitates pytorch/examples word_language_model (TransformerModel with
_generate_square_subsequent_mask, seq-first nn.TransformerEncoder, batchify /
get_batch over a token stream)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.1, max_len=64):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0).transpose(0, 1))

    def forward(self, x):
        return self.dropout(x + self.pe[: x.size(0), :])


class TransformerModel(nn.Module):
    def __init__(self, ntoken=40, ninp=32, nhead=4, nhid=64, nlayers=2, dropout=0.2):
        super().__init__()
        self.src_mask = None
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        encoder_layers = nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout)
        self.encoder = nn.TransformerEncoder(encoder_layers, nlayers, enable_nested_tensor=False)
        self.input_emb = nn.Embedding(ntoken, ninp)
        self.ninp = ninp
        self.decoder = nn.Linear(ninp, ntoken)

    def _generate_square_subsequent_mask(self, sz):
        return torch.tril(torch.ones(sz, sz))

    def forward(self, src, has_mask=True):
        if has_mask:
            if self.src_mask is None or self.src_mask.size(0) != len(src):
                self.src_mask = self._generate_square_subsequent_mask(len(src))
        else:
            self.src_mask = None
        src = self.pos_encoder(self.input_emb(src) * math.sqrt(self.ninp))
        output = self.encoder(src, mask=self.src_mask)  # BUG-SITE
        return F.log_softmax(self.decoder(output), dim=-1)


def batchify(data, bsz):
    nbatch = data.size(0) // bsz
    return data.narrow(0, 0, nbatch * bsz).view(bsz, -1).t().contiguous()


def get_batch(source, i, bptt=10):
    seq_len = min(bptt, len(source) - 1 - i)
    return source[i : i + seq_len], source[i + 1 : i + 1 + seq_len].reshape(-1)


def run():
    torch.manual_seed(0)
    model = TransformerModel()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    g = torch.Generator().manual_seed(53)
    train_data = batchify(torch.randint(0, 40, (120,), generator=g), 4)
    val_data = batchify(torch.randint(0, 40, (60,), generator=g), 3)

    model.train()
    data, targets = get_batch(train_data, 0)
    output = model(data)
    loss = F.nll_loss(output.view(-1, 40), targets)
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
    optimizer.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        vdata, vtargets = get_batch(val_data, 0, bptt=8)
        voutput = model(vdata)
        val_loss = F.nll_loss(voutput.view(-1, 40), vtargets)
        inp = vdata[:3, :1]
        for _ in range(4):
            word = model(inp)[-1].argmax(-1, keepdim=True).t()
            inp = torch.cat([inp, word], 0)
    return [loss.detach(), *grads, val_loss, voutput, inp]
