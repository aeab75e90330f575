"""Encoder-decoder NMT model assembled from nn.TransformerEncoder /
nn.TransformerDecoder (seq-first layout, batch_first=False)."""
import math

import torch
import torch.nn as nn

PAD_IDX, BOS_IDX, EOS_IDX = 1, 2, 3


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.1, max_len=5000):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(pos * div)
        pe[:, 0, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):  # x: (T, N, E)
        return self.dropout(x + self.pe[: x.size(0)])


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, d_model=512, nhead=8, layers=6, ff=2048, dropout=0.1):
        super().__init__()
        self.src_emb = nn.Embedding(src_vocab, d_model)
        self.tgt_emb = nn.Embedding(tgt_vocab, d_model)
        self.pos = PositionalEncoding(d_model, dropout)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, ff, dropout), layers)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, ff, dropout), layers)
        self.generator = nn.Linear(d_model, tgt_vocab)
        self.d_model = d_model

    def encode(self, src, src_pad):
        return self.encoder(self.pos(self.src_emb(src) * math.sqrt(self.d_model)), src_key_padding_mask=src_pad)

    def forward(self, src, tgt):
        # src: (S, N) token ids, tgt: (T, N) token ids (shifted right)
        src_pad = (src == PAD_IDX).transpose(0, 1)  # (N, S)
        tgt_pad = (tgt == PAD_IDX).transpose(0, 1)  # (N, T)
        T = tgt.size(0)
        # 1 above the diagonal marks the future
        tgt_mask = torch.triu(torch.ones(T, T, device=tgt.device), diagonal=1)
        memory = self.encode(src, src_pad)
        out = self.decoder(
            self.pos(self.tgt_emb(tgt) * math.sqrt(self.d_model)),
            memory,
            tgt_mask=tgt_mask,  # expect: ML202
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=src_pad,
        )
        return self.generator(out)


def train_step(model, optimizer, src, tgt):
    tgt_in, tgt_out = tgt[:-1], tgt[1:]
    logits = model(src, tgt_in)
    loss = nn.functional.cross_entropy(
        logits.reshape(-1, logits.size(-1)), tgt_out.reshape(-1), ignore_index=PAD_IDX
    )
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
