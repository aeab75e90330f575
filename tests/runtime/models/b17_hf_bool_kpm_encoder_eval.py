"""Buggy: Hugging Face attention_mask (1 = real) converted with .bool() and passed as src_key_padding_mask
(True = pad) to a TransformerEncoder in eval + no_grad: inverted; the unpadded sample is fully masked."""
import torch
import torch.nn as nn

KIND = "buggy"


class Classifier(nn.Module):
    def __init__(self, vocab=40, E=16, H=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, E, padding_idx=0)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, 32, batch_first=True), 2)
        self.cls = nn.Linear(E, 3)

    def forward(self, input_ids, attention_mask):
        h = self.enc(self.emb(input_ids), src_key_padding_mask=attention_mask.bool())  # expect: ML101|ML602
        return self.cls(h[:, 0])


def _tokenize():
    ids = torch.tensor([[5, 6, 7, 8, 9, 10], [3, 4, 5, 6, 0, 0], [7, 8, 9, 0, 0, 0]])
    return {"input_ids": ids, "attention_mask": (ids != 0).to(torch.int64)}


def _setup():
    torch.manual_seed(0)
    return Classifier().eval(), _tokenize()


def run():
    m, b = _setup()
    with torch.no_grad():
        return (m(**b),)


def verify():
    m, b = _setup()
    with torch.no_grad():
        out = m(**b)
    nan = torch.isnan(out).any(-1)
    return bool(nan[0]), f"samples with NaN logits: {nan.nonzero().flatten().tolist()} (sample 0 has no padding)"
