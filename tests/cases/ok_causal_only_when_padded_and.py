"""Causal masking on every path, whether a mask comes in or not (silent)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ScaledDotProduct(nn.Module):
    def __init__(self, causal=True):
        super().__init__()
        self.causal = causal

    def forward(self, q, k, v, att_mask=None):
        if self.causal:
            n = q.size(-2)
            causal = torch.tril(torch.ones(n, n, dtype=torch.bool, device=q.device))
            att_mask = causal if att_mask is None else att_mask & causal
        return F.scaled_dot_product_attention(q, k, v, attn_mask=att_mask)


class Padded(nn.Module):
    """Bidirectional: the padding mask is made 4-D only when it comes in 2-D."""

    def forward(self, q, k, v, keep=None):
        # keep: bool, True = attend
        if keep is not None and keep.dim() == 2:
            keep = keep[:, None, None, :]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)


class CrossBlock(nn.Module):
    """Converts the encoder's padding mask only when both the states and the mask come in."""

    def __init__(self, sdpa=True):
        super().__init__()
        self.sdpa = sdpa

    def forward(self, q, enc_k, enc_v, encoder_hidden_states=None, encoder_attention_mask=None):
        if encoder_hidden_states is not None and encoder_attention_mask is not None:
            if self.sdpa:
                encoder_attention_mask = encoder_attention_mask.bool()[:, None, None, :]
            else:
                encoder_attention_mask = (1.0 - encoder_attention_mask[:, None, None, :].float()) * -1e4
        return F.scaled_dot_product_attention(q, enc_k, enc_v, attn_mask=encoder_attention_mask)


def run():
    q = torch.randn(2, 4, 5, 8)
    enc = torch.randn(2, 4, 6, 8)
    mask = torch.ones(2, 6, dtype=torch.long)
    mask[1, 4:] = 0
    return CrossBlock()(q, enc, enc, enc, mask)
