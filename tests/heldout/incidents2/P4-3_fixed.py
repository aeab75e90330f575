from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor


class CausalTransformerDecoder(nn.TransformerDecoder):
    """Decoder that caches previous layer outputs at inference time."""

    def forward(self, tgt: Tensor, memory: Optional[Tensor] = None, cache: Optional[Tensor] = None):
        # tgt: (T, B, E)
        output = tgt
        if self.training:
            if cache is not None:
                raise ValueError("cache parameter should be None in training mode")
            for mod in self.layers:
                output = mod(
                    output, memory,
                    tgt_mask=nn.Transformer.generate_square_subsequent_mask(output.size(0)).to(output.device),
                )
            return output, None

        new_token_cache = []
        for i, mod in enumerate(self.layers):
            output = mod.forward_last(output, memory) if hasattr(mod, "forward_last") else mod(
                output, memory,
                tgt_mask=nn.Transformer.generate_square_subsequent_mask(output.size(0)).to(output.device),
            )
            new_token_cache.append(output[-1:])
            if cache is not None:
                output = torch.cat([cache[i], output[-1:]], dim=0)
        return output, torch.stack(new_token_cache, dim=0)


def build_decoder(d_model: int = 256, nhead: int = 8, num_layers: int = 6) -> CausalTransformerDecoder:
    layer = nn.TransformerDecoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=1024)
    return CausalTransformerDecoder(layer, num_layers=num_layers)


if __name__ == "__main__":
    decoder = build_decoder()
    embed = nn.Embedding(1000, 256)
    head = nn.Linear(256, 1000)
    tokens = torch.randint(0, 1000, (20, 16))
    memory = torch.randn(30, 16, 256)
    decoder.train()
    out, _ = decoder(embed(tokens[:-1]), memory)
    loss = nn.functional.cross_entropy(head(out).view(-1, 1000), tokens[1:].reshape(-1))
    loss.backward()
    print(loss.item())
