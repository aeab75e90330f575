import torch
import torch.nn as nn
import torch.nn.functional as F


class HunYuanConfig:
    vocab_size = 400
    hidden_size = 64
    num_attention_heads = 4
    num_hidden_layers = 2
    _attn_implementation = "eager"


def _prepare_4d_causal_attention_mask(attention_mask, input_shape, dtype, past_key_values_length=0):
    bsz, q_len = input_shape
    kv_len = q_len + past_key_values_length
    q_pos = torch.arange(past_key_values_length, kv_len, device=attention_mask.device)
    k_pos = torch.arange(kv_len, device=attention_mask.device)
    blocked = (k_pos[None, :] > q_pos[:, None])[None, None] | (attention_mask[:, None, None, :kv_len] == 0)
    return torch.zeros(bsz, 1, q_len, kv_len, dtype=dtype, device=attention_mask.device).masked_fill(blocked, torch.finfo(dtype).min)


class HunYuanAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.h = config.num_attention_heads
        self.d = config.hidden_size // self.h
        self.qkv_proj = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None, past_key_value=None):
        b, q_len, _ = hidden_states.shape
        q, k, v = self.qkv_proj(hidden_states).view(b, q_len, 3, self.h, self.d).permute(2, 0, 3, 1, 4)
        if past_key_value is not None:
            k = torch.cat([past_key_value[0], k], dim=2)
            v = torch.cat([past_key_value[1], v], dim=2)
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / self.d ** 0.5
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
        attn = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(attn, v).transpose(1, 2).reshape(b, q_len, -1)
        return self.o_proj(out), (k, v)


class HunYuanModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([HunYuanAttention(config) for _ in range(config.num_hidden_layers)])

    def forward(self, input_ids, attention_mask=None, past_key_values=None):
        past_len = 0 if past_key_values is None else past_key_values[0][0].shape[2]
        hidden_states = self.embed_tokens(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones(input_ids.shape[0], past_len + input_ids.shape[1], dtype=torch.long, device=input_ids.device)
        attention_mask = _prepare_4d_causal_attention_mask(attention_mask, input_ids.shape, hidden_states.dtype, past_len)
        new_cache = []
        for i, layer in enumerate(self.layers):
            out, kv = layer(hidden_states, attention_mask, None if past_key_values is None else past_key_values[i])
            hidden_states = hidden_states + out
            new_cache.append(kv)
        return hidden_states, new_cache


class HunYuanForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.model = HunYuanModel(config)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    @torch.no_grad()
    def generate(self, input_ids, attention_mask=None, max_new_tokens=8):
        out, past = self.model(input_ids, attention_mask=attention_mask)
        for _ in range(max_new_tokens):
            next_tok = self.lm_head(out[:, -1]).argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, next_tok], dim=1)
            if attention_mask is not None:
                attention_mask = torch.cat([attention_mask, torch.ones_like(next_tok)], dim=1)
            out, past = self.model(next_tok, attention_mask=attention_mask, past_key_values=past)
        return input_ids
