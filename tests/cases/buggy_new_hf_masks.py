"""transformers 4.x-style decoder code: the padding-only mask builder used in a causal LM, and an
inverted extended mask handed to the attention-interface function."""
import torch
import torch.nn.functional as F
from torch import nn
from transformers.integrations.sdpa_attention import sdpa_attention_forward
from transformers.modeling_attn_mask_utils import _prepare_4d_attention_mask


class TinyCausalLM(nn.Module):
    def __init__(self, vocab, d=64, h=4):
        super().__init__()
        self.h = h
        self.embed = nn.Embedding(vocab, d)
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.lm_head = nn.Linear(d, vocab)
        self.is_causal = True

    def forward(self, input_ids, attention_mask):
        x = self.embed(input_ids)
        B, T, D = x.shape
        split = lambda t: t.view(B, T, self.h, D // self.h).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        # padding only: the causal part is missing (should be _prepare_4d_causal_attention_mask)
        mask = _prepare_4d_attention_mask(attention_mask, x.dtype, tgt_len=T)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML401
        return self.lm_head(y.transpose(1, 2).reshape(B, T, D))


class InvertedInterfaceBlock(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h = h
        self.is_causal = False
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x, attention_mask):
        B, T, D = x.shape
        split = lambda t: t.view(B, T, self.h, D // self.h).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        pad = attention_mask == 0  # True = padding
        out, _ = sdpa_attention_forward(self, q, k, v, pad[:, None, None, :])  # expect: ML102
        return out
