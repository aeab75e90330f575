"""Word-level language model on WikiText-style batches (bptt, batch) -- seq-first layout."""
import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.1, max_len=5000):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return self.dropout(x + self.pe[: x.size(0)])


class TransformerModel(nn.Module):
    def __init__(self, ntoken, d_model=200, nhead=2, d_hid=200, nlayers=2, dropout=0.2):
        super().__init__()
        self.pos_encoder = PositionalEncoding(d_model, dropout)
        encoder_layers = nn.TransformerEncoderLayer(d_model, nhead, d_hid, dropout)
        self.transformer_encoder = nn.TransformerEncoder(encoder_layers, nlayers, enable_nested_tensor=False)
        self.embedding = nn.Embedding(ntoken, d_model)
        self.d_model = d_model
        self.linear = nn.Linear(d_model, ntoken)

    def forward(self, src):  # src: (seq_len, batch)
        src_mask = nn.Transformer.generate_square_subsequent_mask(src.size(0)).to(src.device)
        src = self.pos_encoder(self.embedding(src) * math.sqrt(self.d_model))
        output = self.transformer_encoder(src, src_mask)
        return self.linear(output)


def batchify(data, bsz):
    seq_len = data.size(0) // bsz
    return data[: seq_len * bsz].view(bsz, seq_len).t().contiguous()


if __name__ == "__main__":
    torch.manual_seed(0)
    train_data = batchify(torch.randint(0, 1000, (2000,)), 20)   # (100, 20)
    model = TransformerModel(1000)
    data, targets = train_data[:35], train_data[1:36].reshape(-1)
    output = model(data)
    loss = nn.functional.cross_entropy(output.view(-1, 1000), targets)
    loss.backward()
    print("bptt loss", round(loss.item(), 4))
