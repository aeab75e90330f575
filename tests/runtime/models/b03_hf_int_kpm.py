"""Buggy: Hugging Face int64 attention_mask (1 = real token) passed raw as key_padding_mask. P2-3."""
import torch
import torch.nn as nn

KIND = "buggy"


class TextEncoder(nn.Module):
    def __init__(self, vocab=50, E=16, H=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, E)
        self.attn = nn.MultiheadAttention(E, H, batch_first=True)

    def forward(self, batch):
        x = self.emb(batch["input_ids"])
        out, _ = self.attn(x, x, x, key_padding_mask=batch["attention_mask"])  # expect: ML203
        return out


def _setup():
    torch.manual_seed(0)
    m = TextEncoder().train()
    ids = torch.tensor([[5, 6, 7, 8, 9, 10], [3, 4, 5, 0, 0, 0], [7, 8, 0, 0, 0, 0]])
    batch = {"input_ids": ids, "attention_mask": (ids != 0).long()}
    return m, batch


def run():
    m, batch = _setup()
    try:
        return (m(batch),)
    except Exception as e:  # torch rejects int masks
        return (f"{type(e).__name__}: {e}",)


def verify():
    m, batch = _setup()
    try:
        m(batch)
    except Exception as e:
        return True, f"torch raised {type(e).__name__}: {str(e)[:90]}"
    return False, "no error"
