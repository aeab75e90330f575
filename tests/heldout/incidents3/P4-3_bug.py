"""Transformer decoder with a per-layer cache for fast autoregressive generation (T x B x C)."""
from typing import List, Optional, Tuple

import torch
import torch.nn as nn


class CausalTransformerDecoderLayer(nn.TransformerDecoderLayer):
    def forward(self, tgt, memory, tgt_mask=None, memory_key_padding_mask=None, last_only=False):
        if not last_only:
            return super().forward(tgt, memory, tgt_mask=tgt_mask, memory_key_padding_mask=memory_key_padding_mask)
        # incremental step: only the newest position queries the prefix, so no mask is needed
        last = tgt[-1:]
        sa = self.self_attn(last, tgt, tgt, need_weights=False)[0]
        last = self.norm1(last + self.dropout1(sa))
        ca = self.multihead_attn(last, memory, memory, key_padding_mask=memory_key_padding_mask, need_weights=False)[0]
        last = self.norm2(last + self.dropout2(ca))
        ff = self.linear2(self.dropout(self.activation(self.linear1(last))))
        return self.norm3(last + self.dropout3(ff))


class CausalTransformerDecoder(nn.TransformerDecoder):
    def forward(self, tgt, memory, cache: Optional[List[torch.Tensor]] = None,
                memory_key_padding_mask=None) -> Tuple[torch.Tensor, Optional[List[torch.Tensor]]]:
        output = tgt
        if self.training:
            if cache is not None:
                raise ValueError("cache is only used at inference time")
            for mod in self.layers:
                output = mod(output, memory, memory_key_padding_mask=memory_key_padding_mask)  # BUG
            return output, None

        new_cache = []
        for i, mod in enumerate(self.layers):
            output = mod(output, memory, memory_key_padding_mask=memory_key_padding_mask, last_only=True)
            if cache is not None:
                output = torch.cat([cache[i], output], dim=0)
            new_cache.append(output)
        return output, new_cache
