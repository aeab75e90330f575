from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor


def generate_square_subsequent_mask(sz: int, device: str = "cpu") -> torch.Tensor:
    return torch.triu(torch.full((sz, sz), float("-inf"), device=device), diagonal=1)


class CausalTransformerDecoder(nn.TransformerDecoder):
    def forward(self, tgt: Tensor, memory: Optional[Tensor] = None, cache: Optional[Tensor] = None,
                memory_mask: Optional[Tensor] = None, tgt_key_padding_mask: Optional[Tensor] = None,
                memory_key_padding_mask: Optional[Tensor] = None):
        output = tgt
        if self.training:
            if cache is not None:
                raise ValueError("cache parameter should be None in training mode")
            for mod in self.layers:
                output = mod(output, memory, memory_mask=memory_mask, tgt_key_padding_mask=tgt_key_padding_mask,
                             memory_key_padding_mask=memory_key_padding_mask)
            return output
        new_token_cache = []
        for i, mod in enumerate(self.layers):
            output = mod(output, memory)
            new_token_cache.append(output)
            if cache is not None:
                output = torch.cat([cache[i], output], dim=0)
        new_cache = torch.stack(new_token_cache, dim=0) if cache is None else torch.cat([cache, torch.stack(new_token_cache, dim=0)], dim=1)
        return output, new_cache


class CausalTransformerDecoderLayer(nn.TransformerDecoderLayer):
    def forward(self, tgt: Tensor, memory: Optional[Tensor] = None, tgt_mask: Optional[Tensor] = None,
                memory_mask: Optional[Tensor] = None, tgt_key_padding_mask: Optional[Tensor] = None,
                memory_key_padding_mask: Optional[Tensor] = None, **kwargs):
        if self.training:
            return super().forward(
                tgt, memory,
                tgt_mask=None,  # BUG
                memory_mask=memory_mask,
                tgt_key_padding_mask=tgt_key_padding_mask,
                memory_key_padding_mask=memory_key_padding_mask,
            )
        tgt_last_tok = tgt[-1:, :, :]
        tmp_tgt = self.self_attn(tgt_last_tok, tgt, tgt, attn_mask=None, key_padding_mask=tgt_key_padding_mask)[0]
        tgt_last_tok = self.norm1(tgt_last_tok + self.dropout1(tmp_tgt))
        if memory is not None:
            tmp_tgt = self.multihead_attn(tgt_last_tok, memory, memory, attn_mask=memory_mask, key_padding_mask=memory_key_padding_mask)[0]
            tgt_last_tok = self.norm2(tgt_last_tok + self.dropout2(tmp_tgt))
        tmp_tgt = self.linear2(self.dropout(self.activation(self.linear1(tgt_last_tok))))
        return self.norm3(tgt_last_tok + self.dropout3(tmp_tgt))


if __name__ == "__main__":
    torch.manual_seed(0)
    hdim, nhead = 16, 2
    decoder = CausalTransformerDecoder(CausalTransformerDecoderLayer(d_model=hdim, nhead=nhead, dim_feedforward=32, dropout=0.0), num_layers=2)
    src = torch.rand(7, 3, hdim)
    tgt = torch.rand(6, 3, hdim)
    decoder.train()
    out = decoder(tgt, src)
    tgt2 = tgt.clone()
    tgt2[-1] += 1.0
    out2 = decoder(tgt2, src)
    print(f"training-mode prefix change when last target step changes: {(out[:-1] - out2[:-1]).abs().max().item():.3e}")
