import warnings

import torch
from torch.nn.attention.flex_attention import flex_attention

warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")


def prepare_dynamic_mask(hidden_states, zoh_states, keep_window_size, attention_mask=None):
    min_dtype = torch.finfo(hidden_states.dtype).min
    dtype = hidden_states.dtype
    attn_bias = zoh_states[:, :, None, :].expand(-1, -1, hidden_states.shape[2], -1)
    if attention_mask is not None:
        attn_bias = attn_bias.masked_fill(~attention_mask.bool(), min_dtype)
    if attn_bias.shape[-1] > keep_window_size:
        topk_indices = torch.topk(attn_bias, keep_window_size, dim=-1, largest=True, sorted=False).indices
        attn_mask = torch.zeros_like(attn_bias, dtype=dtype).scatter(-1, topk_indices, 1.0)
    else:
        attn_mask = torch.ones_like(attn_bias, dtype=dtype)
    return attn_bias, attn_mask


def flex_attention_reference(query_states, key_states, value_states, zoh_states, keep_window_size, scaling, is_causal=True):
    attn_bias, attn_mask = prepare_dynamic_mask(query_states, zoh_states, keep_window_size)

    def score_mod(score, batch_idx, head_idx, q_idx, kv_idx):
        score = score + attn_bias[batch_idx][head_idx][q_idx][kv_idx]
        return torch.where((attn_mask[batch_idx][head_idx][q_idx][kv_idx] > 0) & (q_idx >= kv_idx), score, float("-inf"))

    out = flex_attention(query_states, key_states, value_states, score_mod=score_mod, scale=scaling)
    return out.transpose(1, 2).contiguous()


if __name__ == "__main__":
    torch.manual_seed(0)
    B, H, L, D = 1, 2, 12, 16
    q = torch.randn(B, H, L, D)
    k = torch.randn(B, H, L, D)
    v = torch.randn(B, H, L, D)
    zoh = torch.rand(B, H, L)
    out = flex_attention_reference(q, k, v, zoh, keep_window_size=6, scaling=D ** -0.5)
    v2 = v.clone()
    v2[:, :, -1] += 10.0
    out2 = flex_attention_reference(q, k, v2, zoh, keep_window_size=6, scaling=D ** -0.5)
    print(f"prefix change when last value changes: {(out[:, :-1] - out2[:, :-1]).abs().max().item():.3e}")
