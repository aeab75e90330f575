"""Buggy: causal tgt mask sized from tgt.size(0) (the batch) with batch_first=True. P3-5."""
import torch
import torch.nn as nn

KIND = "buggy"


class CaptionDecoder(nn.Module):
    def __init__(self, vocab=30, E=16, H=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, E)
        self.dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(E, H, 32, batch_first=True), 1)

    def forward(self, tgt, memory):
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(0))
        return self.dec(self.emb(tgt), memory, tgt_mask=tgt_mask)  # expect: ML303 also-ok: ML301


def _setup():
    torch.manual_seed(0)
    return CaptionDecoder().train(), torch.randint(0, 30, (3, 6)), torch.randn(3, 4, 16)


def run():
    m, t, mem = _setup()
    try:
        return (m(t, mem),)
    except Exception as e:
        return (f"{type(e).__name__}: {e}",)


def verify():
    m, t, mem = _setup()
    try:
        m(t, mem)
    except Exception as e:
        return True, f"torch raised {type(e).__name__}: {str(e)[:90]}"
    return False, "no error"
