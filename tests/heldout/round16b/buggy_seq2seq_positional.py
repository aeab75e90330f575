import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=512):
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
    def __init__(self, src_vocab, tgt_vocab, d_model=64, nhead=4, layers=2, pad_idx=1):
        super().__init__()
        self.pad_idx = pad_idx
        self.src_emb = nn.Embedding(src_vocab, d_model, padding_idx=pad_idx)
        self.tgt_emb = nn.Embedding(tgt_vocab, d_model, padding_idx=pad_idx)
        self.pos = PositionalEncoding(d_model)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 128, dropout=0.1, batch_first=True)
        self.generator = nn.Linear(d_model, tgt_vocab)

    def forward(self, src, tgt, src_padding_mask, tgt_padding_mask, tgt_mask):
        s = self.pos(self.src_emb(src))
        t = self.pos(self.tgt_emb(tgt))
        out = self.transformer(s, t, tgt_mask=tgt_mask, src_key_padding_mask=src_padding_mask,
                               tgt_key_padding_mask=tgt_padding_mask, memory_key_padding_mask=src_padding_mask)
        return self.generator(out)


def create_masks(src, tgt, pad_idx):
    tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(1), device=tgt.device, dtype=torch.bool)
    return src == pad_idx, tgt == pad_idx, tgt_mask


def train_step(model, optimizer, src, tgt, pad_idx=1):
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
    src_pad, tgt_pad, tgt_mask = create_masks(src, tgt_in, pad_idx)
    logits = model(src, tgt_in, tgt_pad, src_pad, tgt_mask)  # expect: ML503
    loss = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt_out.reshape(-1), ignore_index=pad_idx)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2SeqTransformer(100, 120)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    src = torch.randint(4, 100, (8, 16))
    tgt = torch.randint(4, 120, (8, 17))
    src[:4, 10:] = 1
    tgt[4:, 12:] = 1
    print(train_step(model, opt, src, tgt))
