"""Abstractive summariser for support tickets (nn.Transformer, padded batches)."""
import math

import torch
import torch.nn as nn

PAD_ID, BOS_ID = 0, 1


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=1024):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class TicketSummarizer(nn.Module):
    def __init__(self, vocab=16000, d_model=256, nhead=8, enc_layers=3, dec_layers=3):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model, padding_idx=PAD_ID)
        self.posenc = PositionalEncoding(d_model)
        self.model = nn.Transformer(d_model, nhead, enc_layers, dec_layers, 1024, dropout=0.1, batch_first=True)
        self.generator = nn.Linear(d_model, vocab)

    def forward(self, src_ids, tgt_ids):
        src_pad = src_ids == PAD_ID
        tgt_pad = tgt_ids == PAD_ID
        causal = self.model.generate_square_subsequent_mask(tgt_ids.size(1), dtype=torch.bool)
        out = self.model(  # expect: ML502
            self.posenc(self.embed(src_ids)),
            self.posenc(self.embed(tgt_ids)),
            tgt_mask=causal,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
        )
        return self.generator(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    src = torch.randint(2, 16000, (4, 120))
    for i, n in enumerate([120, 64, 97, 30]):
        src[i, n:] = PAD_ID
    tgt = torch.randint(2, 16000, (4, 25))
    tgt[:, 0] = BOS_ID
    tgt[3, 12:] = PAD_ID
    model = TicketSummarizer()
    logits = model(src, tgt[:, :-1])
    loss = nn.functional.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=PAD_ID)
    loss.backward()
    print("summary xent", round(loss.item(), 4))
