import torch
import torch.nn as nn
from typing import Optional
from torch import Tensor


class CausalTransformerDecoder(nn.TransformerDecoder):
    """In training mode, teacher forcing makes the caching optimizations unnecessary. Hence the
    Decoder acts like a regular nn.TransformerDecoder."""

    def forward(self, tgt: Tensor, memory: Optional[Tensor] = None, cache: Optional[Tensor] = None) -> Tensor:
        output = tgt
        if self.training:
            if cache is not None:
                raise ValueError("cache parameter should be None in training mode")
            for mod in self.layers:
                output = mod(output, memory)
            return output

        new_token_cache = []
        for i, mod in enumerate(self.layers):
            output = mod(output, memory)
            new_token_cache.append(output)
            if cache is not None:
                output = torch.cat([cache[i], output], dim=0)
        new_cache = torch.stack(new_token_cache, dim=0) if cache is None else \
            torch.cat([cache, torch.stack(new_token_cache, dim=0)], dim=1)
        return output, new_cache


class CausalTransformerDecoderLayer(nn.TransformerDecoderLayer):
    def forward(self, tgt: Tensor, memory: Optional[Tensor] = None) -> Tensor:
        if self.training:
            return super().forward(
                tgt,
                memory,
                tgt_mask=None,  # BUG
            )

        # This part is adapted from the official Pytorch implementation
        # So that only the last token gets modified and returned.
        tgt_last_tok = tgt[-1:, :, :]
        tmp_tgt = self.self_attn(tgt_last_tok, tgt, tgt, attn_mask=None)[0]
        tgt_last_tok = self.norm1(tgt_last_tok + self.dropout1(tmp_tgt))
        if memory is not None:
            tmp_tgt = self.multihead_attn(tgt_last_tok, memory, memory)[0]
            tgt_last_tok = self.norm2(tgt_last_tok + self.dropout2(tmp_tgt))
        tmp_tgt = self.linear2(self.dropout(self.activation(self.linear1(tgt_last_tok))))
        return self.norm3(tgt_last_tok + self.dropout3(tmp_tgt))


def generate_square_subsequent_mask(sz: int, device: str = "cpu") -> torch.Tensor:
    """ Generate the attention mask for causal decoding """
    mask = (torch.triu(torch.ones(sz, sz)) == 1).transpose(0, 1)
    mask = (
        mask.float()
        .masked_fill(mask == 0, float("-inf"))
        .masked_fill(mask == 1, float(0.0))
    ).to(device=device)
    return mask


if __name__ == "__main__":
    torch.manual_seed(0)
    hdim, seq_len, bsz = 8, 6, 2
    decoder = CausalTransformerDecoder(
        CausalTransformerDecoderLayer(d_model=hdim, nhead=2, dim_feedforward=16, dropout=0.0),
        num_layers=2,
    )
    decoder.train()
    tgt = torch.randn(seq_len, bsz, hdim)
    memory = torch.randn(4, bsz, hdim)
    edited = tgt.clone()
    edited[3:] = torch.randn(3, bsz, hdim)
    leak = (decoder(tgt, memory) - decoder(edited, memory))[:3].abs().max().item()
    print(f"training-mode future leak into positions 0-2: {leak:.4f}")
