"""Correct: Hugging Face attention_mask inverted with ~mask.bool() as key_padding_mask, training."""
import torch
import torch.nn as nn

KIND = "correct"


class TextEncoder(nn.Module):
    def __init__(self, vocab=50, E=16, H=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, E, padding_idx=0)
        self.attn = nn.MultiheadAttention(E, H, dropout=0.1, batch_first=True)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        out, _ = self.attn(x, x, x, key_padding_mask=~attention_mask.bool())
        return out


def _setup():
    torch.manual_seed(0)
    ids = torch.tensor([[5, 6, 7, 8, 9, 10], [3, 4, 5, 0, 0, 0], [7, 8, 0, 0, 0, 0]])
    return TextEncoder().train(), ids, (ids != 0).long()


def run():
    m, ids, am = _setup()
    torch.manual_seed(4)
    return (m(ids, am),)


def verify():
    m, ids, am = _setup()
    torch.manual_seed(4)
    a = m(ids, am)
    with torch.no_grad():
        m.emb.weight[0] += 1.0
    torch.manual_seed(4)
    b = m(ids, am)
    real = am.bool()
    d = (a - b)[real].abs().max().item()
    return d == 0.0 and not torch.isnan(a).any(), f"real tokens moved by {d} when pad embedding changed"
