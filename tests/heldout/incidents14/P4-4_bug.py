import math
import warnings

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.1, max_len=5000):
        super(PositionalEncoding, self).__init__()
        self.dropout = nn.Dropout(p=dropout)
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer('pe', pe.unsqueeze(0).transpose(0, 1))

    def forward(self, x):
        return self.dropout(x + self.pe[:x.size(0), :])


class TransformerLM(nn.Module):
    """Chatbot-style LM: the context goes to the encoder, the reply (shifted right) to the decoder."""

    def __init__(self, ntoken, ninp, nhead, nhid, nlayers, dropout=0.5):
        super(TransformerLM, self).__init__()
        self.embed = nn.Embedding(ntoken, ninp)
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        self.transformer = nn.Transformer(ninp, nhead, nlayers, nlayers, nhid, dropout)
        self.out = nn.Linear(ninp, ntoken)
        self.ninp = ninp

    def forward(self, src, tgt):
        src = self.pos_encoder(self.embed(src) * math.sqrt(self.ninp))
        tgt = self.pos_encoder(self.embed(tgt) * math.sqrt(self.ninp))
        tgt_mask = None  # BUG
        output = self.transformer(src, tgt, tgt_mask=tgt_mask)
        return self.out(output)


def train_step(model, criterion, optimizer, src, reply):
    tgt_in, tgt_out = reply[:-1], reply[1:]
    logits = model(src, tgt_in)
    loss = criterion(logits.view(-1, logits.size(-1)), tgt_out.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == '__main__':
    warnings.filterwarnings('ignore', message='enable_nested_tensor')
    torch.manual_seed(0)
    model = TransformerLM(ntoken=40, ninp=8, nhead=2, nhid=16, nlayers=1, dropout=0.0).eval()
    src = torch.randint(0, 40, (5, 2))
    reply = torch.randint(0, 40, (7, 2))
    edited = reply.clone()
    edited[4:] = torch.randint(0, 40, (3, 2))
    with torch.no_grad():
        leak = (model(src, reply[:-1]) - model(src, edited[:-1]))[:4].abs().max().item()
    print(f'decoder future leak into positions 0-3: {leak:.4f}')
