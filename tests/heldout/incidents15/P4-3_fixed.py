from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor


class CausalTransformerDecoder(nn.TransformerDecoder):
    """Uses a cache of previously computed outputs at inference; full sequence at training."""

    def forward(self, tgt: Tensor, memory: Optional[Tensor] = None, cache: Optional[Tensor] = None,
                memory_key_padding_mask: Optional[Tensor] = None):
        output = tgt
        if self.training:
            if cache is not None:
                raise ValueError("cache parameter should be None in training mode")
            for mod in self.layers:
                output = mod(
                    output,
                    memory,
                    memory_key_padding_mask=memory_key_padding_mask,
                    tgt_mask=nn.Transformer.generate_square_subsequent_mask(tgt.size(0)),  # BUG
                )
            return output

        new_token_cache = []
        for i, mod in enumerate(self.layers):
            last = output[-1:]
            sa = mod.self_attn(last, output, output)[0]
            x = mod.norm1(last + sa)
            x = mod.norm2(x + mod.multihead_attn(x, memory, memory, key_padding_mask=memory_key_padding_mask)[0])
            x = mod.norm3(x + mod.linear2(mod.activation(mod.linear1(x))))
            new_token_cache.append(x)
            output = torch.cat([cache[i], x], dim=0) if cache is not None else x
        new_cache = torch.stack(new_token_cache) if cache is None else torch.cat([cache, torch.stack(new_token_cache)], dim=1)
        return output, new_cache


if __name__ == "__main__":
    torch.manual_seed(0)
    hdim = 16
    decoder = CausalTransformerDecoder(nn.TransformerDecoderLayer(d_model=hdim, nhead=2, dim_feedforward=32,
                                                                  dropout=0.0), num_layers=2)
    decoder.train()
    src = torch.randn(5, 2, hdim)
    tgt = torch.randn(6, 2, hdim)
    out = decoder(tgt, src)
    tgt2 = tgt.clone()
    tgt2[3:] = torch.randn(3, 2, hdim)
    out2 = decoder(tgt2, src)
    print(f"training: future-target leak into steps 0-2: {(out[:3] - out2[:3]).abs().max().item():.4f}")
