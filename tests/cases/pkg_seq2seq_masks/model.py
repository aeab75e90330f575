"""Translation model importing the mask module itself (``from . import masks``)."""
import torch.nn as nn
import torch.nn.functional as F

from . import masks


class Translator(nn.Module):
    def __init__(self, vocab, d_model=256, nhead=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, d_model)
        self.transformer = nn.Transformer(d_model, nhead, 3, 3, batch_first=True)
        self.proj = nn.Linear(d_model, vocab)

    def forward(self, src, tgt):
        tgt_mask, src_valid, tgt_valid = masks.create_masks(src, tgt, self.pad_id)
        out = self.transformer(
            self.embed(src),
            self.embed(tgt),
            tgt_mask=tgt_mask,
            src_key_padding_mask=src_valid,  # expect: ML101
            memory_key_padding_mask=src_valid,  # expect: ML101
        )
        return self.proj(out)


def train_step(model, src, tgt, opt):
    logits = model(src, tgt[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=model.pad_id)
    opt.zero_grad()
    loss.backward()
    opt.step()
