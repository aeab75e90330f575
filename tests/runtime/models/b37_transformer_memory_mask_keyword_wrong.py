"""Buggy: nn.Transformer with every mask by keyword, but memory_key_padding_mask is built from the
decoder input (a copy-paste of the target's padding line): padded source keys are attended."""
import torch
import torch.nn as nn

KIND = "buggy"


def padding_masks(src, tgt, pad=0):
    return {"src_key_padding_mask": src.eq(pad), "tgt_key_padding_mask": tgt.eq(pad),
            "memory_key_padding_mask": tgt.eq(pad)}


class Translator(nn.Module):
    def __init__(self, vocab=30, dim=16):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.tf = nn.Transformer(dim, 2, 1, 1, 32, dropout=0.1, batch_first=True)
        self.out = nn.Linear(dim, vocab)

    def forward(self, src, tgt):
        masks = padding_masks(src, tgt)
        tgt_mask = self.tf.generate_square_subsequent_mask(tgt.size(1))
        h = self.tf(self.emb(src), self.emb(tgt), tgt_mask=tgt_mask, **masks)  # expect: ML503
        return self.out(h)


def run():
    torch.manual_seed(0)
    src = torch.tensor([[1, 2, 3, 4, 5, 6, 7], [7, 8, 9, 0, 0, 0, 0]])
    tgt = torch.tensor([[1, 4, 6, 2, 3, 8, 9], [1, 5, 7, 2, 4, 0, 0]])
    model = Translator().train()
    out = model(src, tgt)
    out.sum().backward()
    return (out.detach(), model.emb.weight.grad)
