"""Near-misses of buggy_mask_dropped_on_one_backend.py: None where there is nothing to mask (no
encoder states, a mask that hides nothing), or a branch that converts the mask instead."""
import torch
import torch.nn as nn


class Decoder(nn.Module):
    def __init__(self, vocab=100, d=16, impl="sdpa"):
        super().__init__()
        self.impl = impl
        self.emb = nn.Embedding(vocab, d)
        self.layer = nn.TransformerDecoderLayer(d, 2, batch_first=True)

    def forward(self, ids, memory=None, memory_mask=None):
        if memory is not None:
            if memory_mask is None:
                memory_mask = torch.ones(memory.shape[:2], dtype=torch.bool, device=memory.device)
            memory_mask = ~memory_mask.bool()
            if self.impl == "sdpa":
                memory_mask = memory_mask.float().masked_fill(memory_mask, float("-inf"))
        else:
            memory_mask = None
            memory = self.emb(ids)
        t = ids.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(t)
        return self.layer(self.emb(ids), memory, tgt_mask=causal, memory_key_padding_mask=memory_mask)


class Reader(nn.Module):
    def __init__(self, vocab=100, d=16, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d, padding_idx=pad_id)
        self.layer = nn.TransformerEncoderLayer(d, 2, batch_first=True)

    def forward(self, ids):
        key_padding_mask = ids.eq(self.pad_id)
        if not key_padding_mask.any():
            key_padding_mask = None
        return self.layer(self.emb(ids), src_key_padding_mask=key_padding_mask)
