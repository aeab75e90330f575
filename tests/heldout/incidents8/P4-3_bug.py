from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor


class CausalTransformerDecoderLayer(nn.TransformerDecoderLayer):
    def forward(self, tgt: Tensor, memory: Optional[Tensor] = None, tgt_mask=None, memory_mask=None,
                tgt_key_padding_mask=None, memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False):
        if self.training:
            return super().forward(
                tgt, memory,
                tgt_mask=None,  # BUG
                memory_mask=memory_mask,
                tgt_key_padding_mask=tgt_key_padding_mask,
                memory_key_padding_mask=memory_key_padding_mask,
            )
        # inference: only compute the last token, attending to all previous ones
        tgt_last_tok = tgt[-1:, :, :]
        tmp_tgt = self.self_attn(tgt_last_tok, tgt, tgt, attn_mask=None, key_padding_mask=tgt_key_padding_mask)[0]
        tgt_last_tok = self.norm1(tgt_last_tok + self.dropout1(tmp_tgt))
        if memory is not None:
            tmp_tgt = self.multihead_attn(tgt_last_tok, memory, memory, attn_mask=memory_mask,
                                          key_padding_mask=memory_key_padding_mask)[0]
            tgt_last_tok = self.norm2(tgt_last_tok + self.dropout2(tmp_tgt))
        tmp_tgt = self.linear2(self.dropout(self.activation(self.linear1(tgt_last_tok))))
        return self.norm3(tgt_last_tok + self.dropout3(tmp_tgt))


class CausalTransformerDecoder(nn.TransformerDecoder):
    def forward(self, tgt, memory=None, cache=None, memory_key_padding_mask=None):
        output = tgt
        if self.training:
            for mod in self.layers:
                output = mod(output, memory, memory_key_padding_mask=memory_key_padding_mask)  # BUG
            return output
        new_token_cache = []
        for i, mod in enumerate(self.layers):
            output = mod(output, memory)
            new_token_cache.append(output)
            if cache is not None:
                output = torch.cat([cache[i], output], dim=0)
        new_cache = torch.stack(new_token_cache, dim=0) if cache is None else torch.cat([cache, torch.stack(new_token_cache, 0)], 1)
        return output, new_cache


if __name__ == "__main__":
    hdim, nhead = 32, 4
    decoder = CausalTransformerDecoder(CausalTransformerDecoderLayer(hdim, nhead, dim_feedforward=64), num_layers=2)
    decoder.train()
    tgt = torch.randn(10, 3, hdim)
    memory = torch.randn(7, 3, hdim)
    print(decoder(tgt, memory).shape)
