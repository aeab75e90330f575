import torch
import torch.nn as nn
import torch.nn.functional as F


class Llama4TextConfig:
    def __init__(self, hidden_size=64, num_attention_heads=4, num_key_value_heads=2, attention_dropout=0.0, pad_token_id=0):
        self.hidden_size = hidden_size
        self.num_attention_heads = num_attention_heads
        self.num_key_value_heads = num_key_value_heads
        self.attention_dropout = attention_dropout
        self.pad_token_id = pad_token_id
        self._attn_implementation = "sdpa"


def prepare_4d_causal_mask(attention_mask, seq_len, dtype, device):
    min_dtype = torch.finfo(dtype).min
    causal = torch.full((seq_len, seq_len), min_dtype, dtype=dtype, device=device).triu(1)
    causal = causal[None, None, :, :].expand(attention_mask.shape[0], 1, -1, -1).clone()
    padding = attention_mask[:, None, None, :].eq(0)
    return causal.masked_fill(padding, min_dtype)


def repeat_kv(hidden_states, n_rep):
    if n_rep == 1:
        return hidden_states
    return hidden_states.repeat_interleave(n_rep, dim=1)


def sdpa_attention_forward(module, query, key, value, attention_mask, dropout=0.0, scaling=None, **kwargs):
    key = repeat_kv(key, module.num_key_value_groups)
    value = repeat_kv(value, module.num_key_value_groups)
    causal_mask = attention_mask
    if attention_mask is not None:
        causal_mask = causal_mask[:, :, :, : key.shape[-2]]
        causal_mask = causal_mask == 0
    out = F.scaled_dot_product_attention(
        query, key, value, attn_mask=causal_mask, dropout_p=dropout, scale=scaling
    )
    return out.transpose(1, 2).contiguous(), None


ALL_ATTENTION_FUNCTIONS = {"sdpa": sdpa_attention_forward}


class Llama4TextAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.num_key_value_groups = config.num_attention_heads // config.num_key_value_heads
        self.scaling = self.head_dim ** -0.5
        self.q_proj = nn.Linear(config.hidden_size, config.num_attention_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.num_key_value_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.num_key_value_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(config.num_attention_heads * self.head_dim, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None, **kwargs):
        bsz, q_len, _ = hidden_states.shape
        shape = (bsz, q_len, -1, self.head_dim)
        q = self.q_proj(hidden_states).view(shape).transpose(1, 2)
        k = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        attn_fn = ALL_ATTENTION_FUNCTIONS[self.config._attn_implementation]
        out, weights = attn_fn(self, q, k, v, attention_mask, dropout=0.0, scaling=self.scaling, **kwargs)
        return self.o_proj(out.reshape(bsz, q_len, -1)), weights


class Llama4TextModel(nn.Module):
    def __init__(self, config, vocab_size=128):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.layers = nn.ModuleList([Llama4TextAttention(config) for _ in range(2)])

    def forward(self, input_ids, attention_mask=None):
        h = self.embed_tokens(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        mask4d = prepare_4d_causal_mask(attention_mask, input_ids.shape[1], h.dtype, h.device)
        for layer in self.layers:
            out, _ = layer(h, attention_mask=mask4d)
            h = h + out
        return h
