"""Correct: nn.Transformer seq2seq (batch_first=False, training) with causal tgt mask and src/tgt/memory padding masks."""
import torch
import torch.nn as nn

KIND = "correct"


class Seq2Seq(nn.Module):
    def __init__(self, vocab=30, E=16, H=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, E, padding_idx=0)
        self.tf = nn.Transformer(E, H, 2, 2, 32, dropout=0.1)
        self.out = nn.Linear(E, vocab)

    def forward(self, src, tgt):  # (S, N), (T, N)
        src_pad = (src == 0).T
        tgt_pad = (tgt == 0).T
        tgt_mask = self.tf.generate_square_subsequent_mask(tgt.size(0))
        h = self.tf(self.emb(src), self.emb(tgt), tgt_mask=tgt_mask, src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)
        return self.out(h)


def _setup():
    torch.manual_seed(0)
    src = torch.tensor([[1, 2, 3, 4, 5, 6], [7, 8, 9, 0, 0, 0]]).T.contiguous()
    tgt = torch.tensor([[1, 4, 6, 2, 3], [1, 5, 7, 0, 0]]).T.contiguous()
    return Seq2Seq().train(), src, tgt


def run():
    m, s, t = _setup()
    torch.manual_seed(8)
    return (m(s, t),)


def verify():
    m, s, t = _setup()
    torch.manual_seed(8)
    a = m(s, t)
    t2 = t.clone()
    t2[2, 0] = 9  # future target token of sample 0
    with torch.no_grad():
        m.emb.weight[0] += 1.0  # pad embedding (source and target pads)
    torch.manual_seed(8)
    b = m(s, t2)
    d = max((a[:2, 0] - b[:2, 0]).abs().max().item(), (a[:3, 1] - b[:3, 1]).abs().max().item())
    return d == 0.0 and not torch.isnan(a).any(), f"past/real outputs moved by {d}"
