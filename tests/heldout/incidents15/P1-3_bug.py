from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Llama4TextConfig:
    hidden_size: int = 32
    num_attention_heads: int = 4
    num_hidden_layers: int = 2
    vocab_size: int = 50
    _attn_implementation: str = "sdpa"


def sdpa_attention_forward(module, query, key, value, attention_mask, scaling=None, dropout=0.0, **kwargs):
    causal_mask = attention_mask
    if attention_mask is not None:
        causal_mask = causal_mask[:, :, :, : key.shape[-2]]
    attn_output = F.scaled_dot_product_attention(
        query, key, value, attn_mask=causal_mask, dropout_p=dropout, scale=scaling, is_causal=False)
    return attn_output.transpose(1, 2).contiguous()


class Llama4TextAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.q_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        bsz, q_len, _ = hidden_states.shape
        shape = (bsz, q_len, self.num_heads, self.head_dim)
        q = self.q_proj(hidden_states).view(shape).transpose(1, 2)
        k = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        attn_output = sdpa_attention_forward(self, q, k, v, attention_mask)
        return self.o_proj(attn_output.reshape(bsz, q_len, -1))


class Llama4TextModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(Llama4TextAttention(config) for _ in range(config.num_hidden_layers))

    def _prepare_4d_causal_attention_mask_with_cache_position(self, attention_mask, seq_len, dtype):
        min_dtype = torch.finfo(dtype).min
        causal_mask = torch.full((seq_len, seq_len), fill_value=min_dtype, dtype=dtype).triu(1)
        causal_mask = causal_mask[None, None, :, :].expand(attention_mask.shape[0], 1, -1, -1).clone()
        padding_mask = attention_mask[:, None, None, :] == 0
        return causal_mask.masked_fill(padding_mask, min_dtype)

    def _update_causal_mask(self, attention_mask, input_tensor):
        causal_mask = self._prepare_4d_causal_attention_mask_with_cache_position(
            attention_mask, input_tensor.shape[1], input_tensor.dtype)
        if self.config._attn_implementation == "sdpa":
            causal_mask = causal_mask.bool()  # BUG
        return causal_mask

    def forward(self, input_ids, attention_mask):
        hidden_states = self.embed_tokens(input_ids)
        causal_mask = self._update_causal_mask(attention_mask, hidden_states)
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, causal_mask)
        return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Llama4TextModel(Llama4TextConfig()).eval()
    ids = torch.randint(1, 50, (2, 7))
    attention_mask = torch.ones_like(ids)
    with torch.no_grad():
        out = model(ids, attention_mask)
        ids2 = ids.clone()
        ids2[:, 4:] = torch.randint(1, 50, (2, 3))
        out2 = model(ids2, attention_mask)
    print(f"future-token leak into positions 0-3: {(out[:, :4] - out2[:, :4]).abs().max().item():.4f}")
