"""A decoder whose name says it is causal and whose training path passes no causal mask (P4-3)."""
import torch.nn as nn


class CausalDecoder(nn.TransformerDecoder):
    def forward(self, tgt, memory, memory_key_padding_mask=None):
        out = tgt
        for layer in self.layers:
            out = layer(out, memory, memory_key_padding_mask=memory_key_padding_mask)  # expect: ML401
        return out
