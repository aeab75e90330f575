"""Generating from a bidirectional masked LM, "BERT has a mouth" style: append a [MASK] at the end,
run the (bidirectional) model, take the argmax at the last position, put it in place of the mask.
No causal mask is needed: the model is bidirectional by design and the last slot has no future."""
import torch
import torch.nn as nn


class TinyMaskedLM(nn.Module):
    def __init__(self, vocab=1000, d=64, heads=4, depth=2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(512, d)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, batch_first=True)
        self.body = nn.TransformerEncoder(layer, depth)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        pos = torch.arange(ids.size(1), device=ids.device)
        h = self.tok(ids) + self.pos(pos)[None]
        h = self.body(h, src_key_padding_mask=ids == self.pad_id)
        return self.head(h)

    @torch.no_grad()
    def write(self, ids, mask_id, steps=8):
        for _ in range(steps):
            slot = torch.full_like(ids[:, :1], mask_id)
            ids = torch.cat([ids, slot], dim=1)
            logits = self(ids)
            nxt = logits[:, -1].argmax(-1)
            ids[:, -1] = nxt
        return ids
