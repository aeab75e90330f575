from typing import Optional

import torch
import torch.nn as nn


class CausalTransformerDecoder(nn.TransformerDecoder):
    """Decoder that caches previous outputs at inference; full-sequence pass in training."""

    def forward(self, tgt, memory=None, cache=None, memory_key_padding_mask=None):
        output = tgt
        if self.training:
            if cache is not None:
                raise ValueError("cache parameter should be None in training mode")
            for mod in self.layers:
                output = mod(output, memory, tgt_mask=nn.Transformer.generate_square_subsequent_mask(tgt.size(0)), memory_key_padding_mask=memory_key_padding_mask)  # BUG
            return output
        new_token_cache = []
        for i, mod in enumerate(self.layers):
            output = mod.forward_last(output, memory)
            new_token_cache.append(output)
            if cache is not None:
                output = torch.cat([cache[i], output], dim=0)
        new_cache = torch.stack(new_token_cache, dim=0) if cache is None else torch.cat([cache, torch.stack(new_token_cache, dim=0)], dim=1)
        return output, new_cache


class CausalTransformerDecoderLayer(nn.TransformerDecoderLayer):
    def forward_last(self, tgt, memory: Optional[torch.Tensor] = None):
        tgt_last = tgt[-1:]
        tmp = self.self_attn(tgt_last, tgt, tgt, need_weights=False)[0]
        tgt_last = self.norm1(tgt_last + tmp)
        if memory is not None:
            tgt_last = self.norm2(tgt_last + self.multihead_attn(tgt_last, memory, memory, need_weights=False)[0])
        return self.norm3(tgt_last + self.linear2(self.activation(self.linear1(tgt_last))))


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = CausalTransformerDecoderLayer(d_model=32, nhead=4, dim_feedforward=64, dropout=0.0)
    decoder = CausalTransformerDecoder(layer, num_layers=2)
    decoder.train()
    tgt = torch.randn(8, 2, 32)
    memory = torch.randn(5, 2, 32)
    out = decoder(tgt, memory)
    tgt2 = tgt.clone()
    tgt2[4:] = torch.randn(4, 2, 32)
    leak = (decoder(tgt2, memory)[:4] - out[:4]).abs().max().item()
    print(f"training pass future leak: max |d out[:4]| after editing steps 4.. = {leak:.4f}")
