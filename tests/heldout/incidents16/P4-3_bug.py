from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor


def generate_square_subsequent_mask(sz: int, device: str = "cpu") -> torch.Tensor:
    """ Generate the attention mask for causal decoding """
    mask = (torch.triu(torch.ones(sz, sz)) == 1).transpose(0, 1)
    mask = mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, float(0.0)).to(device=device)
    return mask


class CausalTransformerDecoder(nn.TransformerDecoder):
    """Implementation of a transformer decoder based on torch implementation but
    more efficient at inference: the newest token only is recomputed, previous
    layer outputs are cached. Training uses the regular parallel forward."""

    def forward(self, tgt: Tensor, memory: Optional[Tensor] = None, cache: Optional[Tensor] = None,
                memory_key_padding_mask: Optional[Tensor] = None) -> Tensor:
        output = tgt

        if self.training:
            if cache is not None:
                raise ValueError("cache parameter should be None in training mode")
            for mod in self.layers:
                output = mod(output, memory, memory_key_padding_mask=memory_key_padding_mask)  # BUG: the parallel training pass gets no tgt_mask (generate_square_subsequent_mask): every target position sees the future
            return output

        new_token_cache = []
        for i, mod in enumerate(self.layers):
            output = mod(output, memory)
            new_token_cache.append(output)
            if cache is not None:
                output = torch.cat([cache[i], output], dim=0)
        if cache is not None:
            new_cache = torch.cat([cache, torch.stack(new_token_cache, dim=0)], dim=1)
        else:
            new_cache = torch.stack(new_token_cache, dim=0)
        return output, new_cache


class CausalDecoderLayer(nn.TransformerDecoderLayer):
    def forward(self, tgt, memory=None, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False):
        if self.training:
            return super().forward(tgt, memory, tgt_mask=tgt_mask,
                                   memory_key_padding_mask=memory_key_padding_mask)
        # inference: only the last token is a query
        tgt_last_tok = tgt[-1:, :, :]
        tmp = self.self_attn(tgt_last_tok, tgt, tgt, attn_mask=None, key_padding_mask=None)[0]
        tgt_last_tok = self.norm1(tgt_last_tok + self.dropout1(tmp))
        if memory is not None:
            tmp = self.multihead_attn(tgt_last_tok, memory, memory, key_padding_mask=memory_key_padding_mask)[0]
            tgt_last_tok = self.norm2(tgt_last_tok + self.dropout2(tmp))
        tmp = self.linear2(self.dropout(self.activation(self.linear1(tgt_last_tok))))
        return self.norm3(tgt_last_tok + self.dropout3(tmp))
