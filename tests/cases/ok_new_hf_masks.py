"""The same models with the documented builders and conventions."""
import torch
import torch.nn.functional as F
from torch import nn
from transformers.integrations.sdpa_attention import sdpa_attention_forward
from transformers.masking_utils import create_causal_mask
from transformers.modeling_attn_mask_utils import _prepare_4d_causal_attention_mask


class TinyCausalLM(nn.Module):
    def __init__(self, vocab, d=64, h=4):
        super().__init__()
        self.h = h
        self.embed = nn.Embedding(vocab, d)
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, input_ids, attention_mask):
        x = self.embed(input_ids)
        B, T, D = x.shape
        split = lambda t: t.view(B, T, self.h, D // self.h).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        mask = _prepare_4d_causal_attention_mask(attention_mask, (B, T), x, 0)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.lm_head(y.transpose(1, 2).reshape(B, T, D))


class InterfaceCausalLM(nn.Module):
    def __init__(self, config, vocab, d=64, h=4):
        super().__init__()
        self.config = config
        self.h = h
        self.is_causal = True
        self.embed = nn.Embedding(vocab, d)
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, input_ids, attention_mask, cache_position):
        x = self.embed(input_ids)
        B, T, D = x.shape
        split = lambda t: t.view(B, T, self.h, D // self.h).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        mask = create_causal_mask(config=self.config, input_embeds=x, attention_mask=attention_mask,
                                  cache_position=cache_position, past_key_values=None)
        out, _ = sdpa_attention_forward(self, q, k, v, mask)
        return self.lm_head(out.reshape(B, T, D))
