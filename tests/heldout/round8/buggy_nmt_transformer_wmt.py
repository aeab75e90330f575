"""fairseq-style transformer NMT model (transformer_wmt_en_de, shrunk) built on
torch.nn.Transformer, with label-smoothed cross entropy on shifted targets."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class SinusoidalPositions(nn.Module):
    def __init__(self, dim, max_len=512):
        super().__init__()
        pe = torch.zeros(max_len, dim)
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, dim, 2) * (-math.log(10000.0) / dim))
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
        self.register_buffer("pe", pe, persistent=False)

    def forward(self, x):
        return x + self.pe[: x.size(1)]


class TransformerNMT(nn.Module):
    def __init__(self, src_vocab=800, tgt_vocab=800, d=64, heads=4, layers=2, pad=1):
        super().__init__()
        self.pad = pad
        self.src_emb = nn.Embedding(src_vocab, d, padding_idx=pad)
        self.tgt_emb = nn.Embedding(tgt_vocab, d, padding_idx=pad)
        self.pos = SinusoidalPositions(d)
        self.scale = math.sqrt(d)
        self.transformer = nn.Transformer(d, heads, layers, layers, 4 * d, dropout=0.0, batch_first=True)
        self.out = nn.Linear(d, tgt_vocab)

    def forward(self, src_tokens, prev_output_tokens):
        src_pad = src_tokens.eq(self.pad)
        tgt_pad = prev_output_tokens.eq(self.pad)
        T = prev_output_tokens.size(1)
        future = torch.ones(T, T, dtype=torch.bool, device=src_tokens.device).triu(1)
        h = self.transformer(
            self.pos(self.src_emb(src_tokens) * self.scale),
            self.pos(self.tgt_emb(prev_output_tokens) * self.scale),
            tgt_mask=future,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=tgt_pad,  # expect: ML503
        )
        return self.out(h)


def label_smoothed_nll(logits, target, eps=0.1, ignore_index=1):
    lprobs = logits.log_softmax(-1)
    nll = -lprobs.gather(-1, target.unsqueeze(-1)).squeeze(-1)
    smooth = -lprobs.mean(-1)
    keep = target.ne(ignore_index)
    return (((1 - eps) * nll + eps * smooth) * keep).sum() / keep.sum()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerNMT()
    src = torch.randint(4, 800, (2, 11))
    src[1, 8:] = 1
    tgt = torch.randint(4, 800, (2, 9))
    tgt[0, 7:] = 1
    prev = torch.cat([torch.full((2, 1), 2), tgt[:, :-1]], 1)
    try:
        loss = label_smoothed_nll(model(src, prev), tgt)
        print("loss", loss.item())
    except (RuntimeError, AssertionError) as e:
        print("FAILURE SHOWN:", type(e).__name__, e)
