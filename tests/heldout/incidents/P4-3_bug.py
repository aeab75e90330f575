from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor


class CausalTransformerDecoder(nn.TransformerDecoder):
    """Decoder that caches previously computed tokens so that generation costs O(n) per step."""

    def forward(self, tgt: Tensor, memory: Optional[Tensor] = None, cache: Optional[Tensor] = None):
        # tgt: (tgt_len, bsz, d_model), memory: (src_len, bsz, d_model)
        output = tgt
        if self.training:
            if cache is not None:
                raise ValueError("cache parameter should be None in training mode")
            for mod in self.layers:
                output = mod(output, memory)  # BUG: no tgt_mask, every position sees the whole target
            return output, None

        # inference: recompute with the causal mask and cache the newest position of every layer
        causal_mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(0), device=tgt.device)
        new_token_cache = []
        for mod in self.layers:
            output = mod(output, memory, tgt_mask=causal_mask)
            new_token_cache.append(output[-1:])
        new_cache = torch.stack(new_token_cache, dim=0)
        if cache is not None:
            new_cache = torch.cat([cache, new_cache], dim=1)
        return output, new_cache


class Seq2Seq(nn.Module):
    def __init__(self, vocab_size=21, d_model=8, nhead=2, num_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 16), num_layers,
                                             enable_nested_tensor=False)
        self.decoder = CausalTransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, 16), num_layers)
        self.out = nn.Linear(d_model, vocab_size)

    def forward(self, src, tgt):
        memory = self.encoder(self.embed(src))
        output, _ = self.decoder(self.embed(tgt), memory)
        return self.out(output)


def run():
    model = Seq2Seq()
    model.train()
    src = torch.randint(0, 21, (6, 2))
    tgt = torch.randint(0, 21, (5, 2))
    return model(src, tgt)
