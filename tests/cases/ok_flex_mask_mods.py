"""FlexAttention mask_mods in the right convention (True = may attend), including ones that
deliberately let a query see later keys (prefix-LM) or only its own document."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, create_mask, flex_attention


def causal(b, h, q_idx, kv_idx):
    return q_idx >= kv_idx


def make_padded_causal(lengths):
    def mask_mod(b, h, q_idx, kv_idx):
        return (q_idx >= kv_idx) & (kv_idx < lengths[b])

    return mask_mod


def make_sliding_window(window):
    def mask_mod(b, h, q_idx, kv_idx):
        return (q_idx >= kv_idx) & (q_idx - kv_idx < window)

    return mask_mod


def make_prefix_lm(prefix_lengths):
    def mask_mod(b, h, q_idx, kv_idx):
        return (kv_idx < prefix_lengths[b]) | (q_idx >= kv_idx)

    return mask_mod


def make_document_mask(document_ids):
    def mask_mod(b, h, q_idx, kv_idx):
        same_doc = document_ids[q_idx] == document_ids[kv_idx]
        return same_doc & (q_idx >= kv_idx)

    return mask_mod


class FlexSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads, window=256):
        super().__init__()
        self.n_heads = n_heads
        self.window = window
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.out = nn.Linear(d_model, d_model)

    def _split(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        return [t.view(B, T, self.n_heads, -1).transpose(1, 2) for t in (q, k, v)]

    def _merge(self, y):
        B, H, T, D = y.shape
        return self.out(y.transpose(1, 2).reshape(B, T, H * D))

    def forward(self, x, lengths=None, prefix_lengths=None, document_ids=None):
        B, T, C = x.shape
        q, k, v = self._split(x)
        if lengths is not None:
            mask_mod = make_padded_causal(lengths)
        elif prefix_lengths is not None:
            mask_mod = make_prefix_lm(prefix_lengths)
        elif document_ids is not None:
            mask_mod = make_document_mask(document_ids)
        else:
            mask_mod = make_sliding_window(self.window)
        block_mask = create_block_mask(mask_mod, B, None, T, T, device=x.device)
        return self._merge(flex_attention(q, k, v, block_mask=block_mask))

    def reference(self, x):
        """Dense check of the causal case with a bool mask from create_mask (True = attend)."""
        B, T, C = x.shape
        q, k, v = self._split(x)
        dense = create_mask(causal, 1, 1, T, T, device=x.device)
        y = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=dense)
        return self._merge(y)
