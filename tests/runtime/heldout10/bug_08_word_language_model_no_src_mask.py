# EXPECT: bug the next-token TransformerEncoder language model calls the encoder without a causal src mask, so each position attends to future tokens during training and generation.
"""Word-level language model in the style of pytorch/examples word_language_model (TransformerModel, time-major)."""
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


class TransformerModel(nn.Transformer):
    def __init__(self, ntoken, ninp, nhead, nhid, nlayers, dropout=0.2):
        super().__init__(d_model=ninp, nhead=nhead, dim_feedforward=nhid, num_encoder_layers=nlayers)
        self.decoder = None
        self.input_emb = nn.Embedding(ntoken, ninp)
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        self.ninp = ninp
        for layer in self.encoder.layers:
            layer.dropout.p = dropout
            layer.dropout1.p = dropout
            layer.dropout2.p = dropout
        self.lm_decoder = nn.Linear(ninp, ntoken)
        initrange = 0.1
        nn.init.uniform_(self.input_emb.weight, -initrange, initrange)
        nn.init.zeros_(self.lm_decoder.bias)
        nn.init.uniform_(self.lm_decoder.weight, -initrange, initrange)

    def forward(self, src):
        src = self.input_emb(src) * math.sqrt(self.ninp)
        src = self.pos_encoder(src)
        output = self.encoder(src)  # BUG-SITE
        output = self.lm_decoder(output)
        return F.log_softmax(output, dim=-1)


def get_batch(source, i, bptt):
    seq_len = min(bptt, len(source) - 1 - i)
    return source[i:i + seq_len], source[i + 1:i + 1 + seq_len].reshape(-1)


def run():
    torch.manual_seed(0)
    ntokens = 50
    model = TransformerModel(ntokens, 32, 2, 64, 2, dropout=0.2)
    opt = torch.optim.SGD(model.parameters(), lr=5.0)
    corpus = torch.randint(0, ntokens, (40,))
    train_data = corpus.view(-1, 4)[:9]
    data, targets = get_batch(train_data, 0, 8)
    model.train()
    output = model(data)
    loss = F.nll_loss(output.view(-1, ntokens), targets)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
    opt.step()
    model.eval()
    words = []
    inp = corpus[:3].view(-1, 1)
    with torch.no_grad():
        for _ in range(5):
            out = model(inp)
            word_idx = out[-1].squeeze(0).argmax()
            words.append(word_idx)
            inp = torch.cat([inp, word_idx.view(1, 1)], 0)
    return [loss.detach(), *grads, torch.stack(words), out]
