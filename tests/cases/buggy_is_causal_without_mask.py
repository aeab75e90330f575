"""is_causal=True used as if it were a mask (P4-5, P4-7).

On nn.TransformerEncoderLayer / nn.MultiheadAttention is_causal is only a *hint* about the mask
you pass: without a mask, training raises "Need attn_mask if specifying the is_causal hint" and
the eval fast path silently runs unmasked.  With a non-causal mask, the training path applies a
causal mask and ignores yours.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DecoderOnlyLM(nn.Module):
    def __init__(self, vocab_size, d_model=512, nhead=8, num_layers=6):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.layers = nn.ModuleList(
            [nn.TransformerEncoderLayer(d_model, nhead, 2048, batch_first=True) for _ in range(num_layers)]
        )
        self.lm_head = nn.Linear(d_model, vocab_size)

    def forward(self, tokens):
        x = self.embed(tokens)
        for layer in self.layers:
            x = layer(x, is_causal=True)  # expect: ML402
        return self.lm_head(x)


class CausalMHABlock(nn.Module):
    def __init__(self, d_model=512, nhead=8):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, x):
        h, _ = self.attn(x, x, x, need_weights=False, is_causal=True)  # expect: ML402
        return self.norm(x + h)


def local_window_mask(size, window, device=None):
    idx = torch.arange(size, device=device)
    return (idx[None, :] - idx[:, None]).abs() > window


class LocalAttentionEncoder(nn.Module):
    def __init__(self, d_model=256, nhead=4, window=32):
        super().__init__()
        self.window = window
        layer = nn.TransformerEncoderLayer(d_model, nhead, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=4)

    def forward(self, x):
        band = local_window_mask(x.size(1), self.window, x.device)
        return self.encoder(x, mask=band, is_causal=True)  # expect: ML402
