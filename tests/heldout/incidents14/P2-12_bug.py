import warnings

import torch
import torch._dynamo
import torch.nn.functional as F
from torch.nn.attention.flex_attention import flex_attention


def prepare_dynamic_mask(hidden_states, zoh_states, keep_window_size, attention_mask=None):
    """Top-k dynamic mask: 1.0 for kept keys, 0.0 otherwise."""
    attn_bias = zoh_states[:, :, None, :].expand(-1, -1, hidden_states.shape[2], -1)
    if attention_mask is not None:
        attn_bias = attn_bias.masked_fill(attention_mask == 0, torch.finfo(hidden_states.dtype).min)
    topk = torch.topk(attn_bias, keep_window_size, dim=-1).indices
    attn_mask = torch.zeros_like(attn_bias).scatter(-1, topk, 1.0)
    return attn_bias, attn_mask


def flex_attention_forward(query_states, key_states, value_states, attn_mask, attn_bias, scaling, is_causal=True):
    def score_mod(score, batch_idx, head_idx, q_idx, kv_idx):
        score = score + attn_bias[batch_idx][head_idx][q_idx][kv_idx]
        score = score + attn_mask[batch_idx][head_idx][q_idx][kv_idx]  # BUG
        score = score  # BUG
        return score

    attn_output = flex_attention(
        query_states, key_states, value_states, score_mod=score_mod, scale=scaling, enable_gqa=True,
    )
    return attn_output.transpose(1, 2).contiguous()


def dynamic_mask_attention_python(query_states, key_states, value_states, attn_mask, attn_bias, scaling, is_causal=True):
    q_len, k_len = query_states.shape[2], key_states.shape[2]
    scores = torch.matmul(query_states, key_states.transpose(-2, -1)) * scaling + attn_bias
    keep = attn_mask > 0
    if is_causal:
        keep = keep & torch.ones(q_len, k_len, dtype=torch.bool).tril()
    scores = scores.masked_fill(~keep, float("-inf"))
    return torch.matmul(F.softmax(scores, dim=-1), value_states).transpose(1, 2).contiguous()


if __name__ == "__main__":
    warnings.filterwarnings("ignore", category=UserWarning)
    torch._dynamo.config.cache_size_limit = 64
    torch.manual_seed(0)
    b, h, s, d, window = 1, 2, 8, 16, 6
    q, k, v = torch.randn(3, b, h, s, d).unbind(0)
    zoh = torch.randn(b, h, s)
    attn_bias, attn_mask = prepare_dynamic_mask(q, zoh, window)
    attn_bias = attn_bias.masked_fill(attn_mask == 0, 0.0)
    ref = dynamic_mask_attention_python(q, k, v, attn_mask, attn_bias, d ** -0.5)
    out = flex_attention_forward(q, k, v, attn_mask, attn_bias, d ** -0.5)
    print(f"max |flex - python reference| = {(out - ref).abs().max().item():.4f}")
