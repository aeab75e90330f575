import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=64):
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(1, max_len, d_model)
        pe[0, :, 0::2] = torch.sin(position * div_term)
        pe[0, :, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, d_model=8, nhead=2, num_layers=1):
        super().__init__()
        self.src_emb = nn.Embedding(src_vocab, d_model)
        self.tgt_emb = nn.Embedding(tgt_vocab, d_model)
        self.pos = PositionalEncoding(d_model)
        self.transformer = nn.Transformer(d_model=d_model, nhead=nhead, num_encoder_layers=num_layers,
                                          num_decoder_layers=num_layers, dim_feedforward=16, batch_first=True)
        self.generator = nn.Linear(d_model, tgt_vocab)

    def forward(self, src, tgt):
        # src: (batch, src_len), tgt: (batch, tgt_len)
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.shape[1])
        src = self.pos(self.src_emb(src))
        tgt = self.pos(self.tgt_emb(tgt))
        out = self.transformer(src, tgt, tgt_mask=tgt_mask)
        return self.generator(out)


def run():
    model = Seq2SeqTransformer(src_vocab=17, tgt_vocab=19)
    src = torch.randint(1, 17, (2, 6))
    tgt = torch.randint(1, 19, (2, 5))
    model.eval()
    with torch.no_grad():
        return model(src, tgt)
