from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor


class CausalTransformerDecoderLayer(nn.TransformerDecoderLayer):
    def forward(self, tgt: Tensor, memory: Optional[Tensor] = None, **kwargs) -> Tensor:
        if self.training:
            return super().forward(tgt, memory, **kwargs)
        tgt_last_tok = tgt[-1:, :, :]
        tmp_tgt = self.self_attn(tgt_last_tok, tgt, tgt, attn_mask=None, key_padding_mask=None)[0]
        tgt_last_tok = self.norm1(tgt_last_tok + self.dropout1(tmp_tgt))
        if memory is not None:
            tmp_tgt = self.multihead_attn(tgt_last_tok, memory, memory)[0]
            tgt_last_tok = self.norm2(tgt_last_tok + self.dropout2(tmp_tgt))
        tmp_tgt = self.linear2(self.dropout(self.activation(self.linear1(tgt_last_tok))))
        return self.norm3(tgt_last_tok + self.dropout3(tmp_tgt))


class CausalTransformerDecoder(nn.TransformerDecoder):
    def forward(self, tgt: Tensor, memory: Optional[Tensor] = None, cache: Optional[Tensor] = None,
                memory_key_padding_mask: Optional[Tensor] = None):
        output = tgt
        if self.training:
            if cache is not None:
                raise ValueError("cache parameter should be None in training mode")
            for mod in self.layers:
                output = mod(output, memory, memory_key_padding_mask=memory_key_padding_mask)  # BUG
            return output, None

        new_token_cache = []
        for i, mod in enumerate(self.layers):
            output = mod(output, memory)
            new_token_cache.append(output)
            if cache is not None:
                output = torch.cat([cache[i], output], dim=0)
        new_cache = torch.stack(new_token_cache, dim=0)
        if cache is not None:
            new_cache = torch.cat([cache, new_cache], dim=1)
        return output, new_cache


def build_decoder(d_model=64, nhead=4, num_layers=2, dim_feedforward=128):
    layer = CausalTransformerDecoderLayer(d_model, nhead, dim_feedforward, dropout=0.1)
    return CausalTransformerDecoder(layer, num_layers)


class Captioner(nn.Module):
    def __init__(self, vocab, d_model=64):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.decoder = build_decoder(d_model)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, tokens, memory, memory_key_padding_mask=None):
        x = self.embed(tokens).transpose(0, 1)
        h, _ = self.decoder(x, memory, memory_key_padding_mask=memory_key_padding_mask)
        return self.out(h).transpose(0, 1)
