import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=512):
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
    def __init__(self, vocab_size=100, d_model=32, nhead=4, num_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pos = PositionalEncoding(d_model)
        self.transformer = nn.Transformer(
            d_model=d_model, nhead=nhead, num_encoder_layers=num_layers, num_decoder_layers=num_layers,
            dim_feedforward=64, dropout=0.1, batch_first=True,
        )
        self.generator = nn.Linear(d_model, vocab_size)

    def forward(self, src, tgt):
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.shape[0])  # BUG
        src_emb = self.pos(self.embed(src))
        tgt_emb = self.pos(self.embed(tgt))
        out = self.transformer(src_emb, tgt_emb, tgt_mask=tgt_mask)  # BUG
        return self.generator(out)


if __name__ == "__main__":
    model = Seq2SeqTransformer()
    src = torch.randint(0, 100, (4, 12))
    tgt = torch.randint(0, 100, (4, 10))
    model.eval()
    with torch.no_grad():
        print(model(src, tgt).shape)
