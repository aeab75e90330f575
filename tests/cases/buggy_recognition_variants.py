"""Recognition: unsqueeze-extended tokenizer masks, one-sided window mask_mods, 4-D comparisons."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def unsqueezed_padding(q, k, v, attention_mask):
    extended = attention_mask.unsqueeze(1).unsqueeze(2)  # (N, 1, 1, S), 1 = real token
    return F.scaled_dot_product_attention(q, k, v, attn_mask=extended == 0)  # expect: ML102


def window_mask_mod(q, k, v, window: int):
    def local(b, h, q_idx, kv_idx):
        return q_idx - kv_idx >= window  # meant: hide what is further back than the window

    bm = create_block_mask(local, None, None, q.size(-2), q.size(-2))  # expect: ML102
    return flex_attention(q, k, v, block_mask=bm)


def inverted_additive(q, k, v, attention_mask):
    bias = attention_mask[:, None, None, :].to(q.dtype) * torch.finfo(q.dtype).min  # 1 = keep: inverted
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML103


def four_d_comparison(q, k, v, ids, pad_id: int):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=ids[:, None, None, :] == pad_id)  # expect: ML102


class Seq2Seq(nn.Module):
    """One decoder call without memory_key_padding_mask, reached through a helper: one finding."""

    def __init__(self, d=64):
        super().__init__()
        self.transformer = nn.Transformer(d, 4, 2, 2, batch_first=True)

    def decode(self, tgt, memory, tgt_mask):
        return self.transformer.decoder(tgt, memory, tgt_mask=tgt_mask)  # expect: ML502

    def forward(self, src, tgt, src_pad, tgt_mask):
        memory = self.transformer.encoder(src, src_key_padding_mask=src_pad)
        return self.decode(tgt, memory, tgt_mask)
