"""causal-transformer-decoder style: a stack of nn.TransformerDecoderLayer
used for autoregressive generation; in training the whole target is decoded
at once."""
import torch
import torch.nn as nn


class CausalTransformerDecoder(nn.TransformerDecoder):
    def forward(self, tgt, memory=None, cache=None, memory_key_padding_mask=None):
        output = tgt
        if self.training:
            if cache is not None:
                raise ValueError("cache parameter should be None in training mode")
            tgt_mask = generate_square_subsequent_mask(tgt.size(0)).to(tgt.device)
            for mod in self.layers:
                output = mod(output, memory, tgt_mask=tgt_mask, memory_key_padding_mask=memory_key_padding_mask)
            return output
        raise NotImplementedError("incremental decoding not reconstructed")


def generate_square_subsequent_mask(sz: int) -> torch.Tensor:
    return torch.triu(torch.full((sz, sz), float("-inf")), diagonal=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = nn.TransformerDecoderLayer(d_model=16, nhead=2, dim_feedforward=32, dropout=0.0)
    decoder = CausalTransformerDecoder(layer, num_layers=2).train()
    tgt = torch.randn(6, 2, 16)
    memory = torch.randn(4, 2, 16)
    tgt2 = tgt.clone(); tgt2[-1] = torch.randn(2, 16)
    a, b = decoder(tgt, memory), decoder(tgt2, memory)
    print("prefix change when last target changes:", (a[:-1] - b[:-1]).abs().max().item())
