"""Seq2seq model using nn.Transformer with batch-first tensors."""
import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=128):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, d_model=32, nhead=4, num_layers=2):
        super().__init__()
        self.src_emb = nn.Embedding(src_vocab, d_model)
        self.tgt_emb = nn.Embedding(tgt_vocab, d_model)
        self.pos = PositionalEncoding(d_model)
        self.transformer = nn.Transformer(
            d_model=d_model, nhead=nhead, num_encoder_layers=num_layers, num_decoder_layers=num_layers,
            dim_feedforward=64, dropout=0.1, batch_first=True,
        )
        self.generator = nn.Linear(d_model, tgt_vocab)

    def forward(self, src, tgt):
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.shape[1]).to(tgt.device)
        out = self.transformer(self.pos(self.src_emb(src)), self.pos(self.tgt_emb(tgt)), tgt_mask=tgt_mask)
        return self.generator(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2SeqTransformer(30, 30)
    src = torch.randint(0, 30, (6, 9))
    tgt = torch.randint(0, 30, (6, 6))
    logits = model(src, tgt)
    loss = nn.functional.cross_entropy(logits.reshape(-1, 30), tgt.reshape(-1))
    loss.backward()
    print(logits.shape, loss.item())
