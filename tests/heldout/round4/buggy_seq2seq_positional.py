"""German->English translation with nn.Transformer (after the PyTorch tutorial)."""
import math

import torch
import torch.nn as nn

PAD_IDX, BOS_IDX, EOS_IDX = 1, 2, 3


class PositionalEncoding(nn.Module):
    def __init__(self, emb_size: int, dropout: float, maxlen: int = 5000):
        super().__init__()
        den = torch.exp(-torch.arange(0, emb_size, 2) * math.log(10000) / emb_size)
        pos = torch.arange(0, maxlen).reshape(maxlen, 1)
        pe = torch.zeros((maxlen, emb_size))
        pe[:, 0::2] = torch.sin(pos * den)
        pe[:, 1::2] = torch.cos(pos * den)
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return self.dropout(x + self.pe[:, : x.size(1)])


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, emb_size=512, nhead=8, layers=3, dim_ff=512, dropout=0.1):
        super().__init__()
        self.transformer = nn.Transformer(emb_size, nhead, layers, layers, dim_ff, dropout, batch_first=True)
        self.src_tok = nn.Embedding(src_vocab, emb_size, padding_idx=PAD_IDX)
        self.tgt_tok = nn.Embedding(tgt_vocab, emb_size, padding_idx=PAD_IDX)
        self.pos = PositionalEncoding(emb_size, dropout)
        self.generator = nn.Linear(emb_size, tgt_vocab)
        self.scale = math.sqrt(emb_size)

    def forward(self, src, trg, src_mask, tgt_mask, src_padding_mask, tgt_padding_mask,
                memory_key_padding_mask, memory_mask=None):
        src_emb = self.pos(self.src_tok(src) * self.scale)
        tgt_emb = self.pos(self.tgt_tok(trg) * self.scale)
        outs = self.transformer(src_emb, tgt_emb, src_mask, tgt_mask, memory_mask,
                                src_padding_mask, tgt_padding_mask, memory_key_padding_mask)
        return self.generator(outs)


def create_masks(src, tgt, device):
    S, T = src.size(1), tgt.size(1)
    tgt_mask = nn.Transformer.generate_square_subsequent_mask(T, device=device)
    src_mask = torch.zeros((S, S), device=device).type(torch.bool)
    return src_mask, tgt_mask, src == PAD_IDX, tgt == PAD_IDX


def train_epoch(model, loader, optimizer, device):
    model.train()
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD_IDX)
    total = 0.0
    for src, tgt in loader:
        src, tgt = src.to(device), tgt.to(device)
        tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
        src_mask, tgt_mask, src_pad, tgt_pad = create_masks(src, tgt_in, device)
        # same argument order as nn.Transformer.forward
        logits = model(
            src, tgt_in,
            src_mask, tgt_mask,
            None,
            src_pad,  # expect: ML503
            tgt_pad,  # expect: ML503
            src_pad,  # expect: ML501
        )
        loss = loss_fn(logits.reshape(-1, logits.size(-1)), tgt_out.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / max(1, len(loader))
