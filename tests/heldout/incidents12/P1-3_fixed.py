import torch
import torch.nn as nn
import torch.nn.functional as F


def repeat_kv(hidden_states: torch.Tensor, n_rep: int) -> torch.Tensor:
    batch, num_key_value_heads, slen, head_dim = hidden_states.shape
    if n_rep == 1:
        return hidden_states
    hidden_states = hidden_states[:, :, None, :, :].expand(batch, num_key_value_heads, n_rep, slen, head_dim)
    return hidden_states.reshape(batch, num_key_value_heads * n_rep, slen, head_dim)


def prepare_4d_causal_attention_mask(attention_mask, sequence_length, dtype):
    min_dtype = torch.finfo(dtype).min
    causal_mask = torch.full((sequence_length, sequence_length), fill_value=min_dtype, dtype=dtype)
    causal_mask = torch.triu(causal_mask, diagonal=1)
    causal_mask = causal_mask[None, None, :, :].expand(attention_mask.shape[0], 1, -1, -1).clone()
    padding_mask = attention_mask[:, None, None, :] == 0
    return causal_mask.masked_fill(padding_mask, min_dtype)


def sdpa_attention_forward(module, query, key, value, attention_mask, dropout=0.0, scaling=None, **kwargs):
    key = repeat_kv(key, module.num_key_value_groups)
    value = repeat_kv(value, module.num_key_value_groups)
    causal_mask = attention_mask
    if attention_mask is not None:
        causal_mask = causal_mask[:, :, :, : key.shape[-2]]
        if causal_mask.dtype != torch.bool:
            causal_mask = causal_mask == 0
    attn_output = F.scaled_dot_product_attention(
        query, key, value, attn_mask=causal_mask, dropout_p=dropout, scale=scaling
    )
    return attn_output.transpose(1, 2).contiguous(), None


class Llama4TextAttention(nn.Module):
    def __init__(self, hidden_size=64, num_attention_heads=4, num_key_value_heads=2):
        super().__init__()
        self.head_dim = hidden_size // num_attention_heads
        self.num_heads = num_attention_heads
        self.num_kv_heads = num_key_value_heads
        self.num_key_value_groups = num_attention_heads // num_key_value_heads
        self.scaling = self.head_dim ** -0.5
        self.q_proj = nn.Linear(hidden_size, num_attention_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(hidden_size, num_key_value_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(hidden_size, num_key_value_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(num_attention_heads * self.head_dim, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        input_shape = hidden_states.shape[:-1]
        hidden_shape = (*input_shape, -1, self.head_dim)
        query_states = self.q_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        key_states = self.k_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        value_states = self.v_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        attn_output, attn_weights = sdpa_attention_forward(
            self, query_states, key_states, value_states, attention_mask, scaling=self.scaling
        )
        attn_output = attn_output.reshape(*input_shape, -1)
        return self.o_proj(attn_output), attn_weights


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = Llama4TextAttention().eval()
    hidden = torch.randn(2, 8, 64)
    attention_mask = torch.ones(2, 8, dtype=torch.long)
    attention_mask[1, :2] = 0
    mask4d = prepare_4d_causal_attention_mask(attention_mask, 8, hidden.dtype)
    edited = hidden.clone()
    edited[:, 5:] += torch.randn(2, 3, 64)
    with torch.no_grad():
        a, _ = attn(hidden, mask4d)
        b, _ = attn(edited, mask4d)
    print(f"future leak: max |d out[:, 2:5]| after editing tokens 5.. = {(a[:, 2:5] - b[:, 2:5]).abs().max().item():.4f}")
