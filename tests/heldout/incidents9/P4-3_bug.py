from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor


class CausalTransformerDecoderLayer(nn.TransformerDecoderLayer):
    def forward(self, tgt: Tensor, memory: Tensor, tgt_mask: Optional[Tensor] = None, **kwargs) -> Tensor:
        if self.training:
            return super().forward(tgt, memory, tgt_mask=tgt_mask)
        # inference: only the last token is new; it may attend to everything before it
        tgt_last_tok = tgt[-1:, :, :]
        tmp = self.self_attn(tgt_last_tok, tgt, tgt, need_weights=False)[0]
        tgt_last_tok = self.norm1(tgt_last_tok + self.dropout1(tmp))
        tmp = self.multihead_attn(tgt_last_tok, memory, memory, need_weights=False)[0]
        tgt_last_tok = self.norm2(tgt_last_tok + self.dropout2(tmp))
        tmp = self.linear2(self.dropout(self.activation(self.linear1(tgt_last_tok))))
        return self.norm3(tgt_last_tok + self.dropout3(tmp))


class CausalTransformerDecoder(nn.TransformerDecoder):
    """Decoder with a cache, for fast step-by-step generation. Sequence-first layout (T, N, E)."""

    def forward(self, tgt: Tensor, memory: Tensor, cache: Optional[Tensor] = None, **kwargs):
        output = tgt
        if self.training:
            for mod in self.layers:
                output = mod(output, memory)  # BUG
            return output
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


if __name__ == "__main__":
    torch.manual_seed(0)
    d = 16
    decoder = CausalTransformerDecoder(CausalTransformerDecoderLayer(d_model=d, nhead=2, dim_feedforward=32, dropout=0.0), num_layers=2)
    decoder.train()
    tgt = torch.randn(6, 2, d)
    memory = torch.randn(4, 2, d)
    out = decoder(tgt, memory)
    tgt2 = tgt.clone()
    tgt2[-1] = torch.randn(2, d)
    out2 = decoder(tgt2, memory)
    print(out.shape)
    print("training outputs before the last step change:", (out2 - out)[:-1].abs().max().item())
