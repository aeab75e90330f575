import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model: int, max_len: int = 512):
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
    def __init__(self, src_vocab: int, tgt_vocab: int, d_model: int = 256, nhead: int = 8, pad_idx: int = 1):
        super().__init__()
        self.pad_idx = pad_idx
        self.src_emb = nn.Embedding(src_vocab, d_model)
        self.tgt_emb = nn.Embedding(tgt_vocab, d_model)
        self.pos = PositionalEncoding(d_model)
        self.transformer = nn.Transformer(
            d_model=d_model, nhead=nhead, num_encoder_layers=3, num_decoder_layers=3,
            dim_feedforward=512, batch_first=True,
        )
        self.generator = nn.Linear(d_model, tgt_vocab)

    def forward(self, src: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
        # src: (B, S), tgt: (B, T)
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.shape[1]).to(tgt.device)
        src_padding_mask = src == self.pad_idx
        tgt_padding_mask = tgt == self.pad_idx
        out = self.transformer(
            self.pos(self.src_emb(src)), self.pos(self.tgt_emb(tgt)),
            tgt_mask=tgt_mask,
            src_key_padding_mask=src_padding_mask,
            tgt_key_padding_mask=tgt_padding_mask,
            memory_key_padding_mask=src_padding_mask,
        )
        return self.generator(out)


if __name__ == "__main__":
    model = Seq2SeqTransformer(src_vocab=8000, tgt_vocab=6000)
    src = torch.randint(2, 8000, (52, 30))
    tgt = torch.randint(2, 6000, (52, 27))
    print(model(src, tgt[:, :-1]).shape)
