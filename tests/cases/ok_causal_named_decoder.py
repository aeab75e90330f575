"""A causal decoder that passes its causal mask, and a causality classifier that is not causal (silent)."""
import torch.nn as nn


class CausalDecoder(nn.TransformerDecoder):
    def forward(self, tgt, memory, memory_key_padding_mask=None):
        mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(0), device=tgt.device)
        out = tgt
        for layer in self.layers:
            out = layer(out, memory, tgt_mask=mask, tgt_is_causal=True,
                        memory_key_padding_mask=memory_key_padding_mask)
        return out


class CausalityClassifier(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.encoder = nn.TransformerEncoderLayer(d, 4, batch_first=True)

    def forward(self, x):
        return self.encoder(x)[:, 0]


class NonCausalDecoder(nn.TransformerDecoder):
    """Bidirectional on purpose (a non-autoregressive decoder)."""

    def forward(self, tgt, memory):
        out = tgt
        for layer in self.layers:
            out = layer(out, memory)
        return out
