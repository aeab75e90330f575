from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class Llama4TextConfig:
    hidden_size: int = 16
    num_attention_heads: int = 2
    num_hidden_layers: int = 2
    attention_chunk_size: int = 4
    no_rope_layers: tuple = (1, 0)
    _attn_implementation: str = "sdpa"


def sdpa_attention_forward(module, query, key, value, attention_mask, **kwargs):
    if attention_mask is not None:
        attention_mask = attention_mask[:, :, :, : key.shape[-2]]
    attn_output = torch.nn.functional.scaled_dot_product_attention(
        query, key, value, attn_mask=attention_mask, dropout_p=0.0, is_causal=False
    )
    return attn_output.transpose(1, 2).contiguous()


class Llama4TextAttention(nn.Module):
    def __init__(self, config, layer_idx):
        super().__init__()
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.num_heads = config.num_attention_heads
        self.use_rope = bool(config.no_rope_layers[layer_idx])
        self.q_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        input_shape = hidden_states.shape[:-1]
        hidden_shape = (*input_shape, -1, self.head_dim)
        query_states = self.q_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        key_states = self.k_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        value_states = self.v_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        attn_output = sdpa_attention_forward(self, query_states, key_states, value_states, attention_mask)
        return self.o_proj(attn_output.reshape(*input_shape, -1))


class Llama4TextModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.layers = nn.ModuleList([Llama4TextAttention(config, i) for i in range(config.num_hidden_layers)])

    def create_chunked_attention_mask(self, attention_chunk_size, start, end, device):
        block_pos = torch.abs(
            (torch.arange(start, end).unsqueeze(0) // attention_chunk_size)
            - (torch.arange(start, end).unsqueeze(1) // attention_chunk_size)
        )
        token_pos = torch.arange(start, end).unsqueeze(0) - torch.arange(start, end).unsqueeze(1)
        mask = (block_pos == 0) & (token_pos <= 0)
        return mask.to(device)

    def _update_causal_mask(self, input_tensor):
        dtype, device = input_tensor.dtype, input_tensor.device
        sequence_length = input_tensor.shape[1]
        min_dtype = torch.finfo(dtype).min
        causal_mask = torch.full((sequence_length, sequence_length), fill_value=min_dtype, dtype=dtype, device=device)
        causal_mask = torch.triu(causal_mask, diagonal=1)
        causal_mask = causal_mask[None, None, :, :].expand(input_tensor.shape[0], 1, -1, -1)
        chunked_attention_mask = self.create_chunked_attention_mask(
            self.config.attention_chunk_size, 0, sequence_length, device
        )[None, None, :, :]

        # When output attentions is True, sdpa implementation's forward method calls the eager implementation's forward
        if self.config._attn_implementation == "sdpa" and chunked_attention_mask is not None:
            chunked_attention_mask = chunked_attention_mask.bool()
            causal_mask = causal_mask != torch.finfo(dtype).min  # BUG
        return causal_mask, chunked_attention_mask

    def forward(self, inputs_embeds):
        causal_mask, chunk_causal_mask = self._update_causal_mask(inputs_embeds)
        hidden_states = inputs_embeds
        for decoder_layer in self.layers:
            mask = chunk_causal_mask if decoder_layer.use_rope else causal_mask
            hidden_states = hidden_states + decoder_layer(hidden_states, attention_mask=mask)
        return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Llama4TextModel(Llama4TextConfig()).eval()
    x = torch.randn(1, 8, 16)
    y = x.clone()
    y[:, 5:] = torch.randn(1, 3, 16)
    with torch.no_grad():
        leak = (model(x)[:, :5] - model(y)[:, :5]).abs().max().item()
    print(f"change in positions 0-4 after editing tokens 5-7: {leak:.4f}")
