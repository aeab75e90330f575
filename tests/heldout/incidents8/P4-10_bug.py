import math

import torch
import torch.nn.functional as F
from torch import nn


class HunYuanConfig:
    vocab_size = 128
    hidden_size = 64
    num_attention_heads = 4
    num_hidden_layers = 2


def _prepare_4d_causal_attention_mask(attention_mask, input_shape, inputs_embeds):
    bsz, tgt_len = input_shape
    dtype = inputs_embeds.dtype
    min_val = torch.finfo(dtype).min
    causal = torch.full((tgt_len, tgt_len), min_val, dtype=dtype).triu(1)[None, None]
    padding = (1.0 - attention_mask[:, None, None, :].to(dtype)) * min_val
    return (causal + padding).clamp(min=min_val)


class HunYuanAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // self.num_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(bsz, q_len, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
        attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(attn_weights, v).transpose(1, 2).reshape(bsz, q_len, -1)
        return self.o_proj(out)


class HunYuanModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(HunYuanAttention(config) for _ in range(config.num_hidden_layers))
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        inputs_embeds = self.embed_tokens(input_ids)
        if attention_mask is not None:  # BUG
            attention_mask = _prepare_4d_causal_attention_mask(attention_mask, input_ids.shape, inputs_embeds)
        hidden_states = inputs_embeds
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, attention_mask=attention_mask)  # BUG
        return self.lm_head(hidden_states)

    @torch.no_grad()
    def generate(self, input_ids, attention_mask=None, max_new_tokens=4):
        for _ in range(max_new_tokens):
            logits = self(input_ids, attention_mask=attention_mask)
            next_tok = logits[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, next_tok], dim=-1)
            if attention_mask is not None:
                attention_mask = torch.cat([attention_mask, torch.ones_like(next_tok)], dim=-1)
        return input_ids


if __name__ == "__main__":
    model = HunYuanModel(HunYuanConfig()).eval()
    prompt = torch.randint(0, 128, (1, 6))
    print(model.generate(prompt).shape)
